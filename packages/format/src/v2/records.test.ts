import test from 'ava';
import { ErrorCodes } from '../common/errors.js';
import { parseV2Header, setV2Ready, writeV2Header } from './header.js';
import { appendV2Record, planV2Record, publishV2Record, writeV2Record } from './plan.js';
import { walkV2Records } from './records.js';
import { statsBytesV2 } from './views.js';

function newFile(capacity = 4096) {
  const file = statsBytesV2(new Uint8Array(capacity));
  writeV2Header(file.bytes, { capacity, fileId: 7n, pid: 1, tid: 1, processStart: 0, created: 0 });
  setV2Ready(file);
  return file;
}

const plan = (label: string) => {
  const planned = planV2Record({ label, kind: 'counter' });
  if (!planned.ok) throw planned.error;
  return planned.value;
};

test('walking stops at the first unpublished record and resumes there', (t) => {
  const file = newFile();
  appendV2Record(file, plan('a'));
  const header = parseV2Header(file.bytes);
  if (!header.ok) return t.fail(header.error.message);

  const first = walkV2Records(file, header.value);
  if (!first.ok) return t.fail(first.error.message);
  t.deepEqual(first.value.records.map((r) => r.label), ['a']);

  // The writer has written every byte of the next record but not its state: not seen yet.
  const b = plan('b');
  const at = first.value.end;
  writeV2Record(file, at, b);
  const before = walkV2Records(file, header.value, at);
  t.true(before.ok && before.value.records.length === 0 && before.value.end === at);

  publishV2Record(file, at, b);
  appendV2Record(file, plan('c'));
  const next = walkV2Records(file, header.value, at);
  if (!next.ok) return t.fail(next.error.message);
  t.deepEqual(next.value.records.map((r) => r.label), ['b', 'c']);
  // The header's hints followed the publications.
  const after = parseV2Header(file.bytes);
  t.like(after.ok ? after.value : {}, { recordCount: 3, used: next.value.end });
});

test('a state other than 0 or 1 is E013', (t) => {
  const file = newFile();
  const record = appendV2Record(file, plan('a'))!;
  file.view.setUint32(record.offset, 2, true);
  const header = parseV2Header(file.bytes);
  if (!header.ok) return t.fail();
  const walk = walkV2Records(file.bytes, header.value);
  t.is(walk.ok ? undefined : walk.error.code, ErrorCodes.BAD_RECORD);
});

test('a poller that adds 1000 records one by one sees all of them', (t) => {
  const file = newFile(1 << 20);
  const header = parseV2Header(file.bytes);
  if (!header.ok) return t.fail();
  let from = header.value.headerSize;
  let seen = 0;
  for (let i = 0; i < 1000; i++) {
    appendV2Record(file, plan(`r.${i}`));
    if (i % 7 === 0) {
      const walk = walkV2Records(file, header.value, from);
      if (!walk.ok) return t.fail(walk.error.message);
      seen += walk.value.records.length;
      from = walk.value.end;
    }
  }
  const last = walkV2Records(file, header.value, from);
  if (!last.ok) return t.fail();
  t.is(seen + last.value.records.length, 1000);
});

test('a record that does not fit is dropped: FULL and dropped_records', (t) => {
  const file = newFile(4096);
  const big = planV2Record({ label: 'big', kind: 'text', textCapacity: 3000 });
  if (!big.ok) return t.fail();
  t.truthy(appendV2Record(file, big.value));
  t.is(appendV2Record(file, big.value), undefined);
  t.is(appendV2Record(file, big.value), undefined);
  const header = parseV2Header(file.bytes);
  t.like(header.ok ? header.value : {}, { full: true, droppedRecords: 2, recordCount: 1 });
});
