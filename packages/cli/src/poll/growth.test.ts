import test from 'ava';
import type { HistogramValue } from '@mmstats/format';
import { addCounts, countOf, grown, histogramGrowth, intervalHistogram } from './growth.js';

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
