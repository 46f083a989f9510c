// `mmstats clean` folds dead v2 writers into the directory's archive (spec/files.md#folding):
// killed at every step, or racing other cleaners, it never lets a reader count a dead writer's
// counts twice or lose them.
import test, { type ExecutionContext } from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArchiveFileName, readCounted } from '@mmstats/reader';
import { bins, countersOf, need, startWriter, tempDir } from '../test-files.test.util.js';

/** A directory of `count` SIGKILLed writers' v2 files (counter, timer, exponential histogram, window, gauges). */
async function deadWriters(t: ExecutionContext, dir: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const writer = await startWriter(t, dir, i + 1, 5, { exponential: { zeroThreshold: 0 } });
    writer.child.kill('SIGKILL');
    await once(writer.child, 'exit');
  }
}

/** What a reader counts in `dir` now, by the reading rules. */
async function counted(dir: string): Promise<Record<string, unknown>> {
  const read = await readCounted([dir]);
  if (read.errors.length > 0) throw read.errors[0];
  return countersOf(read.snapshots);
}

function copyDir(from: string, to: string): void {
  for (const name of readdirSync(from)) copyFileSync(join(from, name), join(to, name));
}

function runClean(dir: string, strace: readonly string[] = []): { status: number | null; signal: NodeJS.Signals | null; stderr: string } {
  const command = strace.length > 0 ? ['strace', ...strace, process.execPath] : [process.execPath];
  const run = spawnSync(command[0]!, [...command.slice(1), bins.mmstats, 'clean', dir], { encoding: 'utf8' });
  return { status: run.status, signal: run.signal, stderr: run.stderr };
}

const hasStrace = spawnSync('strace', ['-V']).status === 0;

// The steps that change the directory are the syscalls below; between two of them what is on
// disk is the same, so a kill before each of them is a kill at every step.
const STEPS = [
  ['fsync', 'the new generation written, not yet claimed'],
  ['link,linkat', 'before the claim'],
  ['unlink,unlinkat', 'before a removal (temporary name, dead file or superseded generation)'],
] as const;

test.serial('a clean killed before each step that changes the directory leaves every count once, and the next clean finishes', async (t) => {
  t.timeout(300_000);
  if (!need(t, hasStrace, 'strace (to kill the cleaner at each system call)')) return;
  const template = tempDir(t, 'fold-template');
  await deadWriters(t, template, 1);
  t.is(runClean(template).status, 0, 'an archive to build on');
  await deadWriters(t, template, 2);
  const expected = await counted(template);
  t.like(expected[JSON.stringify(['app.sizes', {}])], { count: 2 * (expected[JSON.stringify(['app.latency', {}])] as { count: number }).count }, 'an exponential histogram to keep, whole');
  let kills = 0;
  for (const [syscalls, step] of STEPS) {
    for (let n = 1; n < 50; n++) {
      const dir = tempDir(t, 'fold-kill');
      copyDir(template, dir);
      const run = runClean(dir, ['-f', '-qq', '-o', '/dev/null', '-e', `trace=${syscalls}`, '-e', `inject=${syscalls}:signal=KILL:when=${n}`]);
      const killed = run.signal === 'SIGKILL' || run.status === 137;
      t.deepEqual(await counted(dir), expected, `killed at ${syscalls} #${n} (${step}): every count once`);
      if (!killed) break;
      kills++;
      t.is(runClean(dir).status, 0, `the clean after a kill at ${syscalls} #${n} finishes`);
      t.deepEqual(await counted(dir), expected, `after the kill at ${syscalls} #${n} and a clean`);
      const names = readdirSync(dir);
      t.deepEqual(names.filter((name) => parseArchiveFileName(name) === undefined), [], `no dead file nor temporary left: ${names.join(' ')}`);
      t.is(names.length, 1, 'one archive generation left');
    }
  }
  t.log(`${kills} kill points, each checked`);
  t.true(kills >= 6, 'write, claim, temporary-name removal, two dead files and a superseded generation at least');
});

test.serial('several cleaners at once fold each dead writer exactly once, while a reader sees every count once at every instant', async (t) => {
  t.timeout(300_000);
  const dir = tempDir(t, 'fold-race');
  await deadWriters(t, dir, 6);
  const expected = await counted(dir);
  t.truthy(expected[JSON.stringify(['app.sizes', {}])], 'an exponential histogram among the counts');
  let reading = true;
  let reads = 0;
  const wrong: string[] = [];
  const reader = (async () => {
    while (reading) {
      const now = await counted(dir);
      reads++;
      if (JSON.stringify(now) !== JSON.stringify(expected)) wrong.push(JSON.stringify(now));
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const cleaners = Array.from({ length: 4 }, () => {
    const child = spawn(process.execPath, [bins.mmstats, 'clean', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return once(child, 'close').then(([code]) => ({ code: code as number, stderr }));
  });
  const results = await Promise.all(cleaners);
  reading = false;
  await reader;
  for (const { code, stderr } of results) t.is(code, 0, stderr);
  t.deepEqual(wrong.slice(0, 3), [], `${wrong.length} of ${reads} reads differed`);
  t.deepEqual(await counted(dir), expected);
  t.true(reads > 0);
  const names = readdirSync(dir);
  t.is(names.length, 1, names.join(' '));
  t.truthy(parseArchiveFileName(names[0]!));
});
