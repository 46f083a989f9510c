/**
 * How an OpenTelemetry Histogram is stored: the one place that chooses the record's encoding
 * and its parameters.
 *
 * @module
 */
import { DEFAULT_HISTOGRAM_PARAMS, type HistogramParams, V2_HISTOGRAM_LIMITS } from '@mmstats/format';
import { type FieldDef, histogram, type HistogramV2 } from '@mmstats/writer';
import { SECONDS_BUCKETS } from '@mmstats/writer/runtime';

/** What {@link histogramRecord} needs to know of the instrument. */
export interface HistogramInstrument {
  /** The record's unit, a Prometheus word (`seconds`). */
  readonly unit: string;
  /** The record's help: the instrument's description. */
  readonly help: string;
  /** `advice.explicitBucketBoundaries` of the instrument, if any. */
  readonly boundaries?: readonly number[] | undefined;
  /** The record's dimensions: the attribute set's and the scope's. */
  readonly dims?: Readonly<Record<string, string>>;
}

/**
 * The record of an OpenTelemetry Histogram: the writer's log-linear `histogram`
 * (spec/format-v2.md#enc-histogram) with `k = 4` (every value within 3.125 %, so percentiles
 * merge across processes without fixed buckets). Its range:
 *
 * - with `advice.explicitBucketBoundaries`, the powers of two around them: from `2^⌊log2 b₀⌋`
 *   (`b₀` the smallest positive boundary) up to past the largest, so each boundary falls inside
 *   the buckets (a log-linear histogram cannot hold arbitrary boundaries; it resolves them
 *   within 3.125 %, and values beyond them land in the underflow and overflow buckets as in an
 *   explicit histogram's first and last);
 * - else, for unit `seconds`, `SECONDS_BUCKETS` (about 1 µs to 256 s, as the writer's HTTP and
 *   runtime integrations), so these merge with the writer's own durations;
 * - else the writer's default (`2^−30` to `2^34`).
 *
 * The parameters depend only on the instrument's definition, so every process of a service
 * writes the same and the records merge. When the format has an exponential histogram, this is
 * the function to switch.
 */
export function histogramRecord(instrument: HistogramInstrument): FieldDef<HistogramV2> {
  const params = histogramParams(instrument);
  return histogram({ ...params, unit: instrument.unit, help: instrument.help, dims: instrument.dims ?? {} });
}

/** The bucket parameters {@link histogramRecord} uses for `instrument`. */
export function histogramParams(instrument: HistogramInstrument): HistogramParams {
  const positive = (instrument.boundaries ?? []).filter((b) => Number.isFinite(b) && b > 0);
  if (positive.length > 0) {
    const minExp = Math.max(V2_HISTOGRAM_LIMITS.minExp, Math.floor(Math.log2(Math.min(...positive))));
    const maxExp = Math.min(V2_HISTOGRAM_LIMITS.maxExp, Math.max(minExp + 1, Math.floor(Math.log2(Math.max(...positive))) + 1));
    return { k: DEFAULT_HISTOGRAM_PARAMS.k, minExp, maxExp };
  }
  return instrument.unit === 'seconds' ? SECONDS_BUCKETS : DEFAULT_HISTOGRAM_PARAMS;
}
