import test from 'ava';
import { ErrorCodes } from '../common/errors.js';
import { setV2Ready, writeV2Header } from './header.js';
import { appendV2Record, planV2Record } from './plan.js';
import { addV2Average, addV2Window, decodeV2Consistent, observeV2ExpHistogram, observeV2Histogram, readV2Value, writeV2Scalar, writeV2Text } from './values.js';
import { statsBytesV2 } from './views.js';

/** A file with one record of every composite encoding, each holding a value, and a counter. */
function everyEncoding() {
  const file = statsBytesV2(new Uint8Array(16384));
  writeV2Header(file.bytes, { capacity: 16384, fileId: 1n, pid: 1, tid: 1, processStart: 0, created: 0 });
  const add = (spec: Parameters<typeof planV2Record>[0]) => {
    const plan = planV2Record(spec);
    if (!plan.ok) throw plan.error;
    return appendV2Record(file, plan.value)!;
  };
  const records = {
    text: add({ label: 'version', kind: 'text', textCapacity: 16 }),
    average: add({ label: 'load', kind: 'average' }),
    histogram: add({ label: 'latency', kind: 'histogram', histogram: { k: 1, minExp: -2, maxExp: 3 } }),
    window: add({ label: 'recent', kind: 'window' }),
    exponential: add({ label: 'sizes', kind: 'histogram', encoding: 'exphistogram', exponential: { buckets: 132, scale: 2, zeroThreshold: 0.001 } }),
    counter: add({ label: 'hits', kind: 'counter' }),
  };
  setV2Ready(file);
  writeV2Text(file, records.text, '1.2.3');
  addV2Average(file, records.average, 0.5);
  for (const v of [0.3, 1.5, 6]) observeV2Histogram(file, records.histogram, v);
  addV2Window(file, records.window, 2, 1000.2);
  for (const v of [0.0005, 3, -3, NaN, Infinity, 5]) observeV2ExpHistogram(file, records.exponential, v);
  writeV2Scalar(file, records.counter, 7);
  return { file, records };
}

test('decodeV2Consistent decodes a consistent copy in place, as readV2Value does through its own copy', (t) => {
  const { file, records } = everyEncoding();
  for (const record of [records.text, records.average, records.histogram, records.window, records.exponential]) {
    t.deepEqual(decodeV2Consistent(file, record), readV2Value(file, record), record.label);
  }
  t.like(decodeV2Consistent(file, records.histogram), { ok: true, value: { count: 3, min: 0.3, max: 6 } });
  // NaN and ±∞ are not recorded; 0.0005 is within the zero threshold.
  t.like(decodeV2Consistent(file, records.exponential), { ok: true, value: { scale: 2, zeroThreshold: 0.001, zeroCount: 1, count: 4, sum: 0.0005 + 3 - 3 + 5, min: -3, max: 5 } });
});

test('an exponential histogram whose scale is out of range is bad bytes: MMSTATS-E013 for that record', (t) => {
  const { file, records } = everyEncoding();
  file.i32[((records.exponential.valueOffset >> 3) + 7) * 2] = 9;
  const read = readV2Value(file, records.exponential);
  t.false(read.ok);
  t.is(!read.ok && read.error.code, ErrorCodes.BAD_RECORD);
  t.true(readV2Value(file, records.histogram).ok);
});

test('decodeV2Consistent: a text length past its capacity is E013; a scalar is not its to read', (t) => {
  const { file, records } = everyEncoding();
  file.view.setUint32(records.text.valueOffset + 4, 17, true);
  const read = decodeV2Consistent(file, records.text);
  t.false(read.ok);
  if (!read.ok) t.is(read.error.code, ErrorCodes.BAD_RECORD);
  t.throws(() => decodeV2Consistent(file, records.counter), { instanceOf: TypeError });
});
