/**
 * Merged views: the fields of many stats files (every thread and process of a service),
 * combined per label and dimensions by their merge rules (spec/format-v2.md#merge), with
 * percentiles of merged histograms (spec/format-v2.md#enc-histogram) and the rate and mean of
 * merged windows (spec/format-v2.md#enc-window). Files of both versions merge together: a v1
 * field takes the kind and rule `inferV1Kind` gives it.
 *
 * @module
 */
import { histogramQuantile, type HistogramValue, isHistogramValue, isV2ScalarEncoding, isWindowValue, mergeValues, type MmstatsError, type V2Value, windowStats, type WindowStats } from '@mmstats/format';
import { isV2Layout, type FieldValue, type StatsField, type StatsSnapshot } from './fields.js';
import { countedSnapshots, isFileMetaLabel } from './archive.js';
import { writerInfo } from './writer-info.js';

/** The quantiles {@link percentiles} and {@link mergeSnapshots} compute by default: p50, p90, p99. */
export const DEFAULT_QUANTILES: readonly number[] = Object.freeze([0.5, 0.9, 0.99]);

/**
 * Percentile estimates of a histogram (spec/format-v2.md#enc-histogram, "Percentiles"), each
 * the midpoint of the bucket holding the rank `⌈q × count⌉`, clamped to `[min, max]`: within a
 * relative error of `2^−(k+1)` (3.125 % at the default `k = 4`) of the exact quantile for values
 * inside the buckets' range, before or after merging.
 *
 * @param histogram - one file's histogram, or a merged one
 * @param quantiles - each `0 < q ≤ 1`; default {@link DEFAULT_QUANTILES} (0.5, 0.9, 0.99)
 * @returns the estimates keyed `p` + `q × 100` (`p50`, `p90`, `p99`, `p99.9`), in the order
 *   given; a value is `undefined` when the histogram is empty or `q` is outside (0, 1]
 */
export function percentiles(histogram: HistogramValue, quantiles: readonly number[] = DEFAULT_QUANTILES): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  for (const q of quantiles) out[`p${Number((q * 100).toPrecision(12))}`] = histogramQuantile(histogram, q);
  return out;
}

/** Options of {@link mergeSnapshots}. */
export interface MergeOptions {
  /** The time windows are evaluated at, Unix seconds; default `Date.now() / 1000`. */
  readonly now?: number;
  /** The quantiles of merged histograms; default {@link DEFAULT_QUANTILES} (0.5, 0.9, 0.99). */
  readonly quantiles?: readonly number[];
}

/** One file's value in a {@link MergedField}. */
export interface MergedFileValue {
  /** The file's path, as in its snapshot. */
  readonly path: string;
  /** The file's format version. */
  readonly version: 1 | 2;
  /** Its value. */
  readonly value: FieldValue;
}

/** What a metric is, as the first file that has it describes it: what tools show beside its values. */
export interface FieldDescription {
  /** The label. */
  readonly label: string;
  /** The dimensions (`{}` for none, and for every v1 field). */
  readonly dims: Readonly<Record<string, string>>;
  /** The kind (see `StatsField.kind`: v2 the record's, v1 inferred by `inferV1Kind`). */
  readonly kind: string;
  /** The unit, `""` for none: a merged field's is its v2 records' (v1 files say none; a v1 field merges with v2 records of any unit). */
  readonly unit: string;
  /** The help text, `""` for none (always for v1). */
  readonly help: string;
  /** The merge rule (see `StatsField.merge`). */
  readonly merge: string;
  /** The v1 type signature or v2 encoding name. */
  readonly type: string;
}

/** The fields of several files that share a label and dimensions, combined. */
export interface MergedField extends FieldDescription {
  /**
   * The merged value, or `undefined` when the values are shown per file only (see
   * {@link MergedField.notMerged}): rule `none` (or unknown), text by a rule other than
   * `last`, fields that disagree on kind, rule, unit, encoding or parameters, or no readable value.
   * Scalars: `sum`, `min`, `max` keep `bigint`s exact when every value is one, `avg` is a
   * number, booleans count as 0 and 1. Averages, histograms and windows merge component-wise
   * whatever the rule. `last` takes the value of the file written last (v2 `heartbeat`, else
   * `created`; v1 `sys.created`).
   */
  readonly value: FieldValue | undefined;
  /** Why {@link MergedField.value} is `undefined`, in words; absent when it is merged. */
  readonly notMerged?: string;
  /** Every file's readable value, in the order of the snapshots. */
  readonly perFile: readonly MergedFileValue[];
  /** Files whose value could not be read (`MMSTATS-E014`, `MMSTATS-E013`: see `V2StatsField.error`); they are left out of the merge. */
  readonly errors: readonly {
    /** The file's path. */
    readonly path: string;
    /** Its error. */
    readonly error: MmstatsError;
  }[];
  /** For a merged histogram: {@link percentiles} at the options' quantiles. */
  readonly percentiles?: Readonly<Record<string, number | undefined>>;
  /** For a merged window: its rate and mean at the options' `now` (`windowStats`). */
  readonly window?: WindowStats;
}

interface Member {
  readonly snapshot: StatsSnapshot;
  readonly field: StatsField;
}

/**
 * Groups the fields of `snapshots` by label and dimensions (v1 and v2 files together) and
 * merges each group by its merge rule (spec/format-v2.md#merge). Groups come in the order
 * their first field appears. Fields merge only when they agree on kind, merge rule and how
 * the value is stored: scalars of either version together (a v1 `Q` counter with a v2 `f64`
 * counter), composite v2 values only with the same encoding and parameters.
 *
 * Archives (spec/files.md#archive-reading) count as files: of each directory's archives of a
 * service only the newest, and files it has folded already are left out
 * ({@link countedSnapshots}); records that say what a file is (`mmstats.service`,
 * `mmstats.archive.*`) are no groups. Merging files of several services merges them all:
 * split them first with {@link snapshotsByService} for one answer per service.
 *
 * @param snapshots - from `readStats`, `scanStats` or `LiveStatsFile.snapshot`
 * @param options - `now` for windows (default the current time), `quantiles` for histograms
 *   (default p50, p90, p99)
 */
export function mergeSnapshots(snapshots: Iterable<StatsSnapshot>, options: MergeOptions = {}): MergedField[] {
  const groups = new Map<string, Member[]>();
  for (const snapshot of countedSnapshots(snapshots).counted) {
    for (const field of snapshot.fields) {
      if (isFileMetaLabel(field.label)) continue;
      const key = JSON.stringify([field.label, Object.entries(field.dims).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
      const group = groups.get(key);
      if (group) group.push({ snapshot, field });
      else groups.set(key, [{ snapshot, field }]);
    }
  }
  const now = options.now ?? Date.now() / 1000;
  const quantiles = options.quantiles ?? DEFAULT_QUANTILES;
  return [...groups.values()].map((group) => mergeGroup(group, now, quantiles));
}

function mergeGroup(group: readonly Member[], now: number, quantiles: readonly number[]): MergedField {
  const first = group[0]!.field;
  const perFile: MergedFileValue[] = [];
  const errors: { path: string; error: MmstatsError }[] = [];
  for (const { snapshot, field } of group) {
    if (field.error !== undefined) errors.push({ path: snapshot.path, error: field.error });
    else if (field.value !== undefined) perFile.push({ path: snapshot.path, version: field.version, value: field.value });
  }
  // v1 files say no unit (always ""): a v1 field takes the unit of the v2 records it merges with.
  const unit = group.find(({ field }) => field.version === 2)?.field.unit ?? '';
  const base = {
    label: first.label,
    dims: first.dims,
    kind: first.kind,
    unit,
    help: first.help,
    merge: first.merge,
    type: first.type,
    perFile,
    errors,
  };
  const shape = shapeOf(first);
  // Seconds and milliseconds of one label never add up (spec/format-v2.md#merge).
  const why = !group.every(({ field }) => field.kind === first.kind && field.merge === first.merge && (field.version === 1 || field.unit === unit) && shapeOf(field) === shape)
    ? 'the files disagree on kind, merge rule, unit, encoding or parameters'
    : first.merge === 'none' || !KNOWN_RULES.has(first.merge)
      ? `merge rule ${first.merge}`
      : shape === 'text' && first.merge !== 'last'
        ? `text cannot be merged by ${first.merge}`
        : perFile.length === 0
          ? 'no file has a readable value'
          : undefined;
  if (why !== undefined) return { ...base, value: undefined, notMerged: why };

  let value: FieldValue | undefined;
  if (first.merge === 'last') {
    // The readable value of the file written last; the first of them when no file says when.
    let best = -Infinity;
    for (const { snapshot, field } of group) {
      if (field.value === undefined) continue;
      const time = lastWritten(snapshot);
      if (time > best) {
        best = time;
        value = field.value;
      }
    }
  } else {
    const encoding = isV2Layout(first.layout) && shape !== 'scalar' ? first.layout.encodingName : 'f64';
    const values = perFile.map(({ value: v }) => (typeof v === 'boolean' ? Number(v) : v) as V2Value);
    value = mergeValues(encoding, first.merge, values);
  }
  if (value === undefined) return { ...base, value, notMerged: 'the values cannot be merged' };
  const merged: MergedField = { ...base, value };
  if (isHistogramValue(value)) return { ...merged, percentiles: percentiles(value, quantiles) };
  if (isWindowValue(value)) return { ...merged, window: windowStats(value, now) };
  return merged;
}

const KNOWN_RULES = new Set(['sum', 'min', 'max', 'avg', 'last']);

/** How a field's value is stored, for the merge check: `scalar`, `text`, or a composite encoding with its parameters. */
function shapeOf(field: StatsField): string {
  if (field.version === 1) return field.layout.valueType.kind === 'string' ? 'text' : 'scalar';
  const { encodingName, params } = field.layout;
  if (isV2ScalarEncoding(encodingName)) return 'scalar';
  if (encodingName === 'text') return 'text';
  return `${encodingName}(${params.join(',')})`;
}

/** When a file was last written, for `last`: v2 heartbeat, else created; v1 `sys.created`; else 0. */
function lastWritten(snapshot: StatsSnapshot): number {
  const info = writerInfo(snapshot);
  return info.heartbeat ?? info.created ?? 0;
}
