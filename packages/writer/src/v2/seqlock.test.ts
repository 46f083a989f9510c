import test from 'ava';
import { closeSync, openSync } from 'node:fs';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { parseV2Header, readV2Value, statsBytesV2, walkV2Records, type AverageValue, type HistogramValue, type WindowValue } from '@mmstats/format';
import { mmap } from '../common/mmap.js';
import { tempDir } from '../common/test-support.test.util.js';

test('a reader of the live mapping never sees a torn composite value while the writer hammers it (seqlock)', async (t) => {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./seqlock.test.worker.js', import.meta.url), { workerData: { dir: tempDir(t), stop } });
  const [{ path }] = (await once(worker, 'message')) as [{ path: string }];
  const fd = openSync(path, 'r');
  const buffer = mmap.map(65536, mmap.PROT_READ as 1, mmap.MAP_SHARED, fd, 0);
  closeSync(fd);
  const file = statsBytesV2(buffer);
  const header = parseV2Header(buffer);
  if (!header.ok) return t.fail(header.error.message);
  const walk = walkV2Records(file, header.value);
  if (!walk.ok) return t.fail(walk.error.message);
  const [h, a, w, text] = walk.value.records;
  let reads = 0;
  let retried = 0;
  const bad: string[] = [];
  const until = Date.now() + 1500;
  while (Date.now() < until && bad.length < 5) {
    for (const record of [h!, a!, w!, text!]) {
      const read = readV2Value(file, record, { tries: 100_000 });
      if (!read.ok) {
        retried++;
        continue;
      }
      reads++;
      const v = read.value;
      if (record === h) {
        const hist = v as HistogramValue;
        const total = [...hist.buckets].reduce((s, c) => s + c, 0);
        if (total !== hist.count || (hist.count > 0 && (hist.min !== 1 || hist.max > 8))) bad.push(`histogram count ${hist.count}, buckets ${total}`);
      } else if (record === a) {
        const avg = v as AverageValue;
        if (avg.sum !== 2 * avg.count) bad.push(`average ${avg.sum} / ${avg.count}`);
      } else if (record === w) {
        const slot = (v as WindowValue).slots.find((s) => s.start !== 0);
        if (slot !== undefined && slot.sum !== 3 * slot.count) bad.push(`window ${slot.sum} / ${slot.count}`);
      } else if (typeof v !== 'string' || !/^(a{64}|b{64}|)$/.test(v)) {
        bad.push(`text ${String(v)}`);
      }
    }
  }
  Atomics.store(stop, 0, 1);
  const [{ writes }] = (await once(worker, 'message')) as [{ writes: number }];
  t.deepEqual(bad, []);
  t.true(reads > 200, `${reads} consistent reads`);
  t.true(writes > 100_000, `${writes} writes`);
  t.log(`${reads} consistent reads, ${retried} gave up, ${writes} writes of 4 values`);
});
