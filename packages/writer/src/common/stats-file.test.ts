import test from 'ava';
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { counter, defineModel, PAGE_SIZE, uint, MmstatsError, ErrorCodes } from '../index.js';
import { checkSymlinksRefused, readBack, tempDir, withoutUmask } from './test-support.test.util.js';

const Small = defineModel({ hits: counter() }, { system: false, format: 1 });

test('the file is page-sized: one page at least, whole pages always (as in Python)', (t) => {
  const dir = tempDir(t);
  t.is(statSync(Small.open({ path: dir, filename: 'small' }).path).size, PAGE_SIZE);
  // 150 counters of 29-31 bytes, as fixtures/v1/python-0.8.0/many-fields: two pages.
  const defs = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`m${i}`, counter({ label: `many.metric.${String(i).padStart(3, '0')}` })]));
  const many = defineModel(defs, { system: false, format: 1 }).open({ path: dir, filename: 'many' });
  t.is(many.size, 2 * PAGE_SIZE);
  t.is(statSync(many.path).size, 2 * PAGE_SIZE);
});

test('a new file gets mode 0644 by default, or the mode asked for', (t) => {
  const dir = tempDir(t);
  t.is(statSync(Small.open({ path: dir, filename: 'a' }).path).mode & 0o777, 0o644);
  t.is(statSync(Small.open({ path: dir, filename: 'b', mode: 0o600 }).path).mode & 0o777, 0o600);
  // Without a umask to hide it, the default is 0644 itself (never group- or world-writable).
  t.is(withoutUmask(() => statSync(Small.open({ path: dir, filename: 'c' }).path).mode & 0o777), 0o644);
});

test('a symlink at the target path is refused and the linked file is left untouched', (t) => {
  const { error, link } = checkSymlinksRefused(t, (dir, filename) => Small.open({ path: dir, filename }));
  t.true(error.message.startsWith(link));
});

test('another user’s file is never taken over', (t) => {
  if (process.getuid?.() !== 0) return t.pass('needs root to chown a file to another user');
  const dir = tempDir(t);
  const path = join(dir, 'theirs.mmstats');
  writeFileSync(path, 'their data');
  chownSync(path, 4321, 4321);
  const error = t.throws(() => Small.open({ path: dir, filename: 'theirs.mmstats' }), { instanceOf: MmstatsError });
  t.is(error.code, ErrorCodes.NOT_OWNER);
  t.is(readFileSync(path, 'utf8'), 'their data');
});

test('an existing file of our own (a stale one from a dead process) is reused and zeroed', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'stale.mmstats');
  writeFileSync(path, Buffer.alloc(3 * PAGE_SIZE, 0xee));
  const stats = Small.open({ path: dir, filename: 'stale.mmstats' });
  stats.hits.incr();
  t.is(statSync(path).size, PAGE_SIZE);
  t.deepEqual(Object.fromEntries(readBack(path)), { hits: 1n });
  t.true(readFileSync(path).subarray(40).every((b) => b === 0));
});

test('a missing directory, or a file where a directory should be, gives an error naming the path', (t) => {
  const dir = tempDir(t);
  const missing = t.throws(() => Small.open({ path: join(dir, 'no', 'such'), filename: 'x' }), { instanceOf: MmstatsError });
  t.is(missing.code, ErrorCodes.DIRECTORY_NOT_FOUND);
  t.is(missing.path, join(dir, 'no', 'such', 'x'));
  writeFileSync(join(dir, 'plain'), '');
  t.throws(() => Small.open({ path: join(dir, 'plain'), filename: 'x' }), { code: ErrorCodes.DIRECTORY_NOT_FOUND });
  mkdirSync(join(dir, 'adir.mmstats'));
  t.throws(() => Small.open({ path: dir, filename: 'adir.mmstats' }), { code: ErrorCodes.NOT_REGULAR_FILE });
});

test('degrade: when the file cannot be made, stats live in memory and one warning is given', (t) => {
  const dir = tempDir(t);
  const warnings: MmstatsError[] = [];
  const stats = Small.open({ path: join(dir, 'missing'), degrade: true, onDegrade: (e) => warnings.push(e) });
  t.true(stats.inMemory);
  stats.hits.incr(3);
  t.is(stats.hits.value, 3);
  stats.flush();
  stats.remove();
  t.is(warnings.length, 1);
  t.is(warnings[0]!.code, ErrorCodes.DIRECTORY_NOT_FOUND);
});

test('flush() msyncs, blocking or not', (t) => {
  const stats = Small.open({ path: tempDir(t) });
  stats.hits.incr();
  t.notThrows(() => stats.flush());
  t.notThrows(() => stats.flush({ blocking: false }));
  t.is(readBack(stats.path).get('hits'), 1n);
});

test('remove() unlinks the file; handles keep working in memory; a second remove() does nothing', (t) => {
  const stats = Small.open({ path: tempDir(t) });
  stats.hits.incr();
  stats.remove();
  t.false(existsSync(stats.path));
  t.true(stats.inMemory);
  stats.hits.incr();
  t.is(stats.hits.value, 2);
  t.notThrows(() => stats.remove());
});

test('remove() also removes this process’s files of threads that ended, and nothing else', (t) => {
  const dir = tempDir(t);
  const stats = Small.open({ path: dir, filename: 'app-{PID}-{TID}.mmstats' });
  const deadThread = join(dir, `app-${process.pid}-999999999.mmstats`); // no such thread
  const liveThread = join(dir, `app-${process.pid}-${process.pid}.mmstats`); // the main thread is alive
  const otherProcess = join(dir, `app-1-999999999.mmstats`);
  const unrelated = join(dir, `notes-${process.pid}-999999999.txt`);
  for (const path of [deadThread, otherProcess, unrelated]) writeFileSync(path, '');
  const ownThread = stats.path;
  t.is(ownThread, liveThread);
  stats.remove();
  t.deepEqual([deadThread, ownThread, otherProcess, unrelated].map(existsSync), [false, false, true, true]);
});

test('removeOnExit removes the file when the process exits', (t) => {
  const dir = tempDir(t);
  const index = fileURLToPath(new URL('../index.js', import.meta.url));
  const script = `
    import { defineModel, counter } from ${JSON.stringify(index)};
    const stats = defineModel({ hits: counter() }, { format: 1 }).open({ path: ${JSON.stringify(dir)}, removeOnExit: true });
    stats.hits.incr();
    console.log(stats.path);`;
  const path = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim();
  t.true(path.startsWith(dir));
  t.false(existsSync(path));
});

test('updates make the file show the value at once, before any flush', (t) => {
  const Gauge = defineModel({ depth: uint() }, { system: false, format: 1 });
  const stats = Gauge.open({ path: tempDir(t) });
  for (const depth of [1, 5, 2]) {
    stats.depth.value = depth;
    t.is(readBack(stats.path).get('depth'), depth);
  }
});
