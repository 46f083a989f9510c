/**
 * Selecting labels across many stats files and combining their values: what `mmstats get`
 * and mmash's `/stats/<prefix>?aggr=` do, the way the Python mmash does it (with its `exact`
 * bug fixed: `exact` matches the whole label only).
 *
 * @module
 */
import type { Value } from '@mmstats/format';
import type { FieldValue, StatsSnapshot } from './fields.js';

/** The aggregators of Python mmash, by name. */
export const AGGREGATORS = ['avg', 'one', 'max', 'min', 'sum', 'nonzero-min', 'nonzero-avg'] as const;

/** One of {@link AGGREGATORS}. */
export type Aggregator = (typeof AGGREGATORS)[number];

/** `true` when `name` is one of {@link AGGREGATORS}. */
export function isAggregator(name: string): name is Aggregator {
  return (AGGREGATORS as readonly string[]).includes(name);
}

/** Which labels a query selects. */
export interface LabelQuery {
  /** A label prefix, e.g. `"web.stats."`; `""` selects every label. */
  readonly prefix: string;
  /** Select only the label equal to `prefix`. Default `false`. */
  readonly exact?: boolean;
}

/** `true` when `label` is selected by `query`. */
export function matchesLabel(label: string, query: LabelQuery): boolean {
  return query.exact ? label === query.prefix : label.startsWith(query.prefix);
}

/**
 * The values of every selected label over `snapshots`, one per file (and, for v2, per set of
 * dimensions: labels are matched without them) that has the label, in the order of the
 * snapshots. Labels come out sorted. A v2 value that could not be read (`MMSTATS-E014`,
 * `MMSTATS-E013`: the field's `error`) is left out. For merging by each record's own rule,
 * per label and dimensions, see {@link mergeSnapshots}.
 */
export function collectValues(snapshots: Iterable<StatsSnapshot>, query: LabelQuery): Map<string, FieldValue[]> {
  const byLabel = new Map<string, FieldValue[]>();
  for (const snapshot of snapshots) {
    for (const field of snapshot.fields) {
      if (field.value === undefined || !matchesLabel(field.label, query)) continue;
      const values = byLabel.get(field.label);
      if (values) values.push(field.value);
      else byLabel.set(field.label, [field.value]);
    }
  }
  return new Map([...byLabel].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Combines the values of one label from several files, as Python mmash does:
 * - `one`: the first value, whatever its type (a v2 composite value included);
 * - `sum`, `min`, `max`: over the numeric values (booleans count as 0/1; strings and v2
 *   composite values, averages, histograms, windows, are skipped); sums of 64-bit
 *   integers stay exact `bigint`s;
 * - `avg`: the mean of the numeric values, as a float;
 * - `nonzero-min`, `nonzero-avg`: as `min`/`avg` over the values that are not zero (so a
 *   worker that has not started yet does not pull the minimum to 0).
 *
 * @returns the combined value, or `null` when no value qualifies (strings under a numeric
 *   aggregator, or only zeros under a nonzero one)
 */
export function aggregate(values: readonly Value[], aggregator: Aggregator): Value | null;
export function aggregate(values: readonly FieldValue[], aggregator: Aggregator): FieldValue | null;
export function aggregate(values: readonly FieldValue[], aggregator: Aggregator): FieldValue | null {
  if (aggregator === 'one') return values[0] ?? null;
  let numbers = values
    .filter((v): v is number | bigint | boolean => typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean')
    .map((v) => (typeof v === 'boolean' ? Number(v) : v));
  if (aggregator === 'nonzero-min' || aggregator === 'nonzero-avg') numbers = numbers.filter((v) => v != 0);
  if (numbers.length === 0) return null;
  switch (aggregator) {
    case 'sum':
      return sum(numbers);
    case 'avg':
    case 'nonzero-avg':
      return Number(sum(numbers)) / numbers.length;
    case 'min':
    case 'nonzero-min':
      return numbers.reduce((a, b) => (b < a ? b : a));
    case 'max':
      return numbers.reduce((a, b) => (b > a ? b : a));
  }
}

// Exact while every value is an integer (bigint or number); a float among them makes it a float.
function sum(numbers: ReadonlyArray<number | bigint>): number | bigint {
  if (numbers.every((v) => typeof v === 'bigint' || Number.isInteger(v))) {
    const total = numbers.reduce<bigint>((acc, v) => acc + BigInt(v), 0n);
    return numbers.some((v) => typeof v === 'bigint') ? total : Number(total);
  }
  return numbers.reduce<number>((acc, v) => acc + Number(v), 0);
}
