import test from 'ava';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { bootTime, readStats } from '@mmstats/reader';
import { bins, countersOf, startWriter, statsFileFor, tempDir } from '../test-files.test.util.js';

function mmstats(args: string[], options: SpawnSyncOptions = {}) {
  const run = spawnSync(process.execPath, [bins.mmstats, ...args], { encoding: 'utf8', ...options });
  return { code: run.status, stdout: String(run.stdout), stderr: String(run.stderr) };
}

/** A process that runs until the test ends. */
async function liveProcess(t: ExecutionContext, options: { uid?: number } = {}): Promise<number> {
  const child = spawn('sleep', ['600'], { stdio: 'ignore', ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }) });
  t.teardown(() => child.kill('SIGKILL'));
  await once(child, 'spawn');
  return child.pid!;
}

/** The pid of a process that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await once(child, 'exit');
  return child.pid!;
}

const now = () => Date.now() / 1000;

for (const format of [2, 1] as const) {
  test(`a live writer's file is kept; a SIGKILLed writer's file is removed (format ${format})`, async (t) => {
    const dir = tempDir(t, `clean-v${format}`);
    const live = await startWriter(t, dir, 1, 20, { format });
    const crashed = await startWriter(t, dir, 1, 20, { format });
    crashed.child.kill('SIGKILL');
    await once(crashed.child, 'exit');
    const counted = countersOf([readStats(crashed.path)]);
    const run = mmstats(['clean', dir]);
    t.is(run.stderr, '');
    t.is(run.code, 0);
    // v1 files do not say their pid namespace: every namespace was looked in. v2 files have
    // their counts folded into the directory's archive first (spec/files.md#folding).
    const where = format === 1 ? ', in this or any other pid namespace' : ' (counts in archive-0000000001.mmstats)';
    t.is(run.stdout, `removed ${crashed.path}: pid ${crashed.pid} is not running${where}\nRemoved 1 - 1 alive\n`);
    t.false(existsSync(crashed.path));
    t.true(existsSync(live.path));
    if (format === 2) t.deepEqual(countersOf([readStats(join(dir, 'archive-0000000001.mmstats'))]), counted, 'the archive holds what the dead writer counted');
  });
}

test('a dead writer whose exponential histogram has another zero threshold than the archive\'s is kept, counted, and reported (MMSTATS-E212)', async (t) => {
  const dir = tempDir(t, 'clean-conflict');
  const dead = async (zeroThreshold: number) => {
    const writer = await startWriter(t, dir, 1, 20, { exponential: { zeroThreshold } });
    writer.child.kill('SIGKILL');
    await once(writer.child, 'exit');
    return writer;
  };
  await dead(0);
  t.is(mmstats(['clean', dir]).code, 0, 'an archive whose app.sizes has zero threshold 0');
  const wide = await dead(0.5);
  // Each file on its own: the two app.sizes do not merge.
  const counts = () => [join(dir, 'archive-0000000001.mmstats'), wide.path].map((path) => countersOf([readStats(path)]));
  const before = counts();
  const run = mmstats(['clean', dir]);
  t.is(run.code, 1);
  t.regex(run.stderr, /kept: its counts could not be archived \(.*MMSTATS-E212 record "app\.sizes" has zero threshold 0\.5, the archive's 0 \(exponential histograms of different zero thresholds must not merge\)\)$/m);
  t.true(existsSync(wide.path), 'kept whole');
  t.false(existsSync(join(dir, 'archive-0000000002.mmstats')), 'nothing folded: no new generation');
  t.deepEqual(counts(), before, 'every count still there');
});

test('v2: a pid whose process started more than 1 s after the header\'s process_start is reused: removed; no pid: kept', async (t) => {
  const dir = tempDir(t, 'clean-v2-reuse');
  const pid = await liveProcess(t);
  const stale = statsFileFor(dir, 'stale.mmstats', { format: 2, pid, processStart: now() - 3600 });
  const fresh = statsFileFor(dir, 'fresh.mmstats', { format: 2, pid, processStart: now() });
  const anonymous = statsFileFor(dir, 'anonymous.mmstats', { format: 2, pid: 0 });
  const run = mmstats(['clean', dir]);
  t.is(run.code, 0, run.stderr);
  t.is(run.stderr, `mmstats: ${anonymous}: has no pid in its header, so nothing tells whether its writer runs; kept\n`);
  t.regex(run.stdout, new RegExp(`^removed ${stale}: pid ${pid} now belongs to a process started \\S+Z, after the writer's process started \\S+Z \\(counts in archive-0000000001\\.mmstats\\)\\nRemoved 1 - 1 alive\\n$`));
  t.false(existsSync(stale));
  t.true(existsSync(fresh));
  t.true(existsSync(anonymous));
});

test("v2: a writer's hidden temporary file is removed when its pid is dead, even without READY; a live one's is kept", async (t) => {
  const dir = tempDir(t, 'clean-v2-tmp');
  const dead = await deadPid();
  // Made as a writer makes them (then renamed back to temporary names): flags 0, not READY.
  const temporary = (name: string, pid: number): string => {
    const made = statsFileFor(dir, `${name}.made`, { format: 2, pid, processStart: now() });
    const bytes = readFileSync(made);
    bytes.writeUInt32LE(0, 12);
    const path = join(dir, `.${name}.mmstats.0123456789ab.tmp`);
    writeFileSync(path, bytes);
    renameSync(made, join(dir, `${name}.gone`));
    return path;
  };
  const crashed = temporary('crashed', dead);
  const livePid = await liveProcess(t);
  const creating = temporary('creating', livePid);
  const unrelated = join(dir, '.notes.tmp');
  writeFileSync(unrelated, 'not ours');
  const zeros = join(dir, '.empty.mmstats.ffffffffffff.tmp');
  writeFileSync(zeros, Buffer.alloc(4096));
  const dry = mmstats(['clean', '--dry-run', dir]);
  t.is(dry.stdout, `would remove ${crashed}: pid ${dead} is not running (a temporary file never renamed into place)\nwould keep ${creating}: pid ${livePid} is running\nWould remove 1 - 1 alive\n`);
  const run = mmstats(['clean', dir]);
  t.is(run.code, 0);
  t.is(run.stderr, `mmstats: ${zeros}: is a temporary file with no pid in its header yet, so nothing tells whether its writer runs; kept\n`);
  t.regex(run.stdout, /^removed .+crashed.+\(a temporary file never renamed into place\)\nRemoved 1 - 1 alive\n$/);
  t.false(existsSync(crashed));
  t.true(existsSync(creating));
  t.true(existsSync(unrelated));
  t.true(existsSync(zeros));
});

test('a file whose sys.pid now belongs to a process started after sys.created is removed (pid reuse)', async (t) => {
  const dir = tempDir(t, 'clean-reuse');
  const pid = await liveProcess(t);
  // Created in this boot (a file from before it would go for that reason alone), well before the process started.
  const created = (bootTime()! + now()) / 2;
  const stale = statsFileFor(dir, 'stale.mmstats', { pid, created });
  const fresh = statsFileFor(dir, 'fresh.mmstats', { pid, created: now() + 1 });
  const run = mmstats(['clean', dir]);
  t.is(run.code, 0, run.stderr);
  t.regex(run.stdout, new RegExp(`^removed ${stale}: pid ${pid} now belongs to a process started \\S+Z, after the file was created \\S+Z, in this or any other pid namespace\\nRemoved 1 - 1 alive\\n$`));
  t.false(existsSync(stale));
  t.true(existsSync(fresh));
});

test('labels with a prefix (web.stats.sys.pid) are found; no sys.pid is reported and kept; a non-stats file is never touched', async (t) => {
  const dir = tempDir(t, 'clean-kinds');
  const prefixed = statsFileFor(dir, 'prefixed.mmstats', { pid: await deadPid(), created: now(), labelPrefix: 'web.stats.' });
  const anonymous = statsFileFor(dir, 'anonymous.mmstats', {});
  const notes = join(dir, 'notes.mmstats');
  writeFileSync(notes, 'sys.pid = 1, not a stats file\n');
  const run = mmstats(['clean', dir]);
  t.is(run.code, 1);
  t.false(existsSync(prefixed));
  t.true(existsSync(anonymous));
  t.true(existsSync(notes));
  const errors = run.stderr.trimEnd().split('\n').sort();
  t.deepEqual(errors, [
    `mmstats: ${anonymous}: has no sys.pid field, so nothing tells whether its writer runs; kept`,
    `mmstats: ${notes}: MMSTATS-E002 version byte is 0x73, expected 0x01 or 0x02 at byte 0; left alone`,
  ]);
  t.regex(run.stdout, /Removed 1 - 0 alive\n$/);
});

test('--dry-run says what it would do and removes nothing', async (t) => {
  const dir = tempDir(t, 'clean-dry');
  const pid = await deadPid();
  const dead = statsFileFor(dir, 'dead.mmstats', { pid, created: now() });
  const live = statsFileFor(dir, 'live.mmstats', { pid: process.pid, created: now() });
  const run = mmstats(['clean', '--dry-run', dir]);
  t.is(run.code, 0, run.stderr);
  t.is(run.stdout, `would remove ${dead}: pid ${pid} is not running, in this or any other pid namespace\nwould keep ${live}: pid ${process.pid} is running\nWould remove 1 - 1 alive\n`);
  t.true(existsSync(dead));
  t.true(existsSync(live));
});

test('a symlink to a stats file is not followed: neither the link nor its target is removed', async (t) => {
  const dir = tempDir(t, 'clean-link');
  const elsewhere = join(dir, 'elsewhere');
  const cleaned = join(dir, 'cleaned');
  mkdirSync(elsewhere);
  mkdirSync(cleaned);
  const target = statsFileFor(elsewhere, 'dead.mmstats', { pid: await deadPid(), created: now() });
  const link = join(cleaned, 'link.mmstats');
  symlinkSync(target, link);
  for (const args of [[cleaned], [link], [join(cleaned, '*.mmstats')]]) {
    const run = mmstats(['clean', ...args]);
    t.is(run.code, 1);
    t.is(run.stderr, `mmstats: ${link}: MMSTATS-E102 is a symbolic link; not followed; left alone\n`);
    t.is(run.stdout, 'Removed 0 - 0 alive\n');
    t.true(existsSync(link));
    t.true(existsSync(target));
  }
});

const asRoot = process.getuid?.() === 0 ? test : test.skip;
const NOBODY = 65534;

asRoot("as root: another user's live writer (kill(pid, 0) succeeds for root) is kept, and said to be theirs", async (t) => {
  const dir = tempDir(t, 'clean-other');
  chmodSync(dir, 0o777); // the writer runs as nobody and must create its file here
  const theirs = await startWriter(t, dir, 1, 20, { uid: NOBODY });
  const run = mmstats(['clean', dir]);
  t.is(run.code, 0, run.stderr);
  t.is(run.stdout, `kept ${theirs.path}: pid ${theirs.pid} is alive and belongs to another user (uid ${NOBODY})\nRemoved 0 - 1 alive\n`);
  t.true(existsSync(theirs.path));
});

asRoot("as another user: a live process we may not signal (EPERM) is kept, though we could delete its file", async (t) => {
  const dir = tempDir(t, 'clean-eperm');
  // World-writable and not sticky: nobody *could* unlink root's file here, so only the EPERM
  // rule keeps it. (Python's cleanstats skips EPERM too, but does not count it alive.)
  chmodSync(dir, 0o777);
  const pid = await liveProcess(t);
  const file = statsFileFor(dir, 'root.mmstats', { pid, created: now() });
  const run = mmstats(['clean', dir], { uid: NOBODY, gid: NOBODY });
  t.is(run.stderr, '');
  t.is(run.code, 0);
  t.is(run.stdout, `kept ${file}: pid ${pid} is alive and belongs to another user (uid 0)\nRemoved 0 - 1 alive\n`);
  t.true(existsSync(file));
});

test("cleanstats takes the Python tool's arguments and prints its summary line", async (t) => {
  const dir = tempDir(t, 'cleanstats');
  const dead = statsFileFor(dir, 'mmstats-dead', { pid: await deadPid(), created: now() });
  statsFileFor(dir, 'mmstats-live', { pid: process.pid, created: now() });
  const run = spawnSync(process.execPath, [bins.cleanstats, join(dir, 'mmstats-dead'), join(dir, 'mmstats-live')], { encoding: 'utf8' });
  t.is(run.status, 0, run.stderr);
  t.regex(run.stdout, /\nRemoved 1 {2}- {2}1 alive\n$/);
  t.false(existsSync(dead));
  const usage = spawnSync(process.execPath, [bins.cleanstats], { encoding: 'utf8' });
  t.is(usage.stdout, '');
  t.is(usage.status, 2, 'no FILE is a usage error: nothing is removed');
  const odd = statsFileFor(dir, '-dead.mmstats', { pid: await deadPid(), created: now() });
  const dashes = spawnSync(process.execPath, [bins.cleanstats, '--', '-dead.mmstats'], { encoding: 'utf8', cwd: dir });
  t.is(dashes.status, 0, dashes.stderr);
  t.false(existsSync(odd), 'a name after -- is a file, even one starting with -');
});
