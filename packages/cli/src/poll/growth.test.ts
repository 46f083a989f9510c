import test from 'ava';
import { expBucketIndex, type ExpBuckets, type ExpHistogramValue, type HistogramValue } from '@mmstats/format';
import { addCounts, countOf, distributionGrowth, expHistogramGrowth, grown, histogramGrowth, intervalDistribution, intervalHistogram } from './growth.js';

const histogram = (count: number, sum: number, buckets: number[]): HistogramValue => ({ params: { k: 0, minExp: 0, maxExp: 1 }, count, sum, min: 0.001, max: 0.5, buckets });

test('a counter grows by the difference; one that went down was reset and counts from zero', (t) => {
  t.is(grown(10, 15), 5);
  t.is(grown(15, 4), 4);
  t.is(grown(2n ** 60n, 2n ** 60n + 3n), 3n);
});

test('counts add exactly while they are bigints, and the count of a value is what a counter counts', (t) => {
  t.is(addCounts(0, 5n), 5n);
  t.is(addCounts(5n, 6n), 11n);
  t.is(addCounts(1.5, 2n), 3.5);
  t.is(countOf(true), 1);
  t.is(countOf(7n), 7n);
  t.is(countOf(histogram(3, 1, [1, 2])), 3);
  t.is(countOf('text'), undefined);
});

test("a histogram's growth is what was recorded since the last reading; the interval adds the records' growths", (t) => {
  const before = histogram(3, 0.3, [1, 2, 0]);
  const now = histogram(5, 0.9, [1, 3, 1]);
  const growth = histogramGrowth(before, now);
  t.is(growth.count, 2);
  t.true(Math.abs(growth.sum - 0.6) < 1e-12);
  t.deepEqual([...growth.buckets], [0, 1, 1]);
  t.is(histogramGrowth(now, before), before, 'a histogram that went down was reset: all of it is new');
  const interval = intervalHistogram(now, [growth, histogram(1, 0.1, [1, 0, 0])]);
  t.like(interval, { count: 3, min: 0.001, max: 0.5 });
  t.deepEqual([...interval.buckets], [1, 1, 1]);
  t.like(intervalHistogram(histogram(9, 9, [9, 0, 0]), [growth]), { count: 2, min: 0.001, max: 0.5 }, 'one record: its growth');
});

/** An exponential histogram of `values` at `scale`, each side's buckets from its lowest value's up. */
function exponential(values: number[], scale: number): ExpHistogramValue {
  const side = (magnitudes: number[]): ExpBuckets => {
    if (magnitudes.length === 0) return { offset: 0, counts: new Float64Array(0) };
    const indexes = magnitudes.map((m) => expBucketIndex(m, scale));
    const offset = Math.min(...indexes);
    const counts = new Float64Array(Math.max(...indexes) - offset + 1);
    for (const i of indexes) counts[i - offset]! += 1;
    return { offset, counts };
  };
  return {
    scale,
    zeroThreshold: 0,
    zeroCount: values.filter((v) => v === 0).length,
    count: values.length,
    sum: values.reduce((a, b) => a + b, 0),
    min: Math.min(...values),
    max: Math.max(...values),
    positive: side(values.filter((v) => v > 0)),
    negative: side(values.filter((v) => v < 0).map((v) => -v)),
  };
}

/** The non-empty buckets of a side, as [bucket index, count]. */
const filled = (side: ExpBuckets): [number, number][] => [...side.counts].flatMap((c, j): [number, number][] => (c === 0 ? [] : [[side.offset + j, c]]));

test("an exponential histogram's growth is what was recorded since, at the scale it has now", (t) => {
  // The writer downscaled from 4 to 2 between the readings: the earlier one is brought down first.
  const before = exponential([1, 1.5, 3, 0], 4);
  const now = exponential([1, 1.5, 3, 0, 5, 6, -2, 0], 2);
  const growth = expHistogramGrowth(before, now);
  const want = exponential([5, 6, -2, 0], 2);
  t.like(growth, { scale: 2, count: 4, sum: 9, zeroCount: 1 });
  t.deepEqual(filled(growth.positive), filled(want.positive));
  t.deepEqual(filled(growth.negative), filled(want.negative));
  t.is(distributionGrowth(before, now).count, 4);
  t.is(expHistogramGrowth(now, before), before, 'a count that went down: reset, all of it is new');
  t.is(expHistogramGrowth(exponential([1, 2], 2), exponential([1, 2, 3], 4)).count, 3, 'a finer scale: another file, all of it is new');
  t.is(expHistogramGrowth(exponential([100], 2), exponential([1, 2], 2)).count, 2, 'a bucket that emptied: reset');
  t.is(distributionGrowth(histogram(1, 1, [1, 0]), now), now, 'another encoding: the file was replaced');
});

test('the interval of exponential growths merges them at the smallest scale, within the since-start min and max', (t) => {
  const sinceStart = exponential([0.5, 1, 2, 4, 8], 1);
  const interval = intervalDistribution(sinceStart, [exponential([1, 2], 3), exponential([4], 1)]) as ExpHistogramValue;
  t.like(interval, { scale: 1, count: 3, sum: 7, min: 0.5, max: 8 });
  t.deepEqual(filled(interval.positive), filled(exponential([1, 2, 4], 1).positive));
  t.is(intervalDistribution(sinceStart, [histogram(1, 1, [1, 0])]), sinceStart, 'growths of another encoding: since start');
  // No growth known (the files are new): no values in the interval, as for a log-linear histogram.
  t.like(intervalDistribution(sinceStart, []), { count: 0, sum: 0, zeroCount: 0, min: 0.5, max: 8 });
  t.is(intervalHistogram(histogram(9, 9, [9, 0, 0]), []).count, 0);
  t.is(countOf(sinceStart), 5);
});
