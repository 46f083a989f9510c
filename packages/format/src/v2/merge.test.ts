import test from 'ava';
import { histogramBucketIndex, type HistogramParams, type HistogramValue } from './histogram.js';
import { mergeValues } from './merge.js';
import { v2BucketCount } from './records.js';
import type { WindowValue } from './window.js';

const params: HistogramParams = { k: 2, minExp: -4, maxExp: 4 };

/** A histogram of `values`, built by the bucket rule itself (what a writer would store). */
function histogramOf(values: readonly number[], shape: HistogramParams = params): HistogramValue {
  const buckets = new Float64Array(v2BucketCount(shape)!);
  for (const v of values) buckets[histogramBucketIndex(v, shape)]! += 1;
  const count = values.length;
  return {
    params: shape,
    count,
    sum: values.reduce((a, b) => a + b, 0),
    min: count > 0 ? Math.min(...values) : 0,
    max: count > 0 ? Math.max(...values) : 0,
    buckets,
  };
}

test('scalars merge by sum, min, max and avg', (t) => {
  const values = [3, 1, 2];
  t.is(mergeValues('f64', 'sum', values), 6);
  t.is(mergeValues('f64', 'min', values), 1);
  t.is(mergeValues('f64', 'max', values), 3);
  t.is(mergeValues('f64', 'avg', values), 2);
});

test('bigint scalars stay bigint and exact beyond 2^53, but their avg is a number', (t) => {
  const big = 2n ** 62n;
  t.is(mergeValues('u64', 'sum', [big, big, big]), 3n * big);
  t.is(mergeValues('i64', 'min', [5n, -7n, 3n]), -7n);
  t.is(mergeValues('i64', 'max', [5n, -7n, 3n]), 5n);
  t.is(mergeValues('i64', 'avg', [1n, 2n]), 1.5);
});

test('a mix of bigint and number scalars merges as numbers', (t) => {
  // A JavaScript writer's f64 counter beside a native writer's u64 counter of the same metric.
  t.is(mergeValues('f64', 'sum', [1n, 2.5]), 3.5);
  t.is(mergeValues('u64', 'max', [10n, 20]), 20);
});

test('rules other than sum, min, max and avg merge nothing, nor does an empty list', (t) => {
  t.is(mergeValues('f64', 'none', [1, 2]), undefined);
  t.is(mergeValues('f64', 'last', [1, 2]), undefined); // the caller picks the latest file itself
  t.is(mergeValues('u64', 'merge-9', [1n, 2n]), undefined);
  for (const encoding of ['f64', 'average', 'histogram', 'window']) t.is(mergeValues(encoding, 'sum', []), undefined, encoding);
});

test('averages add sum and count, whatever the rule', (t) => {
  const values = [{ sum: 10, count: 2 }, { sum: 5, count: 3 }];
  t.deepEqual(mergeValues('average', 'avg', values), { sum: 15, count: 5 });
  t.deepEqual(mergeValues('average', 'sum', values), { sum: 15, count: 5 });
});

test('histograms add bucket by bucket; different parameters do not merge', (t) => {
  const a = histogramOf([0.5, 1, 1.5]);
  const b = histogramOf([2, 3]);
  const merged = mergeValues('histogram', 'sum', [a, b]) as HistogramValue;
  t.like(merged, { params, count: 5, sum: 8, min: 0.5, max: 3 });
  t.deepEqual([...merged.buckets], [...histogramOf([0.5, 1, 1.5, 2, 3]).buckets]);
  // An empty histogram changes neither min nor max.
  t.like(mergeValues('histogram', 'sum', [histogramOf([]), b]) as HistogramValue, { count: 2, min: 2, max: 3 });
  t.is(mergeValues('histogram', 'sum', [a, histogramOf([2], { k: 3, minExp: -4, maxExp: 4 })]), undefined);
});

test('windows add slots of the same interval; the latest interval wins a slot; other shapes do not merge', (t) => {
  const a: WindowValue = { slotMillis: 1000, slots: [{ start: 100, count: 1, sum: 2 }, { start: 99, count: 4, sum: 4 }] };
  const b: WindowValue = { slotMillis: 1000, slots: [{ start: 100, count: 2, sum: 3 }, { start: 101, count: 1, sum: 7 }] };
  t.deepEqual(mergeValues('window', 'sum', [a, b]), {
    slotMillis: 1000,
    slots: [{ start: 100, count: 3, sum: 5 }, { start: 101, count: 1, sum: 7 }],
  });
  t.is(mergeValues('window', 'sum', [a, { ...b, slotMillis: 500 }]), undefined);
  t.is(mergeValues('window', 'sum', [a, { slotMillis: 1000, slots: [b.slots[0]!] }]), undefined);
});
