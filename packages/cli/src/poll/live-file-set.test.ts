import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { statsFileFor, tempDir } from '../test-files.test.util.js';
import { LiveFileSet, type WatchedFile } from './live-file-set.js';

function watcher(options: { now?: () => number; skipDeadWriters?: boolean } = {}) {
  const reports: string[] = [];
  const set = new LiveFileSet({ report: (line) => reports.push(line), ...options });
  return { set, reports };
}

const requestsOf = (file: WatchedFile) => file.snapshot.fields.find((f) => f.label === 'app.requests')?.value;

test('a file is parsed once when it appears; later refreshes re-read its values through the same view', (t) => {
  const dir = tempDir(t, 'set');
  const path = statsFileFor(dir, 'a.mmstats', { pid: process.pid, requests: 5 });
  const { set, reports } = watcher();
  t.teardown(() => set.close());
  const [first] = set.refresh([path]);
  t.is(requestsOf(first!), 5n);
  const [again] = set.refresh([path]);
  t.is(again!.id, first!.id);
  t.deepEqual(reports, []);
});

test('a file that vanished is dropped without a word; one replaced under its name is re-opened', (t) => {
  const dir = tempDir(t, 'set');
  const a = statsFileFor(dir, 'a.mmstats', { pid: process.pid, requests: 1 });
  const b = statsFileFor(dir, 'b.mmstats', { pid: process.pid, requests: 2 });
  const { set, reports } = watcher();
  t.teardown(() => set.close());
  const before = set.refresh([a, b]);
  t.is(before.length, 2);
  rmSync(a);
  const replacement = statsFileFor(dir, 'b-new.mmstats', { pid: process.pid, requests: 20 });
  renameSync(replacement, b);
  const after = set.refresh([a, b]);
  t.deepEqual(after.map((f) => f.path), [b]);
  t.not(after[0]!.id, before[1]!.id);
  t.is(requestsOf(after[0]!), 20n);
  t.is(set.size, 1);
  t.deepEqual(reports, []);
});

test('a bad file is reported once with its code, skipped while it stays the same, and read again once fixed', (t) => {
  const dir = tempDir(t, 'set');
  const good = statsFileFor(dir, 'good.mmstats', { pid: process.pid, requests: 3 });
  const bad = join(dir, 'bad.mmstats');
  writeFileSync(bad, Buffer.from([0x07, 1, 2, 3]));
  const { set, reports } = watcher();
  t.teardown(() => set.close());
  for (let i = 0; i < 3; i++) t.deepEqual(set.refresh([good, bad]).map((f) => f.path), [good]);
  t.is(reports.length, 1);
  t.regex(reports[0]!, /bad\.mmstats: MMSTATS-E002 /);
  renameSync(statsFileFor(dir, 'fixed.tmp', { pid: process.pid, requests: 9 }), bad);
  t.deepEqual(set.refresh([good, bad]).map((f) => f.path), [good, bad]);
});

test('a file that turns bad while watched (cut short) is reported once and left out', (t) => {
  const dir = tempDir(t, 'set');
  const path = statsFileFor(dir, 'a.mmstats', { pid: process.pid, requests: 3 });
  const { set, reports } = watcher();
  t.teardown(() => set.close());
  t.is(set.refresh([path]).length, 1);
  truncateSync(path, 12);
  t.is(set.refresh([path]).length, 0);
  t.is(set.refresh([path]).length, 0);
  t.is(reports.length, 1);
  t.regex(reports[0]!, /a\.mmstats: MMSTATS-E00[34] /);
});

test('a file still being created (all zeros) gets a grace period before it is called bad', (t) => {
  const dir = tempDir(t, 'set');
  const path = join(dir, 'new.mmstats');
  writeFileSync(path, Buffer.alloc(4096));
  let now = 1_000_000;
  const { set, reports } = watcher({ now: () => now });
  t.is(set.refresh([path]).length, 0);
  now += 1500;
  t.is(set.refresh([path]).length, 0);
  t.deepEqual(reports, []);
  now += 1000;
  set.refresh([path]);
  t.is(reports.length, 1);
  t.regex(reports[0]!, /MMSTATS-E002 version byte is 0x00/);
});

test("a dead writer's file is left out and reported once, unless dead writers are wanted", async (t) => {
  const dir = tempDir(t, 'set');
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  await once(child, 'spawn');
  const path = statsFileFor(dir, 'crashed.mmstats', { pid: child.pid!, requests: 7 });
  const { set, reports } = watcher();
  t.teardown(() => set.close());
  t.is(set.refresh([path]).length, 1);
  child.kill('SIGKILL');
  await once(child, 'exit');
  t.is(set.refresh([path]).length, 0);
  t.is(set.refresh([path]).length, 0);
  t.deepEqual(reports, [`${path}: its writer is gone (pid ${child.pid} is not running, in this or any other pid namespace); left out (--include-dead shows it)`]);
  const all = watcher({ skipDeadWriters: false });
  t.teardown(() => all.set.close());
  t.is(requestsOf(all.set.refresh([path])[0]!), 7n);
});

test('v2 files: the header names the writer, whose death leaves the file out', async (t) => {
  const dir = tempDir(t, 'set-v2');
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  await once(child, 'spawn');
  const path = statsFileFor(dir, 'v2.mmstats', { format: 2, pid: child.pid!, requests: 4 });
  const { set, reports } = watcher();
  t.teardown(() => set.close());
  const [first] = set.refresh([path]);
  t.is(first!.snapshot.version, 2);
  t.is(requestsOf(first!), 4);
  child.kill('SIGKILL');
  await once(child, 'exit');
  t.is(set.refresh([path]).length, 0);
  t.deepEqual(reports, [`${path}: its writer is gone (pid ${child.pid} is not running); left out (--include-dead shows it)`]);
});
