/**
 * `mmstats get PREFIX [PATH|DIR|GLOB...]`: the values of the labels starting with PREFIX over
 * every stats file, one line per label (and, for v2, per set of dimensions), optionally
 * combined: `--aggr` as mmash's `/stats/<prefix>?exact=&aggr=` does (Python-compatible), or
 * `--merge` by each record's own merge rule (spec/format-v2.md#merge), with percentiles for
 * histograms.
 *
 * @module
 */
import type { JsonData, ValueKind } from '@mmstats/format';
import {
  aggregate,
  matchesLabel,
  mergeSnapshots,
  readCounted,
  type Aggregator,
  type FieldValue,
  type MergedField,
  type StatsField,
  type StatsSnapshot,
} from '@mmstats/reader';
import { exitQuietlyOnClosedStdout, warn, writeOut } from '../stdout.js';
import { terminalText } from '../terminal-text.js';
import { jsonValue, labelText, valueText } from '../value-text.js';

/** Options of `mmstats get`. */
export interface GetOptions {
  /** A label prefix, e.g. `"web.stats."`, or with `exact` a whole label. */
  readonly prefix: string;
  /** Files, directories and globs; empty means the defaults (MMSTATS_GLOB, else MMSTATS_PATH, else this user's default stats directories: spec/files.md#discovery). */
  readonly targets: readonly string[];
  /** Match the whole label only. Default `false`. */
  readonly exact?: boolean;
  /** Combine each label's values over the files as Python mmash does; default none: list every file's value. */
  readonly aggr?: Aggregator;
  /**
   * Merge each label's values over the files by the records' merge rules
   * (spec/format-v2.md#merge; v1 fields: counters and gauges summed, text per file), with
   * p50/p90/p99 for histograms and the rate and mean for windows. Not with `aggr`. Default `false`.
   */
  readonly merge?: boolean;
  /** The time v2 windows are evaluated at, Unix seconds (for tests). Default now. */
  readonly now?: number;
  /** Print one JSON object `{label: value or [values]}` instead of lines. Default `false`. */
  readonly json?: boolean;
}

/**
 * Runs `get`. Rows are the selected labels, sorted, one per label and set of v2 dimensions
 * (shown `label{k=v,...}`). Text: `label value` per row, aligned: without `aggr` or `merge`,
 * every file's value in file order (space-separated; ` | ` between v2 composite values); `-`
 * for an aggregate with no value, e.g. the sum of strings. v1 values print as Python does,
 * v2 values as `mmstats slurp` prints them (a histogram's percentiles and count...). With
 * `merge`, the merged value and the unit, or, when the files' values cannot be merged, each
 * file's value and why. JSON: `{"label": value}` or `{"label": [values]}` (spec/expected-json.md
 * forms, v2 composite values as objects; `null` for no value); with `merge`,
 * `{"label": {"kind", "unit", "merge", "value", ...}}` (see {@link mergedJson}).
 *
 * @returns the exit code: 0; 1 when no label matched or a file could not be read; 2 when both
 *   `aggr` and `merge` are given
 */
export async function get(options: GetOptions): Promise<number> {
  if (options.merge && options.aggr !== undefined) {
    warn('--merge and --aggr are alternatives: give one');
    return 2;
  }
  exitQuietlyOnClosedStdout();
  const query = { prefix: options.prefix, exact: options.exact ?? false };
  const now = options.now ?? Date.now() / 1000;
  const snapshots: StatsSnapshot[] = [];
  let failed = 0;
  // Counted before the label filter: the archive's own records say which files it holds (spec/files.md#archive-reading).
  const read = await readCounted(options.targets);
  for (const snapshot of read.snapshots) snapshots.push({ ...snapshot, fields: snapshot.fields.filter((field) => matchesLabel(field.label, query)) });
  for (const error of read.errors) {
    failed++;
    warn(error.message);
  }
  const found = snapshots.some((snapshot) => snapshot.fields.length > 0);
  if (!found) warn(`no label ${options.exact ? 'is' : 'starts with'} ${JSON.stringify(options.prefix)}`);
  const lines = options.merge ? mergedLines(snapshots, now, options.json ?? false) : valueLines(snapshots, options.aggr, now, options.json ?? false);
  if (lines !== '') await writeOut(lines);
  return failed > 0 || !found ? 1 : 0;
}

interface Row {
  /** `label{dims}`. */
  readonly key: string;
  /** v1 value kind of the first file's field (for printing floats as floats); `undefined` for v2. */
  readonly kind: ValueKind | undefined;
  /** Every file's readable value, in file order. */
  readonly values: FieldValue[];
}

function rowsOf(snapshots: readonly StatsSnapshot[]): Row[] {
  const rows = new Map<string, Row>();
  for (const snapshot of snapshots) {
    for (const field of snapshot.fields) {
      const key = labelText(field.label, field.dims);
      let row = rows.get(key);
      if (row === undefined) rows.set(key, (row = { key, kind: field.version === 1 ? field.layout.valueType.kind : undefined, values: [] }));
      if (field.value !== undefined) row.values.push(field.value);
    }
  }
  return [...rows.values()].sort((a, b) => byText(a.key, b.key));
}

function valueLines(snapshots: readonly StatsSnapshot[], aggr: Aggregator | undefined, now: number, json: boolean): string {
  const rows = rowsOf(snapshots).map(({ key, kind, values }) => {
    if (aggr === undefined) return { key, kind, value: values as FieldValue | FieldValue[] | null };
    const averaged = aggr === 'avg' || aggr === 'nonzero-avg';
    return { key, kind: averaged && kind !== undefined ? ('float' as const) : kind, value: aggregate(values, aggr) as FieldValue | FieldValue[] | null };
  });
  if (json) {
    const object = Object.fromEntries(rows.map(({ key, value }) => [key, Array.isArray(value) ? value.map(jsonValue) : value === null ? null : jsonValue(value)]));
    return `${JSON.stringify(object)}\n`;
  }
  const text = (value: FieldValue | null, kind: ValueKind | undefined): string => (value === null ? '-' : valueText(value, kind, now));
  return aligned(
    rows.map(({ key, kind, value }) => {
      if (!Array.isArray(value)) return [key, text(value, kind)];
      const composite = value.some((v) => typeof v === 'object');
      return [key, value.map((v) => text(v, kind)).join(composite ? ' | ' : ' ')];
    }),
  );
}

function mergedLines(snapshots: readonly StatsSnapshot[], now: number, json: boolean): string {
  const merged = mergeSnapshots(snapshots, { now }).sort((a, b) => byText(labelText(a.label, a.dims), labelText(b.label, b.dims)));
  if (json) return `${JSON.stringify(Object.fromEntries(merged.map((field) => [labelText(field.label, field.dims), mergedJson(field)])))}\n`;
  const kinds = firstV1Kinds(snapshots);
  return aligned(
    merged.map((field) => {
      const key = labelText(field.label, field.dims);
      const kind = field.merge === 'avg' ? 'float' : kinds.get(key);
      if (field.value === undefined) {
        const each = field.perFile.map((v) => valueText(v.value, kinds.get(key), now)).join(field.perFile.some((v) => typeof v.value === 'object') ? ' | ' : ' ');
        return [key, `${each === '' ? '-' : each} (per file: ${field.notMerged ?? 'not merged'})`];
      }
      const text = valueText(field.value, kind, now);
      return [key, field.unit === '' ? text : `${text} ${field.unit}`];
    }),
  );
}

/**
 * The JSON of one merged field for `get --merge --json`: `{"kind", "unit", "merge", "value"}`
 * with `value` in the JSON form of spec/expected-json.md (v2 composite values as objects), plus
 * `"percentiles": {"p50", "p90", "p99"}` for a histogram and `"rate"`, `"mean"` for a window;
 * when the values cannot be merged, `"value": null`, `"not_merged"` (why) and `"per_file"`
 * (every file's value).
 */
export function mergedJson(field: MergedField): JsonData {
  const about = { kind: field.kind, unit: field.unit, merge: field.merge };
  if (field.value === undefined) {
    return { ...about, value: null, not_merged: field.notMerged ?? '', per_file: field.perFile.map((v) => jsonValue(v.value)) };
  }
  const extra: Record<string, JsonData> = {};
  if (field.percentiles !== undefined) {
    extra['percentiles'] = Object.fromEntries(Object.entries(field.percentiles).map(([name, p]) => [name, p === undefined ? null : jsonValue(p)]));
  }
  if (field.window !== undefined) {
    extra['rate'] = jsonValue(field.window.rate);
    extra['mean'] = field.window.mean === undefined ? null : jsonValue(field.window.mean);
  }
  return { ...about, value: jsonValue(field.value), ...extra };
}

/** The v1 value kind of each `label{dims}` from the first file that has it (floats print as floats). */
function firstV1Kinds(snapshots: readonly StatsSnapshot[]): Map<string, ValueKind> {
  const kinds = new Map<string, ValueKind>();
  for (const snapshot of snapshots) {
    for (const field of snapshot.fields as readonly StatsField[]) {
      const key = labelText(field.label, field.dims);
      if (field.version === 1 && !kinds.has(key)) kinds.set(key, field.layout.valueType.kind);
    }
  }
  return kinds;
}

/** `key value` lines, keys padded to the longest. */
function aligned(rows: readonly (readonly [key: string, value: string])[]): string {
  const safe = rows.map(([key, value]) => [terminalText(key), terminalText(value)] as const);
  const width = Math.max(0, ...safe.map(([key]) => [...key].length));
  return safe.map(([key, value]) => `${key.padEnd(width + key.length - [...key].length)} ${value}\n`).join('');
}

/** Sorts by UTF-16 code units, as `Array.prototype.sort` does by default. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
