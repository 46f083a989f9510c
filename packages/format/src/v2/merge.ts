/**
 * Merging the records of several v2 files (every thread and process of a service) by their
 * merge rules (spec/format-v2.md#merge).
 *
 * @module
 */
import type { DecodedV2File, DecodedV2Record } from './decode.js';
import type { MmstatsError } from '../common/errors.js';
import { mergeHistograms, type HistogramValue } from './histogram.js';
import type { V2Dimension } from './records.js';
import type { AverageValue, V2Value } from './values.js';
import { mergeWindows, type WindowValue } from './window.js';

/** One file's value of a record. */
export interface PerFileValue {
  /** Index of the file in the list given to {@link mergeV2Files}. */
  readonly file: number;
  /** Its value. */
  readonly value: V2Value;
}

/** The records of several files that share a label and dimensions, combined. */
export interface MergedV2Record {
  /** The label. */
  readonly label: string;
  /** The dimensions (of the first file that has the record). */
  readonly dims: readonly V2Dimension[];
  /** Kind name of the first file's record. */
  readonly kindName: string;
  /** Encoding name of the first file's record. */
  readonly encodingName: string;
  /** Merge rule name of the first file's record. */
  readonly mergeName: string;
  /** Unit of the first file's record. */
  readonly unit: string;
  /** Help of the first file's record. */
  readonly help: string;
  /**
   * The merged value, or `undefined` when the values are shown per file instead: rule
   * `none` (or one this package does not know), text with a rule other than `last`, or
   * records that disagree on kind, merge rule, unit, or encoding and parameters (scalar
   * encodings `f64`, `i64` and `u64` combine with each other).
   */
  readonly value: V2Value | undefined;
  /** Why `value` is `undefined`, in words. */
  readonly notMerged?: string;
  /** Every file's value, in file order. */
  readonly perFile: readonly PerFileValue[];
  /** Files whose value could not be read (`MMSTATS-E014`, or `MMSTATS-E013` for a bad text); they are left out of the merge. */
  readonly errors: readonly {
    /** Index of the file. */
    readonly file: number;
    /** Its `MMSTATS-E014` or `MMSTATS-E013`. */
    readonly error: MmstatsError;
  }[];
}

/**
 * Groups the records of `files` by label and dimensions and merges each group by its merge
 * rule (spec/format-v2.md#merge): scalars by sum, min, max, mean or last; composite values
 * component-wise; `last` takes the file whose `heartbeat` (or `created`, when it has no
 * heartbeat) is latest. Groups come in the order their first record appears.
 */
export function mergeV2Files(files: readonly DecodedV2File[]): MergedV2Record[] {
  const groups = new Map<string, { file: number; record: DecodedV2Record }[]>();
  files.forEach((decoded, file) => {
    for (const record of decoded.records) {
      const key = JSON.stringify([record.label, [...record.dims].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
      const group = groups.get(key);
      if (group) group.push({ file, record });
      else groups.set(key, [{ file, record }]);
    }
  });
  return [...groups.values()].map((group) => mergeGroup(files, group));
}

function mergeGroup(files: readonly DecodedV2File[], group: { file: number; record: DecodedV2Record }[]): MergedV2Record {
  const first = group[0]!.record;
  const perFile: PerFileValue[] = [];
  const errors: { file: number; error: MmstatsError }[] = [];
  for (const { file, record } of group) {
    if (record.error) errors.push({ file, error: record.error });
    else perFile.push({ file, value: record.value });
  }
  const base = {
    label: first.label,
    dims: first.dims,
    kindName: first.kindName,
    encodingName: first.encodingName,
    mergeName: first.mergeName,
    unit: first.unit,
    help: first.help,
    perFile,
    errors,
  };
  const agree = group.every(({ record }) => record.kind === first.kind && record.merge === first.merge && record.unit === first.unit && sameStorage(record, first));
  const why = !agree
    ? 'the files disagree on kind, merge rule, unit, encoding or parameters'
    : first.mergeName === 'none' || first.mergeName.startsWith('merge-')
      ? `merge rule ${first.mergeName}`
      : first.encodingName === 'text' && first.mergeName !== 'last'
        ? `text cannot be merged by ${first.mergeName}`
        : undefined;
  if (why !== undefined) return { ...base, value: undefined, notMerged: why };
  if (perFile.length === 0) return { ...base, value: undefined, notMerged: 'no file has a readable value' };
  if (first.mergeName === 'last') {
    const latest = perFile.reduce((best, v) => (lastSeen(files[v.file]!) > lastSeen(files[best.file]!) ? v : best));
    return { ...base, value: latest.value };
  }
  const values = perFile.map((v) => v.value);
  const value = mergeValues(first.encodingName, first.mergeName, values);
  return value === undefined ? { ...base, value, notMerged: 'the values cannot be merged' } : { ...base, value };
}

const SCALAR_ENCODINGS = new Set(['f64', 'i64', 'u64']);

/**
 * Values can be combined: the same encoding and parameters, or two scalar encodings (a
 * JavaScript writer's `f64` counter and a native writer's `u64` counter of the same metric).
 */
function sameStorage(a: DecodedV2Record, b: DecodedV2Record): boolean {
  if (SCALAR_ENCODINGS.has(a.encodingName) && SCALAR_ENCODINGS.has(b.encodingName)) return true;
  return a.encoding === b.encoding && a.params.every((p, i) => p === b.params[i]);
}

/** When a file was last known to be written: its heartbeat, else its creation time. */
function lastSeen(file: DecodedV2File): number {
  return file.header.heartbeat !== 0 ? file.header.heartbeat : file.header.created;
}

/**
 * Merges values of one encoding by rule `sum`, `min`, `max` or `avg`
 * (spec/format-v2.md#merge). Scalars: all-bigint lists stay bigint (exact), except `avg`,
 * which is a number. Composite values merge component-wise whatever the rule.
 *
 * @returns the merged value, or `undefined` for an empty list or histograms / windows of different parameters
 */
export function mergeValues(encoding: string, rule: string, values: readonly V2Value[]): V2Value | undefined {
  if (values.length === 0) return undefined;
  switch (encoding) {
    case 'average': {
      const list = values as readonly AverageValue[];
      return { sum: list.reduce((n, v) => n + v.sum, 0), count: list.reduce((n, v) => n + v.count, 0) };
    }
    case 'histogram':
      return mergeHistograms(values as readonly HistogramValue[]);
    case 'window':
      return mergeWindows(values as readonly WindowValue[]);
    default:
      return mergeScalars(rule, values as readonly (number | bigint)[]);
  }
}

function mergeScalars(rule: string, values: readonly (number | bigint)[]): number | bigint | undefined {
  if (values.every((v) => typeof v === 'bigint')) {
    const list = values as readonly bigint[];
    switch (rule) {
      case 'sum': return list.reduce((a, b) => a + b, 0n);
      case 'min': return list.reduce((a, b) => (b < a ? b : a));
      case 'max': return list.reduce((a, b) => (b > a ? b : a));
      case 'avg': return Number(list.reduce((a, b) => a + b, 0n)) / list.length;
    }
    return undefined;
  }
  const list = values.map(Number);
  switch (rule) {
    case 'sum': return list.reduce((a, b) => a + b, 0);
    case 'min': return Math.min(...list);
    case 'max': return Math.max(...list);
    case 'avg': return list.reduce((a, b) => a + b, 0) / list.length;
  }
  return undefined;
}
