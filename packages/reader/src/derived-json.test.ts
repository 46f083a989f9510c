import test from 'ava';
import type { HistogramValue, WindowValue } from '@mmstats/format';
import { percentilesToJson, summaryToJson, valueToJson, windowToJson } from './derived-json.js';

/** 1, 2, 2 and 3 in buckets of k = 0 from 2^0 to 2^2: [<1], [1,2), [2,4), [>=4]. */
const HISTOGRAM: HistogramValue = { params: { k: 0, minExp: 0, maxExp: 2 }, count: 4, sum: 8, min: 1, max: 3, buckets: [0, 1, 3, 0] };
/** At now = 1000.5: the slots of 999 and 1000 count (3 values, sum 0.75, over 2.5 s); 990 is out of the window. */
const WINDOW: WindowValue = { slotMillis: 1000, slots: [{ start: 999, count: 1, sum: 0.25 }, { start: 1000, count: 2, sum: 0.5 }, { start: 990, count: 5, sum: 9 }] };

test('scalars and text: their spec JSON (64-bit integers past 2^53 and non-finite numbers as strings)', (t) => {
  t.is(valueToJson(42), 42);
  t.is(valueToJson(true), true);
  t.is(valueToJson(18446744073709551615n), '18446744073709551615');
  t.is(valueToJson(NaN), 'NaN');
  t.is(valueToJson('v1.2'), 'v1.2');
  t.is(summaryToJson(7n), 7);
});

test('an average: its sum and count with the mean, null while nothing was added', (t) => {
  t.deepEqual(valueToJson({ sum: 6, count: 4 }), { sum: 6, count: 4, mean: 1.5 });
  t.deepEqual(valueToJson({ sum: 0, count: 0 }), { sum: 0, count: 0, mean: null });
  t.deepEqual(summaryToJson({ sum: 6, count: 4 }), { count: 4, sum: 6, mean: 1.5 });
});

test('a histogram: the spec form with percentiles; the summary without buckets', (t) => {
  t.deepEqual(valueToJson(HISTOGRAM, { quantiles: [0.5] }), { count: 4, sum: 8, min: 1, max: 3, buckets: { '1': 1, '2': 3 }, percentiles: percentilesToJson(HISTOGRAM, [0.5]) });
  const summary = summaryToJson(HISTOGRAM) as Record<string, unknown>;
  t.deepEqual(Object.keys(summary), ['count', 'sum', 'p50', 'p90', 'p99']);
  // Every estimate lies inside the bucket of its rank, [2, 4) for these ranks.
  for (const key of ['p50', 'p90', 'p99']) t.true((summary[key] as number) >= 2 && (summary[key] as number) < 4, key);
  t.deepEqual(percentilesToJson({ ...HISTOGRAM, count: 0, buckets: [0, 0, 0, 0] }, [0.5]), { p50: null });
});

test('a window: its rate and mean at a given time', (t) => {
  t.deepEqual(windowToJson(WINDOW, 1000.5), { rate: 3 / 2.5, mean: 0.25, count: 3, sum: 0.75, elapsed: 2.5 });
  t.deepEqual(summaryToJson(WINDOW, { now: 1000.5 }), { rate: 3 / 2.5, mean: 0.25, count: 3 });
  t.like(valueToJson(WINDOW, { now: 1000.5 }), { slot_ms: 1000, window: { count: 3 } });
  t.like(windowToJson(WINDOW, 2000), { count: 0, mean: null });
});
