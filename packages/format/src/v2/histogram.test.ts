import test from 'ava';
import fc from 'fast-check';
import {
  DEFAULT_HISTOGRAM_PARAMS,
  bucketBounds,
  histogramBucketIndex,
  histogramQuantile,
  mergeHistograms,
  type HistogramParams,
  type HistogramValue,
} from './histogram.js';
import { v2BucketCount } from './records.js';

/** A histogram of `values`, built the way a writer records them. */
function histogramOf(values: readonly number[], params: HistogramParams = DEFAULT_HISTOGRAM_PARAMS): HistogramValue {
  const buckets = new Float64Array(v2BucketCount(params)!);
  let sum = 0;
  for (const v of values) {
    buckets[histogramBucketIndex(v, params)]! += 1;
    sum += v;
  }
  return { params, count: values.length, sum, min: Math.min(...values), max: Math.max(...values), buckets };
}

/** The exact q-quantile by the spec's rank rule: the ⌈q × count⌉-th smallest value. */
function exactQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length) - 1]!;
}

test('the default histogram has 1026 buckets from 2^-30 to 2^34', (t) => {
  t.is(v2BucketCount(DEFAULT_HISTOGRAM_PARAMS), 1026);
  t.deepEqual(bucketBounds(0, DEFAULT_HISTOGRAM_PARAMS), { lower: -Infinity, upper: 2 ** -30 });
  t.deepEqual(bucketBounds(1025, DEFAULT_HISTOGRAM_PARAMS), { lower: 2 ** 34, upper: Infinity });
});

test('buckets by hand: k = 2 cuts each power of two in four', (t) => {
  const p = { k: 2, minExp: 0, maxExp: 3 };
  t.is(histogramBucketIndex(1, p), 1); // [1, 1.25)
  t.is(histogramBucketIndex(1.25, p), 2); // [1.25, 1.5)
  t.is(histogramBucketIndex(1.99, p), 4); // [1.75, 2)
  t.is(histogramBucketIndex(2, p), 5); // [2, 2.5)
  t.is(histogramBucketIndex(7.9, p), 12); // [7, 8)
  t.is(histogramBucketIndex(8, p), 13); // overflow
  t.is(histogramBucketIndex(Infinity, p), 13);
  t.is(histogramBucketIndex(0.99, p), 0); // underflow
  t.is(histogramBucketIndex(0, p), 0);
  t.is(histogramBucketIndex(-0, p), 0);
  t.is(histogramBucketIndex(-5, p), 0);
  t.is(histogramBucketIndex(-Infinity, p), 0);
  t.is(histogramBucketIndex(Number.MIN_VALUE, p), 0); // subnormal
  t.is(histogramBucketIndex(Number.NaN, p), -1); // not recorded
  t.deepEqual(bucketBounds(2, p), { lower: 1.25, upper: 1.5 });
});

const params = fc.record({
  k: fc.integer({ min: 0, max: 8 }),
  minExp: fc.integer({ min: -1022, max: 1000 }),
}).chain(({ k, minExp }) => fc.record({ k: fc.constant(k), minExp: fc.constant(minExp), maxExp: fc.integer({ min: minExp + 1, max: Math.min(1023, minExp + 40) }) }));

test('every value lies inside the bounds of its bucket', (t) => {
  t.notThrows(() => fc.assert(
    fc.property(params, fc.double({ noNaN: true }), (p, v) => {
      const { lower, upper } = bucketBounds(histogramBucketIndex(v, p), p);
      return lower <= v && (v < upper || (v === Infinity && upper === Infinity));
    }),
    { numRuns: 20000 },
  ));
});

test('the bucket index never decreases as the value grows', (t) => {
  t.notThrows(() => fc.assert(
    fc.property(params, fc.double({ noNaN: true }), fc.double({ noNaN: true }), (p, a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      return histogramBucketIndex(lo, p) <= histogramBucketIndex(hi, p);
    }),
    { numRuns: 20000 },
  ));
});

// Values inside the default range (1 ns to 500 years in seconds), log-uniform like latencies.
const sample = fc.array(fc.double({ min: -29, max: 33, noNaN: true }).map((e) => 2 ** e), { minLength: 1, maxLength: 400 });
const quantile = fc.double({ min: 0.001, max: 1, noNaN: true });

test('quantiles are within 2^-(k+1) relative error of the exact ones', (t) => {
  const bound = 2 ** -(DEFAULT_HISTOGRAM_PARAMS.k + 1);
  t.notThrows(() => fc.assert(
    fc.property(sample, quantile, (values, q) => {
      const estimate = histogramQuantile(histogramOf(values), q)!;
      const exact = exactQuantile(values, q);
      return Math.abs(estimate - exact) <= bound * exact;
    }),
    { numRuns: 2000 },
  ));
});

test('merged histograms give quantiles of all the values with the same bound', (t) => {
  const bound = 2 ** -(DEFAULT_HISTOGRAM_PARAMS.k + 1);
  t.notThrows(() => fc.assert(
    fc.property(fc.array(sample, { minLength: 1, maxLength: 5 }), quantile, (files, q) => {
      const merged = mergeHistograms(files.map((values) => histogramOf(values)))!;
      const all = files.flat();
      const exact = exactQuantile(all, q);
      return merged.count === all.length && Math.abs(histogramQuantile(merged, q)! - exact) <= bound * exact;
    }),
    { numRuns: 1000 },
  ));
});

test('p50, p90 and p99 of 1..1000 ms', (t) => {
  const values = Array.from({ length: 1000 }, (_, i) => (i + 1) / 1000);
  const h = histogramOf(values);
  for (const [q, exact] of [[0.5, 0.5], [0.9, 0.9], [0.99, 0.99], [1, 1]] as const) {
    const estimate = histogramQuantile(h, q)!;
    t.true(Math.abs(estimate - exact) <= exact / 32, `p${q * 100}: ${estimate}`);
  }
  t.is(histogramQuantile(h, 1), 1); // the top bucket's midpoint is clamped to max
});

test('quantiles in the underflow and overflow buckets are min and max', (t) => {
  const h = histogramOf([-3, 0, 2 ** 40], DEFAULT_HISTOGRAM_PARAMS);
  t.is(histogramQuantile(h, 0.1), -3);
  t.is(histogramQuantile(h, 1), 2 ** 40);
  t.is(histogramQuantile({ ...h, count: 0 }, 0.5), undefined);
  t.is(histogramQuantile(h, 0), undefined);
});

test('histograms of different parameters do not merge', (t) => {
  const a = histogramOf([1], { k: 2, minExp: 0, maxExp: 4 });
  const b = histogramOf([1], { k: 3, minExp: 0, maxExp: 4 });
  t.is(mergeHistograms([a, b]), undefined);
  t.is(mergeHistograms([]), undefined);
  const merged = mergeHistograms([a, histogramOf([3, 5], a.params)])!;
  t.like(merged, { count: 3, sum: 9, min: 1, max: 5 });
});
