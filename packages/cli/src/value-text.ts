/**
 * Values as the commands print them. v1 fields print as Python's `str()` would (see
 * `pythonText`), so that `mmstats slurp` stays line-for-line compatible with `slurpstats`. v2
 * values print by encoding: scalars in full, composite values as a short summary (percentiles
 * of a histogram, the mean of an average, the rate and mean of a window).
 *
 * @module
 */
import { meanOf, isDistributionValue, isWindowValue, type JsonData, toJsonV2Value, toJsonValue, type V2Value, type ValueKind, windowStats } from '@mmstats/format';
import { percentiles, type FieldValue, type StatsField } from '@mmstats/reader';
import { pythonText } from './python-text.js';

/**
 * A number computed by a reader (a percentile, a mean, a rate) to `digits` significant
 * digits, without trailing zeros: `0.0123`, `1235`, `NaN`.
 */
function statNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(digits)));
}

/**
 * A v2 value as text:
 * - `f64` numbers as JavaScript prints them (`12345`, `0.25`, `NaN`), `i64`/`u64` exactly;
 * - text as it is;
 * - an average as `MEAN (count=N)` (`- (count=0)` when empty);
 * - a histogram as `p50=… p90=… p99=… count=N` (percentiles to 4 significant digits, within
 *   the histogram's stated error; just `count=0` when empty);
 * - a window as `rate=R/s mean=M` at time `now` (Unix seconds), over its last N slots.
 */
export function v2ValueText(value: V2Value, now: number): string {
  if (typeof value !== 'object') return String(value);
  if (isDistributionValue(value)) {
    if (value.count === 0) return 'count=0';
    // The reader's default quantiles: p50, p90, p99.
    const ps = percentiles(value);
    const shown = Object.entries(ps).map(([name, p]) => `${name}=${p === undefined ? '-' : statNumber(p)}`);
    return `${shown.join(' ')} count=${statNumber(value.count, 15)}`;
  }
  if (isWindowValue(value)) {
    const stats = windowStats(value, now);
    return `rate=${statNumber(stats.rate, 6)}/s mean=${stats.mean === undefined ? '-' : statNumber(stats.mean, 6)}`;
  }
  const mean = meanOf(value);
  return `${mean === undefined ? '-' : statNumber(mean, 6)} (count=${statNumber(value.count, 15)})`;
}

/**
 * A field's value as text: a v1 field as Python prints it (`True`, `2.0`...), a v2 field by
 * {@link v2ValueText}, and a v2 field whose value could not be read as its error code
 * (`error MMSTATS-E014`).
 */
export function fieldValueText(field: StatsField, now: number): string {
  if (field.version === 1) return pythonText(field.value, field.layout.valueType.kind);
  if (field.error !== undefined || field.value === undefined) return `error ${field.error?.code ?? 'MMSTATS-E014'}`;
  return v2ValueText(field.value, now);
}

/**
 * Any value a command shows as text: a v1 scalar as Python prints it for a field of value kind
 * `kind` (a v1 type's kind; `undefined` for v2), a v2 value by {@link v2ValueText}.
 */
export function valueText(value: FieldValue, kind: ValueKind | undefined, now: number): string {
  if (kind !== undefined && typeof value !== 'object') return pythonText(value, kind);
  return v2ValueText(value as V2Value, now);
}

/**
 * The JSON form of a value of either version (spec/expected-json.md): v1 scalars by
 * `toJsonValue`, v2 values by `toJsonV2Value` (histograms and windows as objects).
 */
export function jsonValue(value: FieldValue): JsonData {
  return typeof value === 'object' ? toJsonV2Value(value) : toJsonValue(value);
}

/** A label with its dimensions, as the commands show them: `label{k=v,...}`, or the bare label when it has none. */
export function labelText(label: string, dims: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(dims);
  return pairs.length === 0 ? label : `${label}{${pairs.map(([k, v]) => `${k}=${v}`).join(',')}}`;
}
