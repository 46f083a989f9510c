// Worker slots (spec/files.md#worker-slot): the lowest slot no live writer of the service
// holds, across processes, threads and crashes.
import test from 'ava';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { counter, defineModel } from './index.js';
import { readBack, tempDir } from './common/test-support.test.util.js';

const Api = defineModel({ requests: counter() }, { name: 'api' });

interface Started {
  readonly child: ChildProcess;
  readonly slot: number;
  readonly path: string;
}

async function startWorker(dir: string): Promise<Started> {
  const child = fork(new URL('./worker-slot.test.child.js', import.meta.url), [dir]);
  const [message] = (await once(child, 'message')) as [{ slot: number; path: string }];
  return { child, ...message };
}

test('writers of one service take the lowest free slots, written in mmstats.worker; a removed one frees its slot', (t) => {
  const dir = tempDir(t);
  const a = Api.open({ path: dir, filename: 'a.mmstats', slot: true });
  const b = Api.open({ path: dir, filename: 'b.mmstats', slot: true });
  const other = defineModel({ requests: counter() }, { name: 'batch' }).open({ path: dir, filename: 'c.mmstats', slot: true });
  t.deepEqual([a.slot, b.slot, other.slot], [0, 1, 0], 'slots count per service');
  t.is(readBack(a.path).get('mmstats.worker'), '0');
  t.is(readBack(b.path).get('mmstats.worker'), '1');
  a.remove();
  const c = Api.open({ path: dir, filename: 'd.mmstats', slot: true });
  t.is(c.slot, 0, 'the lowest free one again');
  t.is(Api.open({ path: dir, filename: 'e.mmstats' }).slot, undefined, 'no slot unless asked');
  for (const s of [b, c, other]) s.remove();
  t.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.claim')), [], 'removing gives every claim back');
});

test('a restarted worker takes the slot of the one that crashed (SIGKILL), not a new one; live workers keep theirs', async (t) => {
  const dir = tempDir(t);
  const workers = await Promise.all([0, 1, 2, 3].map(() => startWorker(dir)));
  t.teardown(() => workers.forEach((w) => w.child.kill('SIGKILL')));
  t.deepEqual(workers.map((w) => w.slot).sort(), [0, 1, 2, 3], 'four processes starting at once: four slots');
  const crashed = workers.find((w) => w.slot === 2)!;
  crashed.child.kill('SIGKILL');
  await once(crashed.child, 'exit');
  const restarted = await startWorker(dir);
  workers.push(restarted);
  t.is(restarted.slot, 2);
  t.is(readBack(restarted.path).get('mmstats.worker'), '2');
  const fifth = await startWorker(dir);
  workers.push(fifth);
  t.is(fifth.slot, 4, 'every other slot is held by a live worker');
});

test('worker_threads take slots of their own', async (t) => {
  const dir = tempDir(t);
  const main = Api.open({ path: dir, filename: 'main.mmstats', slot: true });
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.writer).then(({ counter, defineModel }) => {
      const stats = defineModel({ requests: counter() }, { name: 'api' }).open({ path: workerData.dir, filename: 'thread-{TID}.mmstats', slot: true });
      parentPort.postMessage(stats.slot);
      setInterval(() => {}, 60000); // running until terminated, holding its slot
    });`;
  const start = (): Worker => new Worker(code, { eval: true, workerData: { dir, writer: new URL('./index.js', import.meta.url).href } });
  const threads = [start(), start()];
  // Both running at once: a slot each.
  const slots = await Promise.all(threads.map(async (worker) => ((await once(worker, 'message')) as [number])[0]));
  await Promise.all(threads.map((worker) => worker.terminate()));
  t.is(main.slot, 0);
  t.deepEqual(slots.sort(), [1, 2]);
  // Both threads were terminated without closing their files: a new thread takes the lowest of their slots.
  const next = start();
  t.teardown(() => next.terminate());
  t.is(((await once(next, 'message')) as [number])[0], 1);
});

test('a writer whose file cannot be made gives its slot back', (t) => {
  const dir = tempDir(t);
  t.throws(() => Api.open({ path: dir, filename: 'a.mmstats', slot: true, heartbeatMs: -1 }), { code: 'MMSTATS-E208' });
  t.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.claim')), []);
  t.is(Api.open({ path: dir, filename: 'b.mmstats', slot: true }).slot, 0);
});
