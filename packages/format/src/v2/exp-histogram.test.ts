import test from 'ava';
import fc from 'fast-check';
import {
  EXP_HISTOGRAM_WORDS as W,
  V2_EXP_HISTOGRAM_LIMITS,
  expBucketIndex,
  expBucketLowerBound,
  expHistogramBucketOf,
  expHistogramOffsetOf,
  expHistogramQuantile,
  mergeExpHistograms,
  recordExpHistogram,
  type ExpHistogramValue,
} from './exp-histogram.js';

/** A value area of `n` slots per sign starting at `scale`, with the values recorded the way a writer does. */
function recorded(values: readonly number[], scale: number, n = 160, zeroThreshold = 0): ExpHistogramValue {
  const f64 = new Float64Array(W.slots + 2 * n);
  const i32 = new Int32Array(f64.buffer);
  f64[W.zeroThreshold] = zeroThreshold;
  i32[2 * W.scale] = scale;
  for (const v of values) recordExpHistogram(f64, i32, 0, n, v, expHistogramBucketOf(f64, i32, 0, v), expHistogramOffsetOf(i32, 0, v));
  return {
    scale: i32[2 * W.scale]!,
    zeroThreshold,
    zeroCount: f64[W.zeroCount]!,
    count: f64[W.count]!,
    sum: f64[W.sum]!,
    min: f64[W.min]!,
    max: f64[W.max]!,
    positive: { offset: i32[2 * W.offsets]!, counts: f64.slice(W.slots, W.slots + n) },
    negative: { offset: i32[2 * W.offsets + 1]!, counts: f64.slice(W.slots + n) },
  };
}

/** Non-zero buckets of a side as `[index, count]` in index order: what two histograms must agree on. */
function bucketsOf(side: ExpHistogramValue['positive']): [number, number][] {
  const out: [number, number][] = [];
  side.counts.forEach((c, j) => c !== 0 && out.push([side.offset + j, c]));
  return out;
}

/** The buckets of `values` at `scale` by the definition `b^i < |v| ≤ b^(i+1)`, one value at a time. */
function expectedBuckets(values: readonly number[], scale: number, sign: 1 | -1): [number, number][] {
  const out = new Map<number, number>();
  for (const v of values) {
    if (Math.sign(v) !== sign) continue;
    const i = expBucketIndex(Math.abs(v), scale);
    out.set(i, (out.get(i) ?? 0) + 1);
  }
  return [...out].sort((x, y) => x[0] - y[0]);
}

const scales = fc.integer({ min: V2_EXP_HISTOGRAM_LIMITS.minScale, max: V2_EXP_HISTOGRAM_LIMITS.maxScale });

test('powers of two sit at the top of their bucket, at every scale', (t) => {
  t.is(expBucketIndex(8, 0), 2); // (4, 8]
  t.is(expBucketIndex(4, -1), 0); // base 4: (1, 4]
  t.is(expBucketIndex(1, 0), -1); // (1/2, 1]
  t.is(expBucketIndex(2, 3), 7); // base 2^(1/8): (2^(7/8), 2]
  t.is(expBucketIndex(2 ** -1074, 0), -1075); // the smallest subnormal
  for (let s = -4; s <= 8; s++) {
    for (const e of [-1074, -1022, -3, 0, 1, 5, 1023]) {
      const i = expBucketIndex(2 ** e, s);
      t.is(i, s > 0 ? e * 2 ** s - 1 : Math.ceil(e / 2 ** -s) - 1, `2^${e} at scale ${s}`);
    }
  }
});

test('a value lies in its bucket: b^i < v ≤ b^(i+1), with the bounds readers compute', (t) => {
  t.notThrows(() => fc.assert(
    fc.property(fc.double({ min: 2 ** -1000, max: 2 ** 1000, noNaN: true }), scales, (v, s) => {
      const i = expBucketIndex(v, s);
      return expBucketLowerBound(i, s) < v && v <= expBucketLowerBound(i + 1, s);
    }),
    { numRuns: 20000 },
  ));
});

test('the bucket agrees with a logarithm away from the edges', (t) => {
  for (let s = -4; s <= 8; s++) {
    for (const v of [1.1, 3, 1000, 0.001, 123456.789, 7e-300, 4e-320]) {
      t.is(expBucketIndex(v, s), Math.floor(Math.log2(v) * 2 ** s), `${v} at scale ${s}`);
    }
  }
});

test('bounds: exact powers of two at scale 0 and below, square roots of 2 at scale 1', (t) => {
  t.is(expBucketLowerBound(3, 0), 8);
  t.is(expBucketLowerBound(-2, -2), 2 ** -8);
  t.is(expBucketLowerBound(1, 1), Math.SQRT2);
  t.is(expBucketLowerBound(-1, 1), Math.SQRT2 / 2);
  t.is(expBucketLowerBound(-1075 * 256, 8), 0); // below every subnormal
  t.is(expBucketLowerBound(1024, 0), Infinity);
});

test('values beyond the slots re-base, then downscale in place: the result is the histogram of those values at the final scale', (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.double({ min: -1e300, max: 1e300, noNaN: true }), fc.double({ min: -1e-3, max: 1e3, noNaN: true }), fc.constant(0)), { maxLength: 200 }),
      scales,
      fc.integer({ min: 132, max: 300 }),
      (values, scale, n) => {
        const h = recorded(values, scale, n);
        t.true(h.scale <= scale && h.scale >= -4);
        t.is(h.count, values.length);
        t.is(h.zeroCount, values.filter((v) => v === 0).length);
        t.deepEqual(bucketsOf(h.positive), expectedBuckets(values, h.scale, 1));
        t.deepEqual(bucketsOf(h.negative), expectedBuckets(values, h.scale, -1));
      },
    ),
    { numRuns: 300 },
  );
});

test('a narrow range keeps the starting scale; a wide one lowers it only as far as needed', (t) => {
  t.is(recorded([1.001, 1.2, 1.5], 8).scale, 8);
  // 1e-3 to 1e3 spans log2(1e6) ≈ 19.9 powers of two: 160 slots take 2^3 per power of two.
  const wide = recorded([1e-3, 1e3], 8);
  t.is(wide.scale, 3);
  t.is(recorded([Number.MIN_VALUE, Number.MAX_VALUE, -Number.MIN_VALUE, -Number.MAX_VALUE], 8, 132).scale, -4);
});

test('the zero threshold takes |v| at or below it', (t) => {
  const h = recorded([0, -0, 1e-9, -1e-9, 2e-9, -3], 0, 160, 1e-9);
  t.is(h.zeroCount, 4);
  t.deepEqual(bucketsOf(h.positive), [[expBucketIndex(2e-9, 0), 1]]);
  t.deepEqual(bucketsOf(h.negative), [[1, 1]]); // 3 is in (2, 4]
});

test('quantiles are bucket midpoints, within (b − 1) / 2 of the exact value, negatives first', (t) => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 100 }), (values, percent) => {
      const h = recorded(values, 8);
      const q = percent / 100;
      const exact = [...values].sort((a, b) => a - b)[Math.ceil(q * values.length) - 1]!;
      const bound = (2 ** (2 ** -h.scale) - 1) / 2;
      return Math.abs(expHistogramQuantile(h, q)! - exact) <= bound * exact * (1 + 1e-12);
    }),
  );
  const mixed = recorded([-8, -8, 0, 3], 0);
  t.is(expHistogramQuantile(mixed, 0.25), -6); // bucket (4, 8] on the negative side: midpoint −6
  t.is(expHistogramQuantile(mixed, 0.75), 0);
  t.is(expHistogramQuantile(mixed, 1), 3); // midpoint 3 of (2, 4]
  t.is(expHistogramQuantile(recorded([], 0), 0.5), undefined);
  t.is(expHistogramQuantile(mixed, 0), undefined);
});

test('merging downscales the finer histograms: the same as recording every value at the coarsest scale', (t) => {
  const a = [0.3, 0.7, 1.5, -2, 0];
  const b = [1e-3, 5, 9, -0.25];
  const fine = recorded(a, 6);
  const coarse = recorded(b, 1);
  const merged = mergeExpHistograms([fine, coarse, recorded([], 8)])!;
  t.is(merged.scale, 1);
  t.is(merged.count, 9);
  t.is(merged.zeroCount, 1);
  t.is(merged.min, -2);
  t.is(merged.max, 9);
  t.deepEqual(bucketsOf(merged.positive), expectedBuckets([...a, ...b], 1, 1));
  t.deepEqual(bucketsOf(merged.negative), expectedBuckets([...a, ...b], 1, -1));
  // Trimmed to the non-empty buckets.
  t.is(merged.positive.counts[0]! > 0 && merged.positive.counts.at(-1)! > 0, true);
});

test('different zero thresholds are not merged; an empty list neither', (t) => {
  t.is(mergeExpHistograms([recorded([1], 0, 160, 0), recorded([1], 0, 160, 1e-9)]), undefined);
  t.is(mergeExpHistograms([]), undefined);
  const empty = mergeExpHistograms([recorded([], 3)])!;
  t.deepEqual([empty.count, empty.min, empty.max, empty.positive.counts.length], [0, 0, 0, 0]);
});
