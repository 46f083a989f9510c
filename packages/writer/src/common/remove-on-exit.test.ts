import test from 'ava';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { readBack, readV2, tempDir } from './test-support.test.util.js';

// Real child processes stopped by real signals (spec/files.md#removal, `removeOnExit`).
function startApp(dir: string, format: 1 | 2, own: boolean): ChildProcess {
  return fork(new URL('./remove-on-exit.test.child.js', import.meta.url), [dir, String(format), ...(own ? ['own'] : [])]);
}

function message(child: ChildProcess): Promise<Record<string, unknown>> {
  return once(child, 'message').then(([m]) => m as Record<string, unknown>);
}

function ticks(path: string, format: 1 | 2): number {
  return Number(format === 1 ? readBack(path).get('ticks') : readV2(path).values.get('ticks'));
}

async function ticked(path: string, format: 1 | 2, after: number): Promise<number> {
  for (let i = 0; i < 2000; i++) {
    const now = ticks(path, format);
    if (now > after) return now;
    await sleep(5);
  }
  throw new Error(`${path} stopped counting at ${after}`);
}

for (const format of [1, 2] as const) {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    test(`v${format}: an app without a ${signal} listener of its own still dies of ${signal}, and its file is gone`, async (t) => {
      const child = startApp(tempDir(t), format, false);
      t.teardown(() => child.kill('SIGKILL'));
      const path = (await message(child))['path'] as string;
      await ticked(path, format, 0);
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code, killedBy] = (await exited) as [number | null, NodeJS.Signals | null];
      t.deepEqual({ code, killedBy }, { code: null, killedBy: signal });
      t.false(existsSync(path));
    });
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`v${format}: an app with its own ${signal} listener keeps control and keeps counting; the file goes at its exit`, async (t) => {
      const child = startApp(tempDir(t), format, true);
      t.teardown(() => child.kill('SIGKILL'));
      const path = (await message(child))['path'] as string;
      const before = await ticked(path, format, 0);
      child.kill(signal);
      t.deepEqual(await message(child), { shutdown: signal });
      // Still running, still publishing, the file still there, after the signal.
      await ticked(path, format, await ticked(path, format, before));
      const exited = once(child, 'exit');
      child.send({ exit: true });
      const [code, killedBy] = (await exited) as [number | null, NodeJS.Signals | null];
      t.deepEqual({ code, killedBy }, { code: 0, killedBy: null });
      t.false(existsSync(path));
    });
  }
}
