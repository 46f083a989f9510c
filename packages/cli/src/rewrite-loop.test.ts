/**
 * Readers never die of a file changing under them (issue 10 item 5): while another process
 * keeps truncating and rewriting files under the same names (`startRewriteLoop`: `O_TRUNC`
 * then a rewrite, `ftruncate` to 0 and back, to half and back), `mmstats poll` keeps polling
 * and `mmstats slurp` runs many times. None of them may die of a signal (a mapped read of a
 * shrunk file is `SIGBUS`), and every file they could not read is reported with a code.
 */
import test, { type ExecutionContext } from 'ava';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startRewriteLoop, validFixtures, validV2Fixtures, type RewriteLoop } from '@mmstats/fixtures';
import { bins, eventually, run, tempDir } from './test-files.test.util.js';

const SOURCES = [validV2Fixtures('v2/ts').find((f) => f.name === 'all-kinds')!.path, validFixtures('v1/python-0.8.0').find((f) => f.name === 'webstats')!.path];
const FILES = 12;
const SLURPS = 30;

/** A stderr line that names a file and a stable code, or poll's count of unreadable files. */
const CODED = /^mmstats: \S+: MMSTATS-[EW]\d{3} |^mmstats: (\d+ files? could not be read|every file reads again)|its writer .* is not running/;

function startLoop(t: ExecutionContext, dir: string): RewriteLoop {
  const loop = startRewriteLoop(SOURCES, Array.from({ length: FILES }, (_, i) => join(dir, `app-${i}.mmstats`)));
  t.teardown(() => loop.stop());
  return loop;
}

test('slurp, run 30 times while the files are rewritten under it, never dies of a signal and codes every failure', async (t) => {
  const dir = tempDir(t, 'rewrite-slurp');
  const loop = startLoop(t, dir);
  await loop.ready;
  const outcomes = { clean: 0, reported: 0 };
  for (let i = 0; i < SLURPS; i++) {
    const slurp = run(t, bins.mmstats, ['slurp', dir]);
    const code = await slurp.exited;
    t.is(slurp.child.signalCode, null, `slurp run ${i} died of ${slurp.child.signalCode}`);
    t.true(code === 0 || code === 1, `slurp run ${i} exited ${code}`);
    const lines = slurp.stderr().trimEnd().split('\n').filter((line) => line !== '');
    for (const line of lines) t.regex(line, CODED);
    t.is(code === 1, lines.some((line) => /MMSTATS-E/.test(line)), 'exit 1 exactly when a file failed');
    outcomes[code === 0 ? 'clean' : 'reported']++;
  }
  const rounds = await loop.stop();
  t.log(`${JSON.stringify(outcomes)} over ${rounds} rounds of rewrites`);
  t.true(rounds > 0);
});

test('poll keeps polling while the files are rewritten under it, and reports what it could not read', async (t) => {
  const dir = tempDir(t, 'rewrite-poll');
  const loop = startLoop(t, dir);
  await loop.ready;
  const poll = run(t, bins.mmstats, ['poll', '--json', '--include-dead', '-d', '0.05', 'http.requests', dir]);
  await eventually('a tick', () => poll.lines.length > 0);
  const seen = poll.lines.length;
  await sleep(5000);
  t.true(poll.child.exitCode === null && poll.child.signalCode === null, `poll died (${poll.child.signalCode}); stderr: ${poll.stderr()}`);
  t.true(poll.lines.length > seen + 20, `poll kept ticking: ${poll.lines.length - seen} ticks in 5 s`);
  const rounds = await loop.stop();
  poll.child.kill('SIGTERM');
  t.is(await poll.exited, 143);
  t.is(poll.child.signalCode, null);
  const lines = poll.stderr().trimEnd().split('\n').filter((line) => line !== '');
  for (const line of lines) t.regex(line, CODED);
  t.log(`${poll.lines.length} ticks, ${lines.length} stderr lines, ${rounds} rounds of rewrites`);
});
