import test from 'ava';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { readBack, readV2, tempDir } from './common/test-support.test.util.js';

function runWorkers(dir: string, counts: readonly number[], format: 1 | 2): Promise<Array<{ path: string; tid: number }>> {
  return Promise.all(
    counts.map(
      (times) =>
        new Promise<{ path: string; tid: number }>((resolve, reject) => {
          const worker = new Worker(new URL('./threads.test.worker.js', import.meta.url), { workerData: { dir, times, format } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
}

test('v1: four worker threads each write their own file, named and stamped with their OS thread id', async (t) => {
  const dir = tempDir(t);
  const reports = await runWorkers(dir, [10, 20, 30, 40], 1);
  const tids = reports.map((r) => r.tid);
  t.is(new Set(tids).size, 4);
  t.false(tids.includes(process.pid)); // not the main thread's
  t.is(readdirSync(dir).length, 4);
  let sum = 0n;
  for (const { path, tid } of reports) {
    t.true(path.endsWith(`-${process.pid}-${tid}.mmstats`));
    const values = readBack(path);
    t.is(values.get('worker.sys.tid'), BigInt(tid));
    t.is(values.get('worker.sys.pid'), process.pid);
    sum += values.get('worker.jobs.done') as bigint;
  }
  t.is(sum, 100n);
  t.deepEqual(readdirSync(dir).sort(), reports.map((r) => r.path.slice(dir.length + 1)).sort());
  t.true(reports.every((r) => r.path.startsWith(join(dir, ''))));
});

test('v2: four worker threads each write their own file, its header stamped with their OS thread id', async (t) => {
  const dir = tempDir(t);
  const reports = await runWorkers(dir, [10, 20, 30, 40], 2);
  const tids = reports.map((r) => r.tid);
  t.is(new Set(tids).size, 4);
  t.false(tids.includes(process.pid));
  // Only the final names: no temporary file is left behind.
  t.deepEqual(readdirSync(dir).sort(), reports.map((r) => r.path.slice(dir.length + 1)).sort());
  let sum = 0;
  const ids = new Set<bigint>();
  for (const { path, tid } of reports) {
    t.true(path.endsWith(`-${process.pid}-${tid}.mmstats`));
    const { header, values } = readV2(path);
    t.is(header.tid, BigInt(tid));
    t.is(header.pid, process.pid);
    ids.add(header.fileId);
    sum += values.get('worker.jobs.done') as number;
  }
  t.is(sum, 100);
  t.is(ids.size, 4); // a random file_id each
});
