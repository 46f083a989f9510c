/**
 * Exponential histograms (spec/format-v2.md#enc-exphistogram) as Prometheus native
 * histograms: the fields of client_model's `Histogram` message that carry one (schema, zero
 * bucket, spans and counts). Our scale is Prometheus' schema; our bucket `i`
 * (`b^i < v ≤ b^(i+1)`, OpenTelemetry's index) is Prometheus' bucket `i + 1` (which holds
 * `b^(k−1) < v ≤ b^k`).
 *
 * @module
 */
import type { ExpBuckets, ExpHistogramValue } from '@mmstats/format';
import type { ProtobufWriter } from './protobuf-writer.js';

/** Field numbers of client_model's `Histogram` (io/prometheus/client/metrics.proto). */
export const HISTOGRAM_FIELD = {
  sampleCount: 1,
  sampleSum: 2,
  bucket: 3,
  sampleCountFloat: 4,
  schema: 5,
  zeroThreshold: 6,
  zeroCount: 7,
  zeroCountFloat: 8,
  negativeSpan: 9,
  negativeDelta: 10,
  negativeCount: 11,
  positiveSpan: 12,
  positiveDelta: 13,
  positiveCount: 14,
} as const;

/** Field numbers of `BucketSpan`. */
const SPAN_FIELD = { offset: 1, length: 2 } as const;

/**
 * Runs of zero buckets longer than this end a span (a span's offset costs about what two
 * zero counts do), as the Go client does.
 */
const MAX_ZEROS_IN_SPAN = 2;


/**
 * Writes the native-histogram fields of `histogram` into the `Histogram` message being
 * written: `schema` (the scale), `zero_threshold`, the counts and the positive and negative
 * spans (Prometheus' index: ours + 1) with their counts. The counts are integers in our files
 * (binary64 sums of ones): they go in the integer fields (`sample_count`, `zero_count`,
 * delta-encoded `positive_delta`/`negative_delta`), which every Prometheus with native
 * histograms reads; a histogram with a count that is not exact there ({@link isExactCount};
 * not written by our writers) goes in the float fields (`sample_count_float`, `zero_count_float`,
 * `positive_count`/`negative_count`) instead, exactly. `sample_sum` is written by the caller.
 *
 * A histogram without observations gets one empty bucket (Prometheus' bucket 0, count 0), so
 * that a scraper can tell it from a classic histogram: Prometheus 2.42 looks for a bucket, a
 * zero count or a zero threshold above 0 in the first series of a family, and takes every
 * series of the family for classic histograms when it finds none.
 */
export function writeNativeHistogram(out: ProtobufWriter, histogram: ExpHistogramValue): void {
  const integer = isExactCount(histogram.count) && isExactCount(histogram.zeroCount) && exactCounts(histogram.positive) && exactCounts(histogram.negative);
  const F = HISTOGRAM_FIELD;
  if (integer) out.uint(F.sampleCount, histogram.count);
  else out.double(F.sampleCountFloat, histogram.count);
  out.sint(F.schema, histogram.scale);
  out.double(F.zeroThreshold, histogram.zeroThreshold);
  if (integer) out.uint(F.zeroCount, histogram.zeroCount);
  else out.double(F.zeroCountFloat, histogram.zeroCount);
  const negative = writeSide(out, histogram.negative, F.negativeSpan, integer ? F.negativeDelta : F.negativeCount, integer);
  const positive = writeSide(out, histogram.positive, F.positiveSpan, integer ? F.positiveDelta : F.positiveCount, integer);
  if (!negative && !positive) {
    // An empty bucket, which a scraper sees as a native histogram's (an empty span is not
    // enough for Prometheus 2.42, which then takes the whole family for classic histograms).
    writeSpan(out, F.positiveSpan, 0, 1);
    if (integer) out.sint(F.positiveDelta, 0);
    else out.double(F.positiveCount, 0);
  }
}

/**
 * Whether a count goes in a protobuf integer field (`uint64`) exactly: a whole number from 0 to
 * 2^53 − 1, a safe integer (the difference of two such counts, a delta, is one too). Other
 * counts (not written by our writers) go in the float fields.
 */
export function isExactCount(count: number): boolean {
  return Number.isSafeInteger(count) && count >= 0;
}

function exactCounts(side: ExpBuckets): boolean {
  for (let j = 0; j < side.counts.length; j++) if (!isExactCount(side.counts[j]!)) return false;
  return true;
}

/**
 * Writes one side's spans, then its counts (each as the difference from the bucket before it
 * when `deltas`, else as is). A span is a run of buckets that starts and ends with a count
 * above zero and has at most {@link MAX_ZEROS_IN_SPAN} zeros in a row; zero buckets outside
 * the spans are left out. Returns whether the side had a bucket.
 */
function writeSide(out: ProtobufWriter, side: ExpBuckets, spanField: number, countField: number, deltas: boolean): boolean {
  const { counts, offset } = side;
  const first = nextNonZero(counts, 0);
  if (first === counts.length) return false;
  // Prometheus' index of counts[j] is offset + j + 1: the first span's offset; the others' is the gap before them.
  let previousEnd = -1;
  for (let start = first; start < counts.length; start = nextNonZero(counts, previousEnd + 1)) {
    const end = runEnd(counts, start);
    writeSpan(out, spanField, previousEnd < 0 ? offset + 1 + start : start - previousEnd - 1, end - start + 1);
    previousEnd = end;
  }
  let previous = 0;
  for (let start = first; start < counts.length; ) {
    const end = runEnd(counts, start);
    for (let j = start; j <= end; j++) {
      const count = counts[j]!;
      if (deltas) out.sint(countField, count - previous);
      else out.double(countField, count);
      previous = count;
    }
    start = nextNonZero(counts, end + 1);
  }
  return true;
}

function writeSpan(out: ProtobufWriter, field: number, offset: number, length: number): void {
  const span = out.begin();
  out.sint(SPAN_FIELD.offset, offset);
  out.uint(SPAN_FIELD.length, length);
  out.end(span, field);
}

/** The first index from `from` with a count above zero, or `counts.length`. */
function nextNonZero(counts: ExpBuckets['counts'], from: number): number {
  let j = from;
  while (j < counts.length && counts[j] === 0) j++;
  return j;
}

/** The last bucket of the span that starts at `start` (a count above zero). */
function runEnd(counts: ExpBuckets['counts'], start: number): number {
  let end = start;
  for (;;) {
    const next = nextNonZero(counts, end + 1);
    if (next === counts.length || next - end - 1 > MAX_ZEROS_IN_SPAN) return end;
    end = next;
  }
}
