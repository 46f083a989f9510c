import test from 'ava';
import { Worker } from 'node:worker_threads';
import { ErrorCodes } from '../common/errors.js';
import { setV2Ready, writeV2Header } from './header.js';
import { appendV2Record, planV2Record, type V2RecordSpec } from './plan.js';
import { beginV2Write, endV2Write, readSeqlocked } from './seqlock.js';
import { addV2Average, readV2Value, writeV2Text } from './values.js';
import { statsBytesV2 } from './views.js';

function fileWith(spec: V2RecordSpec) {
  const file = statsBytesV2(new Uint8Array(16384));
  writeV2Header(file.bytes, { capacity: 16384, fileId: 1n, pid: 1, tid: 1, processStart: 0, created: 0 });
  const plan = planV2Record(spec);
  if (!plan.ok) throw plan.error;
  const record = appendV2Record(file, plan.value)!;
  setV2Ready(file);
  return { file, record };
}

test('a writer makes seq odd while it writes and even again after', (t) => {
  const { file, record } = fileWith({ label: 'avg', kind: 'average' });
  const seq = () => file.view.getUint32(record.valueOffset, true);
  t.is(seq(), 0);
  const s = beginV2Write(file, record.valueOffset);
  t.is(seq(), 1);
  endV2Write(file, record.valueOffset, s);
  t.is(seq(), 2);
  addV2Average(file, record, 5);
  t.is(seq(), 4);
  t.deepEqual(readV2Value(file, record), { ok: true, value: { sum: 5, count: 1 } });
});

test('a torn copy is detected and retried: seq changed between the two loads', (t) => {
  const { file, record } = fileWith({ label: 'avg', kind: 'average' });
  addV2Average(file, record, 1);
  let copies = 0;
  const read = readSeqlocked(file, record.valueOffset, () => {
    copies++;
    // A writer gets in during the first copy: it changes the value under the reader.
    if (copies === 1) addV2Average(file, record, 2);
    return file.f64[(record.valueOffset >> 3) + 1];
  });
  t.deepEqual(read, { ok: true, value: 3, tries: 2 });
});

test('a text len past its capacity under a stable seq is E013 for that record, not a retry', (t) => {
  const { file, record } = fileWith({ label: 't', kind: 'text', textCapacity: 8 });
  writeV2Text(file, record, 'ok');
  file.view.setUint32(record.valueOffset + 4, 99, true); // len 99 > capacity 8, seq even
  const read = readV2Value(file, record, { tries: 50 });
  t.false(read.ok);
  if (read.ok) return;
  t.is(read.error.code, ErrorCodes.BAD_RECORD);
  t.is(read.error.offset, record.valueOffset);
  t.is(read.reason, undefined); // bad bytes, not an unstable value
  file.view.setUint32(record.valueOffset + 4, 2, true);
  t.deepEqual(readV2Value(file, record), { ok: true, value: 'ok' });
});

test('a stuck odd seq gives E014 after a bounded number of tries, without hanging', (t) => {
  const { file, record } = fileWith({ label: 'h', kind: 'histogram' });
  beginV2Write(file, record.valueOffset); // the writer dies here
  const started = Date.now();
  const read = readV2Value(file, record);
  t.true(Date.now() - started < 1000);
  if (read.ok) return t.fail();
  t.is(read.error.code, ErrorCodes.VALUE_UNSTABLE);
  t.is(read.error.offset, record.valueOffset);
  t.is(read.reason, 'stuck');
  t.regex(read.error.detail, /odd and unchanged/);
  t.like(readSeqlocked(file, record.valueOffset, () => 1, { tries: 7 }), { ok: false, seq: 1, tries: 7 });
  t.like(readSeqlocked(file, record.valueOffset, () => 1, { tries: 7 }), { reason: 'stuck' });
});

test('a seq that keeps moving is busy, not stuck: every copy is torn', (t) => {
  const { file, record } = fileWith({ label: 'avg', kind: 'average' });
  let copies = 0;
  const read = readSeqlocked(file, record.valueOffset, () => {
    copies++;
    addV2Average(file, record, 1); // a writer faster than the reader
    return copies;
  }, { tries: 5 });
  t.deepEqual(read, { ok: false, reason: 'busy', seq: 10, tries: 5 });
  t.is(copies, 5);
});

test('seq wraps from 2^32 - 1 to 0', (t) => {
  const { file, record } = fileWith({ label: 'avg', kind: 'average' });
  file.view.setUint32(record.valueOffset, 0xfffffffe, true);
  addV2Average(file, record, 1);
  t.is(file.view.getUint32(record.valueOffset, true), 0);
  t.deepEqual(readV2Value(file, record), { ok: true, value: { sum: 1, count: 1 } });
});

test('a writer preempted mid-write is not taken for a dead one: its odd seq moves within stuckMillis', async (t) => {
  // Shared memory and a second thread, so that seq can change while the reader waits.
  const file = statsBytesV2(new Uint8Array(new SharedArrayBuffer(64)));
  Atomics.store(file.i32, 0, 1); // the writer is in the middle of a write...
  const writer = new Worker(
    `const { workerData } = require('node:worker_threads');
     const i32 = new Int32Array(workerData);
     setTimeout(() => Atomics.store(i32, 0, 2), 20); // ...and finishes it 20 ms later`,
    { eval: true, workerData: file.bytes.buffer },
  );
  await new Promise((resolve) => writer.once('online', resolve));
  t.like(readSeqlocked(file, 0, () => 'copied', { tries: 5, stuckMillis: 5000 }), { ok: true, value: 'copied' });
  await writer.terminate();
  // Without the wait, the same odd seq after the tries alone is reported stuck.
  Atomics.store(file.i32, 0, 3);
  t.like(readSeqlocked(file, 0, () => 'copied', { tries: 5, stuckMillis: 0 }), { ok: false, reason: 'stuck', tries: 5 });
});
