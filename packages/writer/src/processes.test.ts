import test from 'ava';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { readBack, tempDir } from './test-support.test.util.js';

function next(child: ChildProcess): Promise<Record<string, unknown>> {
  return once(child, 'message').then(([message]) => message as Record<string, unknown>);
}

test('three processes write, and a reader sums their live files while they run', async (t) => {
  const dir = tempDir(t);
  const children = [0, 1, 2].map(() => fork(new URL('./processes.test.child.js', import.meta.url), [dir]));
  t.teardown(() => children.forEach((child) => child.connected && child.kill()));
  const paths = (await Promise.all(children.map(next))).map((m) => m['path'] as string);
  t.is(new Set(paths).size, 3);
  const total = () => paths.reduce((sum, path) => sum + (readBack(path).get('app.requests.served') as bigint), 0n);

  t.is(total(), 0n);
  let expected = 0n;
  for (const step of [1, 10, 100, 1000]) {
    await Promise.all(children.map((child) => (child.send({ step }), next(child))));
    expected += 3n * BigInt(step);
    t.is(total(), expected); // read while every writer is still running
  }
  await Promise.all(children.map((child) => (child.send({ exit: true }), once(child, 'exit'))));
  t.false(paths.some(existsSync));
});
