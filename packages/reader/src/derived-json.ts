/**
 * The JSON form of field values with what a reader derives from them, for every JSON answer
 * (mmash's API and its event stream, the CLI's JSON output): v1 values and v2 scalars as
 * spec/expected-json.md says, v2 composite values in their spec form
 * (spec/expected-json.md#v2-values) plus the percentiles of histograms, the mean of averages,
 * the rate and mean of windows, each computed in one place.
 *
 * @module
 */
import { meanOf, type DistributionValue, isDistributionValue, isWindowValue, type JsonData, toJsonV2Value, toJsonValue, windowStats, type WindowValue } from '@mmstats/format';
import type { FieldValue } from './fields.js';
import { DEFAULT_QUANTILES, percentiles } from './merge-snapshots.js';

/** What {@link valueToJson} computes derived numbers with. */
export interface JsonValueOptions {
  /** The quantiles of histograms; default p50, p90, p99. */
  readonly quantiles?: readonly number[];
  /** The time windows are evaluated at, Unix seconds; default now. */
  readonly now?: number;
}

/**
 * The JSON form of `value`:
 * - booleans, numbers, 64-bit integers, strings: as spec/expected-json.md#values (`true`,
 *   `42`, `"18446744073709551615"`, `"NaN"`, the text);
 * - an average: `{"sum", "count", "mean"}` (`mean` `null` while `count` is 0);
 * - a histogram: `{"count", "sum", "min", "max", "buckets": {"<index>": n}, "percentiles":
 *   {"p50": x, "p90": y, "p99": z}}` (estimates per spec/format-v2.md#enc-histogram, `null`
 *   while empty; the quantiles of `options`); an exponential histogram likewise, in its form of
 *   spec/expected-json.md#v2-values (`scale`, `zero_count`, `positive`, `negative`);
 * - a window: `{"slot_ms", "slots": [...], "window": {"rate", "mean", "count", "sum",
 *   "elapsed"}}`, the stats at `options.now` (spec/format-v2.md#enc-window).
 */
export function valueToJson(value: FieldValue, options: JsonValueOptions = {}): JsonData {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'object') return toJsonValue(value);
  const base = toJsonV2Value(value) as Record<string, JsonData>;
  if (isDistributionValue(value)) return { ...base, percentiles: percentilesToJson(value, options.quantiles) };
  if (isWindowValue(value)) return { ...base, window: windowToJson(value, options.now) };
  return { ...base, mean: meanToJson(meanOf(value)) };
}

/**
 * `value` boiled down to what a chart plots, for a live feed: scalars and text as
 * {@link valueToJson}; a histogram `{"count", "sum", "p50", "p90", "p99"}` (the quantiles of
 * `options`); a window `{"rate", "mean", "count"}` at `options.now`; an average `{"count",
 * "sum", "mean"}`. No buckets or slots.
 */
export function summaryToJson(value: FieldValue, options: JsonValueOptions = {}): JsonData {
  if (typeof value !== 'object') return valueToJson(value);
  if (isDistributionValue(value)) return { count: toJsonValue(value.count), sum: toJsonValue(value.sum), ...percentilesToJson(value, options.quantiles) };
  if (isWindowValue(value)) {
    const { rate, mean, count } = windowToJson(value, options.now);
    return { rate: rate!, mean: mean!, count: count! };
  }
  return { count: toJsonValue(value.count), sum: toJsonValue(value.sum), mean: meanToJson(meanOf(value)) };
}

function meanToJson(mean: number | undefined): JsonData {
  return mean === undefined ? null : toJsonValue(mean);
}

/** `{"p50": x, ...}` of `histogram` at `quantiles` (default p50, p90, p99); `null` for none. */
export function percentilesToJson(histogram: DistributionValue, quantiles: readonly number[] = DEFAULT_QUANTILES): Record<string, JsonData> {
  const out: Record<string, JsonData> = {};
  for (const [key, estimate] of Object.entries(percentiles(histogram, quantiles))) out[key] = estimate === undefined ? null : toJsonValue(estimate);
  return out;
}

/** `{"rate", "mean", "count", "sum", "elapsed"}` of `window` at `now` (default the current time). */
export function windowToJson(window: WindowValue, now: number = Date.now() / 1000): Record<string, JsonData> {
  const stats = windowStats(window, now);
  return {
    rate: toJsonValue(stats.rate),
    mean: meanToJson(stats.mean),
    count: toJsonValue(stats.count),
    sum: toJsonValue(stats.sum),
    elapsed: toJsonValue(stats.elapsed),
  };
}
