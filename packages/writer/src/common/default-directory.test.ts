import test, { type ExecutionContext } from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { findStatsFiles } from '@mmstats/reader';
import { UNSAFE_DEFAULT_DIRECTORY_WARNING } from '../index.js';
import { lacking } from './test-support.test.util.js';

// spec/files.md#default-directory. Each test gives the app its own TMPDIR, sticky and
// world-writable like /tmp, so that squatting its `mmstats-<uid>` does not disturb the other
// programs (and tests) using the real /tmp's at the same time.
const euid = process.geteuid!();
const child = new URL('./default-directory.test.child.js', import.meta.url).pathname;

function sharedTmp(t: ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmstats-shared-tmp-'));
  chmodSync(dir, 0o1777);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function startApp(tmp: string, format: 1 | 2) {
  const app = spawnSync(process.execPath, [child, String(format)], { encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, MMSTATS_PATH: '', MMSTATS_FILES: '' }, timeout: 60_000 });
  const path = app.status === 0 ? (JSON.parse(app.stdout) as { path: string }).path : undefined;
  return { status: app.status, stderr: app.stderr, path };
}

let users = 0;

/** A second local user for the test's life, or `undefined` (see `lacking`) where none can be made. */
function secondUser(t: ExecutionContext): string | undefined {
  const name = `mmsq${process.pid}x${users++}`;
  // useradd locks /etc/passwd: another program adding a user at the same moment makes it fail.
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', name], { stdio: 'pipe' });
      break;
    } catch (error) {
      if (attempt < 10 && /lock/i.test(String((error as { stderr?: unknown }).stderr))) {
        execFileSync('sleep', ['0.3']);
        continue;
      }
      lacking(t, 'root and useradd', error);
      return undefined;
    }
  }
  t.teardown(() => execFileSync('userdel', ['--force', name], { stdio: 'pipe' }));
  return name;
}

for (const format of [1, 2] as const) {
  test.serial(`v${format}: another user squatting the next pids’ names and mmstats-<uid> cannot stop the app; a default reader finds its file`, async (t) => {
    const user = secondUser(t);
    if (user === undefined) return;
    const tmp = sharedTmp(t);
    const as = (...argv: string[]) => execFileSync('runuser', ['-u', user, '--', ...argv], { stdio: 'pipe' });
    // The names the app would have taken directly in the temp directory, for the next pids.
    const last = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
    const names = Array.from({ length: 300 }, (_, i) => join(tmp, `${basename(child)}-${last + 1 + i}-${last + 1 + i}.mmstats`));
    as('touch', ...names);
    const squatted = join(tmp, `mmstats-${euid}`);
    as('mkdir', '-m', '0777', squatted);

    const app = startApp(tmp, format);
    t.is(app.status, 0, app.stderr);
    const used = dirname(app.path!);
    t.regex(basename(used), new RegExp(`^mmstats-${euid}\\.[A-Za-z0-9]{6}$`));
    const stat = lstatSync(used);
    t.deepEqual({ dir: stat.isDirectory(), uid: stat.uid, mode: stat.mode & 0o777 }, { dir: true, uid: euid, mode: 0o700 });
    const warnings = app.stderr.split('\n').filter((line) => line.includes(UNSAFE_DEFAULT_DIRECTORY_WARNING));
    t.is(warnings.length, 1, app.stderr);
    t.true(warnings[0]!.includes(squatted) && warnings[0]!.includes(used));

    // A reader told nothing finds the app's file, and skips (and names) the squatted directory.
    as('touch', join(squatted, 'fake-1-1.mmstats'));
    const skipped: string[] = [];
    t.deepEqual(await findStatsFiles([], { env: {}, tmpdir: tmp, onSkipped: (dir) => skipped.push(dir) }), [app.path]);
    t.deepEqual(skipped, [squatted]);
  });
}

test('the default directory is made 0700 and reused; a symbolic link in its place is never followed', (t) => {
  const tmp = sharedTmp(t);
  const first = startApp(tmp, 2);
  t.is(first.status, 0, first.stderr);
  const home = join(tmp, `mmstats-${euid}`);
  t.is(dirname(first.path!), home);
  t.is(lstatSync(home).mode & 0o777, 0o700);
  t.is(dirname(startApp(tmp, 1).path!), home);

  // Someone (here: we) puts a symlink at the name: the writer goes to a fresh private directory.
  const elsewhere = join(tmp, 'elsewhere');
  mkdirSync(elsewhere, { mode: 0o700 });
  rmSync(home, { recursive: true });
  symlinkSync(elsewhere, home);
  const app = startApp(tmp, 2);
  t.is(app.status, 0, app.stderr);
  t.not(dirname(app.path!), elsewhere);
  t.true(basename(dirname(app.path!)).startsWith(`mmstats-${euid}.`));
  t.regex(app.stderr, new RegExp(`${UNSAFE_DEFAULT_DIRECTORY_WARNING} the default stats directory is a symbolic link`));
});
