// Labels, dimensions, text values and file names come from files anyone who can write the
// stats directory can craft: the text output of every command escapes their control
// characters, so a file cannot retitle the window, clear the screen or forge a line.
// `--json` keeps the exact text.
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { counter, defineModel, string, text } from '@mmstats/writer';
import { bins, statsFileFor, tempDir } from './test-files.test.util.js';

const TITLE = '\x1b]0;pwned\x07';
const CLEAR = '\x1b[2J';

/** A v2 file with an escape in a label, a forged line in a dimension and one in a text value; a v1 file likewise. */
function hostileFiles(dir: string): void {
  const v2 = defineModel(
    {
      hits: counter({ label: `evil${TITLE}.hits`, dims: { route: '/a\r\n==> /etc/passwd' } }),
      motd: text({ label: 'motd' }),
    },
    { system: false },
  ).open({ path: dir, filename: `v2${CLEAR}.mmstats`, heartbeatMs: 0 });
  v2.hits.incr(3);
  v2.motd.value = `hi${CLEAR}\u009b2J`;
  const v1 = defineModel({ name: string({ label: `evil${CLEAR}.name`, size: 32 }) }, { system: false }).open({ path: dir, filename: 'v1.mmstats', format: 1 });
  v1.name.value = `x\ry${TITLE}`;
}

function mmstats(args: readonly string[]) {
  const run = spawnSync(process.execPath, [bins.mmstats, ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** No control character but the line ends, and no C1 control, in `output`. */
function assertInert(t: ExecutionContext, output: string, what: string): void {
  // eslint-disable-next-line no-control-regex
  t.notRegex(output, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u, `${what} has a raw control character`);
}

test('slurp shows hostile labels, dimensions, text values and file names escaped, one line each', (t) => {
  const dir = tempDir(t, 'escapes');
  hostileFiles(dir);
  const run = mmstats(['slurp', dir]);
  t.is(run.code, 0, run.stderr);
  assertInert(t, run.stdout, 'slurp');
  t.true(run.stdout.includes(`==> ${join(dir, 'v2\\x1b[2J.mmstats')}\n`));
  t.true(run.stdout.includes('evil\\x1b]0;pwned\\x07.hits{route=/a\\r\\n==> /etc/passwd}  counter  3\n'));
  t.true(run.stdout.includes('hi\\x1b[2J\\x9b2J'));
  t.true(run.stdout.includes('  evil\\x1b[2J.name x\\ry\\x1b]0;pwned\\x07\n'));
  // Exactly the four file headers and records: nothing forged a line of its own.
  t.is(run.stdout.split('\n').filter((line) => line.startsWith('==> ')).length, 2);
});

test('slurp --json keeps the exact text', (t) => {
  const dir = tempDir(t, 'escapes-json');
  hostileFiles(dir);
  const lines = mmstats(['slurp', '--json', dir]).stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { label: string; dims?: Record<string, string>; value: unknown });
  t.deepEqual(lines.find((line) => line.label === `evil${TITLE}.hits`)?.dims, { route: '/a\r\n==> /etc/passwd' });
  t.is(lines.find((line) => line.label === 'motd')?.value, `hi${CLEAR}\u009b2J`);
  t.is(lines.find((line) => line.label === `evil${CLEAR}.name`)?.value, `x\ry${TITLE}`);
});

test('get and poll escape labels and values too, and so do warnings on stderr', (t) => {
  const dir = tempDir(t, 'escapes-get');
  hostileFiles(dir);
  const get = mmstats(['get', 'evil', dir]);
  t.is(get.code, 0, get.stderr);
  assertInert(t, get.stdout, 'get');
  t.true(get.stdout.includes('evil\\x1b]0;pwned\\x07.hits{route=/a\\r\\n==> /etc/passwd} 3\n'));
  const poll = mmstats(['poll', 'motd', dir, '-c', '1', '--gauge', 'motd']);
  t.is(poll.code, 0, poll.stderr);
  assertInert(t, poll.stdout, 'poll');
  t.true(poll.stdout.includes('hi\\x1b[2J\\x9b2J'));
  const missing = mmstats(['get', `nothing${TITLE}`, dir]);
  assertInert(t, missing.stderr, 'a warning');
  t.true(missing.stderr.includes('nothing\\u001b]0;pwned\\u0007') || missing.stderr.includes('nothing\\x1b]0;pwned\\x07'));
});

test('clean and validate name hostile file names escaped', (t) => {
  const dir = tempDir(t, 'escapes-clean');
  // A v2 file whose writer (a pid nobody runs, in our pid namespace) is gone.
  const path = statsFileFor(dir, `dead${CLEAR}.mmstats`, { pid: 4_194_000, format: 2 });
  const clean = mmstats(['clean', '--dry-run', dir]);
  assertInert(t, clean.stdout, 'clean');
  t.true(clean.stdout.includes(`would remove ${join(dir, 'dead\\x1b[2J.mmstats')}: `), clean.stdout);
  const validate = mmstats(['validate', path]);
  assertInert(t, validate.stdout + validate.stderr, 'validate');
});
