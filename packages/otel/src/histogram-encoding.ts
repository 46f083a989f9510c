/**
 * How an OpenTelemetry Histogram is stored: the one place that chooses the record's encoding
 * and its parameters.
 *
 * @module
 */
import { DEFAULT_HISTOGRAM_PARAMS, V2_HISTOGRAM_LIMITS } from '@mmstats/format';
import { type ExpHistogramV2, type FieldDef, histogram, type HistogramV2 } from '@mmstats/writer';

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
 * The record of an OpenTelemetry Histogram (spec/files.md#otel-histograms):
 *
 * - without `advice.explicitBucketBoundaries`, the writer's exponential histogram
 *   (`exphistogram`, spec/format-v2.md#enc-exphistogram) with its defaults: 160 slots a sign
 *   (the OpenTelemetry SDK's default size), starting at scale 8 and downscaling in place as the
 *   values' range needs, as the SDK's ExponentialHistogram does; its buckets are
 *   OpenTelemetry's and Prometheus' native ones, so they go on without re-bucketing;
 * - with boundaries, the log-linear `histogram` with `k = 4` over the powers of two around
 *   them: from `2^⌊log2 b₀⌋` (`b₀` the smallest positive boundary) up to past the largest, so
 *   each boundary falls inside the buckets, resolved within 3.125 % (an exponential histogram
 *   resolves it only to its bucket at the scale the values leave it), and values beyond them land
 *   in the underflow and overflow buckets as in an explicit histogram's first and last.
 *
 * The choice depends only on the instrument's definition, so every process of a service writes
 * the same and the records merge.
 */
export function histogramRecord(instrument: HistogramInstrument): FieldDef<HistogramV2 | ExpHistogramV2> {
  const field = { unit: instrument.unit, help: instrument.help, dims: instrument.dims ?? {} };
  const boundaries = (instrument.boundaries ?? []).filter((b) => Number.isFinite(b) && b > 0);
  if (boundaries.length === 0) return histogram({ ...field, encoding: 'exponential' });
  const minExp = Math.max(V2_HISTOGRAM_LIMITS.minExp, Math.floor(Math.log2(Math.min(...boundaries))));
  const maxExp = Math.min(V2_HISTOGRAM_LIMITS.maxExp, Math.max(minExp + 1, Math.floor(Math.log2(Math.max(...boundaries))) + 1));
  return histogram({ ...field, k: DEFAULT_HISTOGRAM_PARAMS.k, minExp, maxExp });
}
