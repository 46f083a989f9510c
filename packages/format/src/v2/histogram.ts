/**
 * Log-linear histograms (spec/format-v2.md#enc-histogram): bucket `1 + j` covers
 * `[2^e × (1 + m / 2^k), 2^e × (1 + (m + 1) / 2^k))`, found from a value's binary64 bits
 * without a logarithm; percentiles come from bucket midpoints within `2^−(k+1)` relative
 * error, before or after merging.
 *
 * @module
 */
import { v2BucketCount } from './records.js';
import { littleEndianHost } from './views.js';

/** A histogram's parameters: `k` sub-bucket bits, exponents `min_exp < max_exp` (param0, param1, param2). */
export interface HistogramParams {
  /** Sub-bucket bits, 0 to 8: each power of two is cut into `2^k` buckets. */
  readonly k: number;
  /** Values below `2^minExp` go to the underflow bucket 0. */
  readonly minExp: number;
  /** Values from `2^maxExp` up go to the overflow bucket `n − 1`. */
  readonly maxExp: number;
}

/**
 * The TypeScript writer's default (spec/format-v2.md#enc-histogram): `k = 4`, `2^−30` to
 * `2^34`, 1026 buckets, 3.125 % relative error: 1 ns to 500 years when the unit is seconds.
 */
export const DEFAULT_HISTOGRAM_PARAMS: HistogramParams = { k: 4, minExp: -30, maxExp: 34 };

/** A histogram's value: counts per bucket plus count, sum, min and max of the recorded values. */
export interface HistogramValue {
  /** The parameters the buckets were made with. */
  readonly params: HistogramParams;
  /** Values recorded (NaN is never recorded). */
  readonly count: number;
  /** Their sum. */
  readonly sum: number;
  /** The smallest; meaningless (0) while `count` is 0. */
  readonly min: number;
  /** The largest; meaningless (0) while `count` is 0. */
  readonly max: number;
  /** The count of each bucket, `n` of them; a `Float64Array` when read from a file. */
  readonly buckets: Float64Array | readonly number[];
}

// One scratch double and its two 32-bit halves: reading a value's bits allocates nothing.
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
// The high word (sign, exponent, top 20 mantissa bits) is word 1 on a little-endian machine.
const HIGH = littleEndianHost ? 1 : 0;

/**
 * The bucket of `v` (spec/format-v2.md#enc-histogram), from its binary64 bits: the unbiased
 * exponent `e` and the top `k` bits `m` of the mantissa give bucket
 * `1 + (e − min_exp) × 2^k + m`. Zero, negatives and values below `2^min_exp` are bucket 0;
 * `2^max_exp` and above (and +∞) bucket `n − 1`.
 *
 * @returns the bucket index, or -1 for NaN (which is not recorded)
 */
export function histogramBucketIndex(v: number, params: HistogramParams): number {
  return bucketIndex(v, params.k, params.minExp, params.maxExp);
}

/** {@link histogramBucketIndex} with the parameters one by one: the writer's hot path allocates nothing. */
export function bucketIndex(v: number, k: number, minExp: number, maxExp: number): number {
  scratch[0] = v;
  const high = scratchWords[HIGH]!;
  const biased = (high >>> 20) & 0x7ff;
  const overflow = (maxExp - minExp) * (1 << k) + 1;
  if (biased === 0x7ff) {
    if ((high & 0xfffff) !== 0 || scratchWords[HIGH ^ 1] !== 0) return -1; // NaN
    return high >>> 31 ? 0 : overflow;
  }
  // Negative values (and −0) and subnormals are below any 2^min_exp, which is ≥ 2^−1022.
  if (high >>> 31 || biased === 0) return 0;
  const e = biased - 1023;
  if (e < minExp) return 0;
  if (e >= maxExp) return overflow;
  return 1 + (e - minExp) * (1 << k) + ((high & 0xfffff) >>> (20 - k));
}

/** The values a bucket holds: `lower ≤ v < upper` (the overflow bucket includes +∞). */
export interface BucketBounds {
  /** Smallest value of the bucket (−∞ for the underflow bucket). */
  readonly lower: number;
  /** First value past the bucket (+∞ for the overflow bucket). */
  readonly upper: number;
}

/**
 * The bounds of bucket `index` (spec/format-v2.md#enc-histogram).
 *
 * @throws RangeError for an index outside `0 … n − 1` or bad parameters
 */
export function bucketBounds(index: number, params: HistogramParams): BucketBounds {
  const n = v2BucketCount(params);
  if (n === undefined || !Number.isInteger(index) || index < 0 || index >= n) {
    throw new RangeError(`no bucket ${index} in a histogram with parameters ${JSON.stringify(params)}`);
  }
  if (index === 0) return { lower: -Infinity, upper: 2 ** params.minExp };
  if (index === n - 1) return { lower: 2 ** params.maxExp, upper: Infinity };
  const j = index - 1;
  const sub = 2 ** params.k;
  const e = params.minExp + Math.floor(j / sub);
  const m = j % sub;
  return { lower: 2 ** e * (1 + m / sub), upper: 2 ** e * (1 + (m + 1) / sub) };
}

/**
 * Estimates the `q`-quantile (spec/format-v2.md#enc-histogram, "Percentiles"): rank
 * `r = ⌈q × count⌉`, the first bucket where the running count reaches `r`, its midpoint
 * clamped to `[min, max]` (`min` in the underflow bucket, `max` in the overflow bucket).
 * Within `2^−(k+1)` relative error of the `r`-th smallest value when that value lies inside
 * the buckets' range.
 *
 * @param q - the quantile, 0 < q ≤ 1 (0.5 for the median, 0.99 for p99)
 * @returns the estimate, or `undefined` when `count` is 0 or `q` is outside (0, 1]
 */
export function histogramQuantile(histogram: HistogramValue, q: number): number | undefined {
  const { count, min, max, buckets, params } = histogram;
  if (!(q > 0 && q <= 1) || !(count > 0)) return undefined;
  const rank = Math.ceil(q * count);
  let running = 0;
  const last = buckets.length - 1;
  for (let i = 0; i <= last; i++) {
    running += buckets[i]!;
    if (running < rank) continue;
    if (i === 0) return min;
    if (i === last) return max;
    const { lower, upper } = bucketBounds(i, params);
    return Math.min(max, Math.max(min, (lower + upper) / 2));
  }
  // Only a torn or hand-edited value has buckets that add up to less than count.
  return max;
}

/** `true` when two histograms have the same parameters and so may be merged (spec/format-v2.md#merge). */
export function sameHistogramParams(a: HistogramParams, b: HistogramParams): boolean {
  return a.k === b.k && a.minExp === b.minExp && a.maxExp === b.maxExp;
}

/**
 * Merges histograms component-wise (spec/format-v2.md#merge): counts, sums and buckets add,
 * min of mins and max of maxes (of those that recorded something).
 *
 * @returns the merged histogram, or `undefined` when the list is empty or the parameters differ
 *   (such histograms MUST NOT be merged)
 */
export function mergeHistograms(histograms: readonly HistogramValue[]): HistogramValue | undefined {
  const first = histograms[0];
  if (first === undefined || histograms.some((h) => !sameHistogramParams(h.params, first.params))) return undefined;
  const buckets = new Float64Array(first.buckets.length);
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const h of histograms) {
    for (let i = 0; i < buckets.length; i++) buckets[i]! += h.buckets[i] ?? 0;
    count += h.count;
    sum += h.sum;
    if (h.count > 0) {
      min = Math.min(min, h.min);
      max = Math.max(max, h.max);
    }
  }
  // An empty merge keeps the file convention: min and max 0 while count is 0.
  return count > 0 ? { params: first.params, count, sum, min, max, buckets } : { params: first.params, count, sum, min: 0, max: 0, buckets };
}
