// `mmstats clean` as root among other users and containers (spec/files.md#removal): another
// user's links and directory swaps never lead it outside the tree it was given, and a live
// writer in another pid namespace is never taken for a dead one.
import test, { type ExecutionContext } from 'ava';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArchiveFileName, probePid, processesByOwnPid } from '@mmstats/reader';
import { LiveFileSet } from '../poll/live-file-set.js';
import { bins, eventually, need, statsFileFor, tempDir } from '../test-files.test.util.js';

const idleWriter = fileURLToPath(new URL('../test-writers/idle-writer.test.child.js', import.meta.url));

function mmstats(args: string[]) {
  const run = spawnSync(process.execPath, [bins.mmstats, ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: String(run.stdout), stderr: String(run.stderr) };
}

/** Runs `mmstats` without blocking the event loop (a swap loop runs meanwhile). */
async function mmstatsAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bins.mmstats, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** A real second user (no home directory), deleted when the test ends; `undefined` when we cannot make one. */
function secondUser(t: ExecutionContext): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const name = `mmsh4${process.pid % 100000}${Math.floor(Math.random() * 1000)}`;
  const made = spawnSync('useradd', ['-M', '-N', '-s', '/usr/sbin/nologin', name], { encoding: 'utf8' });
  if (made.status !== 0) return undefined;
  t.teardown(() => void spawnSync('userdel', ['-f', name])); // -f: even if a process of it is still exiting
  return name;
}

/** Runs `command` as `user` (runuser), failing the test on a non-zero exit. */
function asUser(t: ExecutionContext, user: string, command: string[]): void {
  const run = spawnSync('runuser', ['-u', user, '--', ...command], { encoding: 'utf8' });
  t.is(run.status, 0, `${command.join(' ')}: ${run.stderr}`);
}

/** The pid of a process that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await once(child, 'exit');
  return child.pid!;
}

/** Copies of one dead writer's v2 file (root's, pid reaped) as `dir/NAME-i.mmstats`; returns the names. */
async function deadFiles(t: ExecutionContext, dir: string, name: string, count: number): Promise<string[]> {
  const scratch = tempDir(t, 'dead-model');
  const model = statsFileFor(scratch, 'dead.mmstats', { format: 2, pid: await deadPid(), processStart: Date.now() / 1000 });
  const names = Array.from({ length: count }, (_, i) => `${name}-${i}.mmstats`);
  for (const file of names) copyFileSync(model, join(dir, file));
  return names;
}

/** A world-writable sticky directory like /tmp, and a root-only directory outside it. */
function sharedAndElsewhere(t: ExecutionContext): { shared: string; elsewhere: string } {
  const shared = tempDir(t, 'shared');
  chmodSync(shared, 0o1777);
  const elsewhere = mkdtempSync(join(tmpdir(), 'mmstats-elsewhere-'));
  t.teardown(() => rmSync(elsewhere, { recursive: true, force: true }));
  return { shared, elsewhere };
}

test("another user's link to a directory is never entered: dead writers' files it points at survive '*/*' and '**'", async (t) => {
  const user = secondUser(t);
  if (!need(t, user !== undefined, 'root and useradd (a real second user)')) return;
  const { shared, elsewhere } = sharedAndElsewhere(t);
  const outside = await deadFiles(t, elsewhere, 'root-owned', 3);
  asUser(t, user!, ['ln', '-s', elsewhere, join(shared, 'evil')]);
  for (const pattern of [join(shared, '*', '*.mmstats'), join(shared, '**')]) {
    asUser(t, user!, ['mkdir', '-p', join(shared, 'app')]);
    const [inside] = await deadFiles(t, join(shared, 'app'), 'crashed', 1);
    const run = mmstats(['clean', pattern]);
    t.is(run.code, 0, run.stderr);
    t.regex(run.stdout, new RegExp(`^removed ${join(shared, 'app', inside!)}: pid \\d+ is not running \\(counts in archive-\\d{10}\\.mmstats\\)\\nRemoved 1 - 0 alive\\n$`), pattern);
    t.deepEqual(readdirSync(elsewhere).sort(), [...outside].sort(), `${pattern} left ${elsewhere} alone`);
  }
});

test('a loop swapping a directory with a link to elsewhere (renameat2 RENAME_EXCHANGE) during clean removes nothing outside the tree', async (t) => {
  t.timeout(300_000);
  const user = secondUser(t);
  if (!need(t, user !== undefined, 'root and useradd (a real second user)')) return;
  const { shared, elsewhere } = sharedAndElsewhere(t);
  const tree = join(shared, 'tree');
  asUser(t, user!, ['mkdir', tree]);
  const dirs = 10;
  for (let d = 0; d < dirs; d++) {
    asUser(t, user!, ['mkdir', join(tree, `d${d}`)]);
    await deadFiles(t, join(tree, `d${d}`), `in-d${d}`, 20);
  }
  const outside = await deadFiles(t, elsewhere, 'root-owned', 200);
  asUser(t, user!, ['ln', '-s', elsewhere, join(tree, 'swap')]);
  // The other user's loop: exchange dN and the link, atomically, as fast as it can.
  // Spawned with the user's uid directly (not through runuser, which would outlive a kill).
  const uid = Number(spawnSync('id', ['-u', user!], { encoding: 'utf8' }).stdout);
  const loop = spawn('python3', ['-c', SWAP_LOOP, tree, String(dirs)], { uid, gid: uid, stdio: ['ignore', 'ignore', 'pipe'] });
  let loopError = '';
  loop.stderr!.on('data', (chunk: Buffer) => (loopError += chunk.toString()));
  t.teardown(() => loop.kill('SIGKILL'));
  await once(loop, 'spawn');
  const refused: string[] = [];
  for (const pattern of [join(tree, '**'), join(tree, '*', '*.mmstats'), join(tree, '**'), join(tree, '*', '*.mmstats')]) {
    const run = await mmstatsAsync(['clean', pattern]);
    refused.push(...run.stderr.split('\n').filter((line) => line.endsWith('; left alone')));
  }
  loop.kill('SIGKILL');
  await once(loop, 'exit');
  t.is(loopError, '', 'the swap loop ran without error');
  t.log(`${refused.length} removals refused while the tree changed, e.g. ${refused[0] ?? '(none)'}`);
  t.is(readdirSync(elsewhere).length, outside.length, 'no file outside the tree was removed');
  // Once the tree stands still, what is left in it goes (nothing was refused for good).
  const settled = await mmstatsAsync(['clean', join(tree, '**')]);
  t.notRegex(settled.stderr, /left alone/);
  t.is(readdirSync(elsewhere).length, outside.length);
  // What is left in each directory is one archive, holding what its dead writers counted.
  const left = readdirSync(tree).filter((d) => lstatSync(join(tree, d)).isDirectory()).map((d) => readdirSync(join(tree, d)));
  for (const names of left) t.true(names.length === 1 && parseArchiveFileName(names[0]!) !== undefined, names.join(' '));
});

/**
 * python3: for each `TREE/d<i>` in turn, exchange it with the link `TREE/swap` by
 * renameat2(RENAME_EXCHANGE), hold 5 ms, exchange back, hold 5 ms; forever. While held, the
 * name `d<i>` that a walk listed as a directory leads elsewhere.
 */
const SWAP_LOOP = `
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
tree, n = sys.argv[1], int(sys.argv[2])
swap = os.path.join(tree, "swap").encode()
def exchange(d):
    if libc.renameat2(-100, d, -100, swap, 2) != 0:
        raise OSError(ctypes.get_errno(), "renameat2")
i = 0
while True:
    d = os.path.join(tree, "d%d" % (i % n)).encode()
    exchange(d)
    time.sleep(0.005)
    exchange(d)
    time.sleep(0.005)
    i += 1
`;

/** A writer in a pid namespace of its own whose pid there is `pid`, and its pid as we see it. */
interface NamespacedWriter {
  readonly child: ChildProcess;
  readonly path: string;
  /** The writer's own pid (in its namespace), the one its file records. */
  readonly pid: number;
  /** The same process as seen from here. */
  readonly hostPid: number;
}

/**
 * Starts `idle-writer` under `unshare -pf --mount-proc` so that its own pid is one no process
 * has here (the header's or `sys.pid`'s number means nothing to us, as in a container).
 */
async function namespacedWriter(t: ExecutionContext, dir: string, format: 1 | 2, heartbeatMs: number): Promise<NamespacedWriter> {
  let pid = 40;
  while (existsSync(`/proc/${pid}`)) pid++;
  // In a new namespace pids are handed out in order from 1 (sh): burn pids up to pid - 1.
  const script = `i=2; while [ $i -lt ${pid} ]; do /bin/true; i=$((i+1)); done; "$0" "$@" & wait`;
  const child = spawn('unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', 'sh', '-c', script, process.execPath, idleWriter, dir, String(format), String(heartbeatMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const started = await eventually('the namespaced writer to start', () => (out.includes('\n') ? (JSON.parse(out.split('\n')[0]!) as { path: string; pid: number }) : undefined));
  const hostPid = processesByOwnPid()?.get(started.pid)?.find((p) => p !== started.pid);
  if (hostPid === undefined) throw new Error(`no process here is pid ${started.pid} in its own namespace`);
  return { child, ...started, hostPid };
}

function canUnshare(): boolean {
  return spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;
}

// Serial: two namespaced writers at once could have the same own pid, which is the point of v1's rule.
test.serial('v2: a live writer in its own pid namespace (its pid not running here) is kept by clean and poll; once its heartbeat is 10 intervals old it is removed', async (t) => {
  if (!need(t, canUnshare(), 'unshare --pid --mount-proc (root)')) return;
  const dir = tempDir(t, 'clean-ns-v2');
  const writer = await namespacedWriter(t, dir, 2, 100);
  t.is(probePid(writer.pid), 'gone', `precondition: pid ${writer.pid} is no process here`);
  const dry = mmstats(['clean', '--dry-run', dir]);
  t.is(dry.code, 0, dry.stderr);
  t.regex(dry.stdout, new RegExp(`^would keep ${writer.path}: its writer is in another pid namespace \\(pid_ns \\d+\\) and its last heartbeat is \\d\\.\\d s old\\nWould remove 0 - 1 alive\\n$`));
  t.is(mmstats(['clean', dir]).code, 0);
  t.true(existsSync(writer.path), 'clean kept the live writer');

  const reports: string[] = [];
  const set = new LiveFileSet({ report: (line) => reports.push(line) });
  t.teardown(() => set.close());
  t.is(set.refresh([writer.path]).length, 1, 'poll shows it');
  t.deepEqual(reports, []);

  process.kill(writer.hostPid, 'SIGSTOP'); // alive, but its heartbeat stops
  t.teardown(() => void spawnSync('kill', ['-CONT', String(writer.hostPid)]));
  await new Promise((resolve) => setTimeout(resolve, 1500)); // > 10 × 100 ms
  const run = mmstats(['clean', dir]);
  t.is(run.code, 0, run.stderr);
  t.regex(run.stdout, new RegExp(`^removed ${writer.path}: its writer is in another pid namespace \\(pid_ns \\d+\\) and its last heartbeat is \\d\\.\\d s old, more than 10 intervals of 100 ms \\(counts in archive-0000000001\\.mmstats\\)\\nRemoved 1 - 0 alive\\n$`));
  t.false(existsSync(writer.path));
});

test.serial('v1: a live writer in its own pid namespace is kept (its sys.pid is found there); once it is killed its file is removed', async (t) => {
  if (!need(t, canUnshare(), 'unshare --pid --mount-proc (root)')) return;
  const dir = tempDir(t, 'clean-ns-v1');
  const writer = await namespacedWriter(t, dir, 1, 0);
  t.is(probePid(writer.pid), 'gone', `precondition: pid ${writer.pid} is no process here`);
  const run = mmstats(['clean', dir]);
  t.is(run.code, 0, run.stderr);
  t.is(run.stdout, `kept ${writer.path}: pid ${writer.pid} is not running here, but a process in another pid namespace has pid ${writer.pid} there (pid ${writer.hostPid} here)\nRemoved 0 - 1 alive\n`);
  t.true(existsSync(writer.path));
  t.is(readFileSync(writer.path)[0], 0x01, 'a v1 file');

  const set = new LiveFileSet({ report: () => undefined });
  t.teardown(() => set.close());
  t.is(set.refresh([writer.path]).length, 1, 'poll shows it');

  writer.child.kill('SIGKILL'); // --kill-child takes the namespace down with it
  await eventually('the namespace to be gone', () => !existsSync(`/proc/${writer.hostPid}`));
  const after = mmstats(['clean', dir]);
  t.is(after.stdout, `removed ${writer.path}: pid ${writer.pid} is not running, in this or any other pid namespace\nRemoved 1 - 0 alive\n`);
});
