import test from 'ava';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidFixtures, validFixtures, validGroups } from '@mmstats/fixtures';

const bin = fileURLToPath(new URL('../bin.js', import.meta.url));

function mmstats(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

for (const group of validGroups) {
  test(`slurp --json prints exactly the expected JSON of every ${group} fixture`, (t) => {
    const fixtures = validFixtures(group);
    const run = mmstats(['slurp', '--json', ...fixtures.map((f) => f.path)]);
    t.is(run.stderr, '');
    t.is(run.code, 0);
    const lines = run.stdout.trimEnd().split('\n').filter(Boolean).map((line) => JSON.parse(line));
    const wanted = fixtures.flatMap((f) => f.fields.map((field) => ({ file: f.path, label: field.label, type: field.type, value: field.value })));
    t.deepEqual(lines, wanted);
  });
}

test('slurp prints each file as Python slurpstats does: a header, then aligned label/value lines', (t) => {
  const [fixture] = validFixtures('v1/python-0.8.0').filter((f) => f.name === 'all-types');
  const run = mmstats(['slurp', fixture!.path]);
  t.is(run.code, 0);
  const lines = run.stdout.split('\n');
  t.is(lines[0], `==> ${fixture!.path}`);
  t.is(lines[1], '  counter 42');
  t.true(lines.includes('  f64     3.141592653589793'));
  t.true(lines.includes('  flag    True'));
  t.true(lines.includes('  sf32    1.5'));
  t.true(lines.includes('  u64     18446744073709551615'));
  t.true(lines.includes('  stext   static ✓ text'));
  t.is(run.stdout.slice(-2), '\n\n');
});

test('a bad file gets one line on stderr naming it and its error code; the others are still printed; exit code 1', (t) => {
  const good = validFixtures('v1/python-0.8.0').filter((f) => f.name === 'webstats' || f.name === 'thread-0');
  const bad = invalidFixtures().find((f) => f.name === 'cut-in-buffer-1')!;
  const missing = join(tmpdir(), 'no-such-dir-for-mmstats', 'gone.mmstats');
  const run = mmstats(['slurp', good[0]!.path, bad.path, missing, good[1]!.path]);
  t.is(run.code, 1);
  // Files are read in sorted path order, so find each message by its file.
  const errors = run.stderr.trimEnd().split('\n');
  t.is(errors.length, 2);
  t.regex(errors.find((line) => line.includes(bad.path)) ?? '', /^mmstats: .+: MMSTATS-E003 .+ at byte \d+$/);
  t.regex(errors.find((line) => line.includes(missing)) ?? '', /^mmstats: .+: MMSTATS-E101 /);
  t.true(run.stdout.includes(`==> ${good[0]!.path}`));
  t.true(run.stdout.includes(`==> ${good[1]!.path}`));
});

test('with no arguments slurp reads $MMSTATS_PATH/*.mmstats; a directory argument reads its *.mmstats', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mmstats-slurp-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const [fixture] = validFixtures('v1/python-0.8.0').filter((f) => f.name === 'webstats');
  copyFileSync(fixture!.path, join(dir, 'app-1.mmstats'));
  writeFileSync(join(dir, 'notes.txt'), 'not a stats file');
  const fromEnv = mmstats(['slurp'], { MMSTATS_PATH: dir, MMSTATS_GLOB: '' });
  t.is(fromEnv.code, 0, fromEnv.stderr);
  t.true(fromEnv.stdout.startsWith(`==> ${join(dir, 'app-1.mmstats')}\n  web.stats.status.2XX`));
  const fromDir = mmstats(['slurp', dir]);
  t.is(fromDir.stdout, fromEnv.stdout);
});

test('slurp piped into head -1 ends quietly', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mmstats-slurp-pipe-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const [many] = validFixtures('v1/python-0.8.0').filter((f) => f.name === 'many-fields');
  // Far more output than a pipe buffers, so the writer really meets the closed pipe.
  for (let i = 0; i < 200; i++) copyFileSync(many!.path, join(dir, `copy-${String(i).padStart(3, '0')}.mmstats`));
  const run = spawnSync('bash', ['-o', 'pipefail', '-c', `'${process.execPath}' '${bin}' slurp '${dir}' | head -1`], { encoding: 'utf8' });
  t.is(run.stderr, '');
  t.is(run.status, 0);
  t.is(run.stdout, `==> ${join(dir, 'copy-000.mmstats')}\n`);
});

test('an unknown command or option is refused with usage help and exit code 1', (t) => {
  const run = mmstats(['slurp', '--jsno']);
  t.is(run.code, 1);
  t.regex(run.stderr, /Unknown argument: jsno/);
});
