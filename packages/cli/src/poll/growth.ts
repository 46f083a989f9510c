/**
 * How much a record grew between two readings of the same file, the way `mmstats poll` and
 * `mmstats top` count: a counter that went down (its file was recreated) counts from zero, as
 * Prometheus' `rate()` treats a reset; a histogram's interval is the growth of its count, sum
 * and bucket counts (spec/format-v2.md#enc-histogram, #enc-exphistogram), so that its
 * percentiles are those of the values recorded in the interval, not since start.
 *
 * @module
 */
import { type DistributionValue, type ExpBuckets, type ExpHistogramValue, expHistogramAtScale, type HistogramValue, isExpHistogramValue, mergeExpHistograms } from '@mmstats/format';
import { isAverageValue, isDistributionValue, isHistogramValue, type FieldValue } from '@mmstats/reader';

/**
 * What `now` recorded since `before`, of either histogram encoding ({@link histogramGrowth},
 * {@link expHistogramGrowth}); all of `now` when the two are not the same record's readings
 * (another encoding: the file was replaced).
 */
export function distributionGrowth(before: DistributionValue, now: DistributionValue): DistributionValue {
  if (isHistogramValue(before) && isHistogramValue(now)) return histogramGrowth(before, now);
  if (isExpHistogramValue(before) && isExpHistogramValue(now)) return expHistogramGrowth(before, now);
  return now;
}

/**
 * The values of one interval, all records together, of either encoding
 * ({@link intervalHistogram}; exponential growths are merged as readers merge them, at the
 * smallest scale), with the since-start `min` and `max` as the bounds estimates are clamped to.
 * `sinceStart` when the growths cannot be merged (another encoding or zero threshold).
 */
export function intervalDistribution(sinceStart: DistributionValue, grownBy: readonly DistributionValue[]): DistributionValue {
  if (isHistogramValue(sinceStart)) {
    const logLinear = grownBy.filter(isHistogramValue);
    return logLinear.length === grownBy.length ? intervalHistogram(sinceStart, logLinear) : sinceStart;
  }
  // No growth known (every file new or replaced): an interval without values, as a log-linear one gets.
  if (grownBy.length === 0) return { ...sinceStart, count: 0, sum: 0, zeroCount: 0, positive: NO_BUCKETS, negative: NO_BUCKETS };
  const exponential = grownBy.filter(isExpHistogramValue);
  const merged = exponential.length === grownBy.length ? mergeExpHistograms(exponential) : undefined;
  return merged === undefined ? sinceStart : { ...merged, min: sinceStart.min, max: sinceStart.max };
}

const NO_BUCKETS: ExpBuckets = { offset: 0, counts: new Float64Array(0) };

/**
 * What an exponential histogram `now` recorded since `before`: `before` brought to `now`'s scale
 * (the writer only ever lowers it, spec/format-v2.md#exp-downscale), then the growth of count,
 * sum, zero count and each bucket; all of `now` when it was reset (a count that went down, a
 * finer scale, another zero threshold, a bucket that emptied).
 */
export function expHistogramGrowth(before: ExpHistogramValue, now: ExpHistogramValue): ExpHistogramValue {
  if (now.count < before.count || now.zeroCount < before.zeroCount || now.scale > before.scale || now.zeroThreshold !== before.zeroThreshold) return now;
  const aligned = expHistogramAtScale(before, now.scale);
  const positive = bucketGrowth(aligned.positive, now.positive);
  const negative = bucketGrowth(aligned.negative, now.negative);
  if (positive === undefined || negative === undefined) return now;
  return { ...now, count: now.count - before.count, sum: now.sum - before.sum, zeroCount: now.zeroCount - before.zeroCount, positive, negative };
}

/** `now`'s counts less `before`'s, by bucket index; `undefined` when one of `before`'s went down or is not in `now`'s range. */
function bucketGrowth(before: ExpBuckets, now: ExpBuckets): ExpBuckets | undefined {
  const counts = Float64Array.from(now.counts);
  for (let j = 0; j < before.counts.length; j++) {
    const count = before.counts[j]!;
    if (count === 0) continue;
    const at = before.offset + j - now.offset;
    if (at < 0 || at >= counts.length || (counts[at]! -= count) < 0) return undefined;
  }
  return { offset: now.offset, counts };
}

/**
 * What `now` recorded since `before` (the same record at the previous tick): the growth of its
 * count, sum and buckets; all of `now` when it was reset (a count or bucket that went down).
 */
export function histogramGrowth(before: HistogramValue, now: HistogramValue): HistogramValue {
  // Plain loops: a histogram has ~1000 buckets, and every record is looked at every tick.
  const n = now.buckets.length;
  if (now.count < before.count || n !== before.buckets.length) return now;
  const buckets = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const grew = now.buckets[i]! - before.buckets[i]!;
    if (grew < 0) return now;
    buckets[i] = grew;
  }
  return { ...now, count: now.count - before.count, sum: now.sum - before.sum, buckets };
}

/**
 * The values of one interval, all records together: the growths added, with the merged
 * since-start `min` and `max` as the bounds estimates are clamped to (every value of the
 * interval lies between them).
 */
export function intervalHistogram(sinceStart: HistogramValue, grownBy: readonly HistogramValue[]): HistogramValue {
  // One record (a file's own view): its growth is the interval, no copy needed.
  if (grownBy.length === 1) return { ...grownBy[0]!, params: sinceStart.params, min: sinceStart.min, max: sinceStart.max };
  const buckets = new Float64Array(sinceStart.buckets.length);
  let count = 0;
  let sum = 0;
  for (const growth of grownBy) {
    count += growth.count;
    sum += growth.sum;
    const grown = growth.buckets;
    for (let i = 0; i < grown.length; i++) buckets[i]! += grown[i]!;
  }
  return { params: sinceStart.params, count, sum, min: sinceStart.min, max: sinceStart.max, buckets };
}

/** The count of a value, for counters: the value itself (booleans 0/1), a histogram's or an average's `count`. */
export function countOf(value: FieldValue | undefined): number | bigint | undefined {
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (isDistributionValue(value) || isAverageValue(value)) return value.count;
  return undefined;
}

/** How much a counter grew from `before` to `now`; after a reset (it went down), all of `now`. */
export function grown(before: number | bigint, now: number | bigint): number | bigint {
  if (now < before) return now;
  return typeof now === 'bigint' && typeof before === 'bigint' ? now - before : Number(now) - Number(before);
}

/** `a + b`, exact when both are bigints; a number otherwise (0 + a bigint is that bigint). */
export function addCounts(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a + b;
  // A running total starts as the number 0: switch to exact bigints as soon as one arrives.
  if (typeof b === 'bigint' && a === 0) return b;
  return Number(a) + Number(b);
}
