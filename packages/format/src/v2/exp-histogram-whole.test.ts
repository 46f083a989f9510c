import test from 'ava';
import { mergeExpHistograms, type ExpHistogramParams, type ExpHistogramValue } from './exp-histogram.js';
import { fitExpHistogram, writeV2ExpHistogram } from './exp-histogram-whole.js';
import { setV2Ready, writeV2Header } from './header.js';
import { appendV2Record, planV2Record } from './plan.js';
import { readV2Value, observeV2ExpHistogram } from './values.js';
import { statsBytesV2 } from './views.js';

/** A file with one `exphistogram` record of `params`, published. */
function fileWith(params: ExpHistogramParams, capacity = 1 << 17) {
  const file = statsBytesV2(new Uint8Array(capacity));
  writeV2Header(file.bytes, { capacity, fileId: 1n, pid: 1, tid: 1, processStart: 0, created: 0, minor: 2 });
  const plan = planV2Record({ label: 'sizes', kind: 'histogram', encoding: 'exphistogram', exponential: params });
  if (!plan.ok) throw plan.error;
  const record = appendV2Record(file, plan.value)!;
  setV2Ready(file);
  return { file, record };
}

/** What a writer recorded: `values` observed in a fresh record of `params`. */
function recorded(params: ExpHistogramParams, values: readonly number[]): ExpHistogramValue {
  const { file, record } = fileWith(params);
  for (const v of values) observeV2ExpHistogram(file, record, v);
  const read = readV2Value(file, record);
  if (!read.ok) throw read.error;
  return read.value as ExpHistogramValue;
}

/** The value with every side trimmed to its non-empty buckets (as a merge of it alone gives). */
const trimmed = (value: ExpHistogramValue): ExpHistogramValue => mergeExpHistograms([value])!;

test('a merged value written whole reads back with the same counts, centred in the slots', (t) => {
  const a = recorded({ buckets: 160, scale: 8, zeroThreshold: 0 }, [0, 0.25, 1, 3, -2, 1000]);
  const b = recorded({ buckets: 140, scale: 3, zeroThreshold: 0 }, [0.5, 7, -7]);
  const merged = mergeExpHistograms([a, b])!;
  const fitted = fitExpHistogram(merged, 160);
  t.deepEqual(fitted.params, { buckets: 160, scale: merged.scale, zeroThreshold: 0 });
  t.is(fitted.value, merged);
  const { file, record } = fileWith(fitted.params);
  writeV2ExpHistogram(file, record, fitted.value);
  const back = readV2Value(file, record);
  if (!back.ok) throw back.error;
  const value = back.value as ExpHistogramValue;
  t.deepEqual(trimmed(value), trimmed(merged));
  t.like(value, { count: 9, zeroCount: 1, min: -7, max: 1000 });
  // Centred: as many empty slots below the lowest bucket as above the highest, the odd one above.
  const used = value.positive.counts.map((c, j) => (c === 0 ? -1 : j)).filter((j) => j >= 0);
  t.is(used[0]!, Math.floor((160 - (used.at(-1)! - used[0]! + 1)) / 2));
  t.is(file.view.getUint32(record.valueOffset, true) % 2, 0, 'the sequence word is even after the write');
});

test('a range wider than any one record widens n, and past 4096 slots downscales just enough', (t) => {
  // Two writers at scale 8 whose values lie far apart: together they span more than 160 buckets.
  const low = recorded({ buckets: 160, scale: 8, zeroThreshold: 0 }, [1, 1.1]);
  const high = recorded({ buckets: 160, scale: 8, zeroThreshold: 0 }, [2 ** 1.5, 2 ** 1.6]);
  const merged = mergeExpHistograms([low, high])!;
  t.is(merged.scale, 8);
  const wide = fitExpHistogram(merged, 160);
  t.is(wide.params.buckets, merged.positive.counts.length);
  t.true(wide.params.buckets > 160);

  const far: ExpHistogramValue = { ...merged, positive: { offset: -3000, counts: [1, ...new Array<number>(6000).fill(0), 1] } };
  const fitted = fitExpHistogram(far, 160);
  // Span 6002 at scale 8; 3001 at scale 7 (−3000 >> 1 = −1500, 3001 >> 1 = 1500).
  t.deepEqual(fitted.params, { buckets: 3001, scale: 7, zeroThreshold: 0 });
  t.is(fitted.value.count, far.count);
  const { file, record } = fileWith(fitted.params);
  writeV2ExpHistogram(file, record, fitted.value);
  const back = readV2Value(file, record);
  if (!back.ok) throw back.error;
  t.deepEqual(trimmed(back.value as ExpHistogramValue), trimmed(fitted.value));
});

test('writeV2ExpHistogram refuses what the record cannot hold', (t) => {
  const value = recorded({ buckets: 132, scale: 0, zeroThreshold: 0.5 }, [0.1, 3]);
  const { file, record } = fileWith({ buckets: 132, scale: 0, zeroThreshold: 0 });
  t.throws(() => writeV2ExpHistogram(file, record, value), { instanceOf: RangeError, message: /zero threshold/ });
  const wide: ExpHistogramValue = { ...value, zeroThreshold: 0, positive: { offset: 0, counts: [1, ...new Array<number>(132).fill(0), 1] } };
  t.throws(() => writeV2ExpHistogram(file, record, wide), { instanceOf: RangeError, message: /span 134/ });
  t.throws(() => fitExpHistogram(value, 100), { instanceOf: RangeError });
  t.like(readV2Value(file, record), { ok: true, value: { count: 0 } }, 'nothing was written');
});
