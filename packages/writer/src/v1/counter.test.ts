import test from 'ava';
import { readFileSync } from 'node:fs';
import { counter, defineModel } from '../index.js';
import { readBack, tempDir } from '../common/test-support.test.util.js';

const Requests = defineModel({ served: counter({ label: 'requests.served' }) }, { system: false, format: 1 });

test('incr() adds one, incr(n) adds n, and readers see every step', (t) => {
  const stats = Requests.open({ path: tempDir(t) });
  stats.served.incr();
  stats.served.incr(9);
  t.is(stats.served.value, 10);
  t.is(readBack(stats.path).get('requests.served'), 10n);
});

test('each incr writes the other buffer, then flips the write-buffer byte (spec/format-v1.md#buffering)', (t) => {
  const stats = Requests.open({ path: tempDir(t) });
  const { writeBufferOffset, valueOffset } = stats.layout[0]!;
  const file = () => {
    const bytes = readFileSync(stats.path);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return [view.getUint8(writeBufferOffset), view.getBigUint64(valueOffset, true), view.getBigUint64(valueOffset + 8, true)];
  };
  t.deepEqual(file(), [0, 0n, 0n]);
  stats.served.incr();
  t.deepEqual(file(), [1, 1n, 0n]); // wrote buffer 0; readers now read buffer 0
  stats.served.incr();
  t.deepEqual(file(), [0, 1n, 2n]); // wrote buffer 1; readers now read buffer 1
});

test('a counter crossing 2^53 switches to bigint and stays exact', (t) => {
  const stats = Requests.open({ path: tempDir(t) });
  stats.served.value = Number.MAX_SAFE_INTEGER - 1;
  stats.served.incr();
  t.is(stats.served.value, Number.MAX_SAFE_INTEGER);
  stats.served.incr();
  stats.served.incr(2n);
  t.is(stats.served.bigint, 2n ** 53n + 2n);
  t.is(readBack(stats.path).get('requests.served'), 2n ** 53n + 2n);
  // ...and back to plain numbers once the value is small again.
  stats.served.value = 5;
  stats.served.incr();
  t.is(stats.served.value, 6);
  t.is(stats.served.bigint, 6n);
});

test('a fractional step is truncated like every integer store', (t) => {
  const stats = Requests.open({ path: tempDir(t) });
  stats.served.incr(2.9);
  t.is(stats.served.value, 2);
});
