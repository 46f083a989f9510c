import test from 'ava';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { readBack, readV2, tempDir } from './common/test-support.test.util.js';

function next(child: ChildProcess): Promise<Record<string, unknown>> {
  return once(child, 'message').then(([message]) => message as Record<string, unknown>);
}

for (const format of [1, 2] as const) {
  test(`v${format}: three processes write, and a reader sums their live files while they run`, async (t) => {
    const dir = tempDir(t);
    const children = [0, 1, 2].map(() => fork(new URL('./processes.test.child.js', import.meta.url), [dir, String(format)]));
    t.teardown(() => children.forEach((child) => child.connected && child.kill()));
    const paths = (await Promise.all(children.map(next))).map((m) => m['path'] as string);
    t.is(new Set(paths).size, 3);
    const read = (path: string) => (format === 1 ? Number(readBack(path).get('app.requests.served')) : (readV2(path).values.get('app.requests.served') as number));
    const total = () => paths.reduce((sum, path) => sum + read(path), 0);

    t.is(total(), 0);
    let expected = 0;
    for (const step of [1, 10, 100, 1000]) {
      await Promise.all(children.map((child) => (child.send({ step }), next(child))));
      expected += 3 * step;
      t.is(total(), expected); // read while every writer is still running
    }
    if (format === 2) t.true(paths.every((path) => readV2(path).header.pid !== process.pid));
    await Promise.all(children.map((child) => (child.send({ exit: true }), once(child, 'exit'))));
    t.false(paths.some(existsSync));
  });
}
