// Exponential histograms as Prometheus native histograms, decoded with protobufjs as a
// client_model `Histogram` message.
import test from 'ava';
import { expBucketLowerBound, type ExpHistogramValue } from '@mmstats/format';
import { decodeHistogram } from './client-model.test.util.js';
import { isExactCount, writeNativeHistogram } from './native-histogram.js';
import { ProtobufWriter } from './protobuf-writer.js';

function encoded(histogram: ExpHistogramValue): ReturnType<typeof decodeHistogram> {
  const out = new ProtobufWriter();
  writeNativeHistogram(out, histogram);
  return decodeHistogram(out.bytes);
}

const EMPTY: ExpHistogramValue = { scale: 8, zeroThreshold: 0, zeroCount: 0, count: 0, sum: 0, min: 0, max: 0, positive: { offset: 0, counts: [] }, negative: { offset: 0, counts: [] } };

/** Prometheus' buckets from spans and deltas: its index to count. */
function prometheusBuckets(spans: readonly { offset?: number; length?: number }[], deltas: readonly number[]): Map<number, number> {
  const buckets = new Map<number, number>();
  let index = 0;
  let count = 0;
  let d = 0;
  for (const { offset = 0, length = 0 } of spans) {
    index += offset;
    for (let k = 0; k < length; k++, index++) buckets.set(index, (count += deltas[d++]!));
  }
  return buckets;
}

test('our bucket i is Prometheus bucket i + 1: the same upper edge b^(i+1)', (t) => {
  // 1.5 at scale 1 (base √2): our bucket 1, (√2, 2]; Prometheus' bucket 2 holds (b^1, b^2] alike.
  const h = encoded({ ...EMPTY, scale: 1, count: 1, sum: 1.5, positive: { offset: 1, counts: [1] } });
  t.deepEqual(h.positiveSpan, [{ offset: 2, length: 1 }]);
  t.deepEqual([...prometheusBuckets(h.positiveSpan, h.positiveDelta)], [[2, 1]]);
  t.true(expBucketLowerBound(1, 1) < 1.5 && 1.5 <= expBucketLowerBound(2, 1));
});

test('spans skip runs of more than two zero buckets; zeros at the ends are left out; negatives alike', (t) => {
  const h = encoded({
    ...EMPTY, scale: 2, zeroThreshold: 1e-9, zeroCount: 4, count: 20, sum: 1,
    positive: { offset: -5, counts: [0, 3, 0, 0, 2, 0, 0, 0, 5, 0] },
    negative: { offset: 7, counts: [0, 0, 1, 1, 0, 0] },
  });
  t.like(h, { schema: 2, zeroThreshold: 1e-9, zeroCount: 4, sampleCount: 20 });
  t.deepEqual(h.positiveSpan, [{ offset: -3, length: 4 }, { offset: 3, length: 1 }]);
  t.deepEqual(h.positiveDelta, [3, -3, 0, 2, 3]);
  t.deepEqual([...prometheusBuckets(h.positiveSpan, h.positiveDelta)], [[-3, 3], [-2, 0], [-1, 0], [0, 2], [4, 5]]);
  t.deepEqual([...prometheusBuckets(h.negativeSpan, h.negativeDelta)], [[10, 1], [11, 1]]);
  t.deepEqual(h.positiveCount, []);
});

test('counts that are not integers below 2^53 go in the float fields, exactly', (t) => {
  const h = encoded({ ...EMPTY, scale: 0, zeroCount: 0.5, count: 2 ** 60, sum: 3, positive: { offset: 0, counts: [2 ** 60 - 0.5 * 2 ** 10, 0, 7] } });
  t.like(h, { sampleCountFloat: 2 ** 60, zeroCountFloat: 0.5 });
  t.is(h.sampleCount ?? 0, 0);
  t.deepEqual(h.positiveSpan, [{ offset: 1, length: 3 }]);
  t.deepEqual(h.positiveCount, [2 ** 60 - 0.5 * 2 ** 10, 0, 7]);
  t.deepEqual(h.positiveDelta, []);
});

test('a histogram without observations has one empty bucket, so that Prometheus 2.42 takes it for a native one', (t) => {
  const h = encoded(EMPTY);
  t.like(h, { schema: 8, zeroThreshold: 0, sampleCount: 0, zeroCount: 0 });
  t.deepEqual(h.positiveSpan, [{ offset: 0, length: 1 }]);
  t.deepEqual(h.positiveDelta, [0]);
  t.deepEqual(h.negativeSpan, []);
  t.deepEqual(encoded({ ...EMPTY, zeroCount: 0.5, count: 0.5 }).positiveCount, [0]);
});

test('a count is exact in an integer field when it is a whole number from 0 to 2^53 - 1', (t) => {
  t.deepEqual([0, 1, 2 ** 53 - 1].map(isExactCount), [true, true, true]);
  t.deepEqual([2 ** 53, -1, 0.5, NaN, Infinity].map(isExactCount), [false, false, false, false, false]);
});
