import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidFixtures, validFixtures, validGroups, validV2Fixtures, validV2Groups } from '@mmstats/fixtures';
import { counter, defineModel, gauge, histogram, text, timer } from '@mmstats/writer';

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

for (const group of validV2Groups) {
  test(`slurp --json prints every record of every ${group} fixture with its kind, unit, dimensions and JSON value`, (t) => {
    const fixtures = validV2Fixtures(group);
    const run = mmstats(['slurp', '--json', ...fixtures.map((f) => f.path)]);
    t.is(run.code, 0);
    const lines = run.stdout.trimEnd().split('\n').filter(Boolean).map((line) => JSON.parse(line));
    const wanted = fixtures.flatMap((f) =>
      f.json.records.map((r) => ({ file: f.path, label: r.label, dims: r.dims, kind: r.kind, unit: r.unit, type: r.encoding, ...(r.error === undefined ? { value: r.value } : { error: r.error }) })),
    );
    t.deepEqual(lines, wanted);
    // What a newer minor version added and this reader skipped is said on stderr.
    const notices = fixtures.flatMap((f) => f.json.notices.map((n) => ({ path: f.path, code: n.code })));
    t.deepEqual(run.stderr.split('\n').filter(Boolean).map((line) => /^mmstats: (.+): (MMSTATS-W\d+) /.exec(line)?.slice(1, 3)), notices.map((n) => [n.path, n.code]));
  });
}

test('v2 text: label{dims}, kind and value with unit in aligned columns; percentiles, means; an unreadable value shows its code', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mmstats-slurp-v2-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const stats = defineModel({
    requests: counter({ label: 'http.requests', unit: 'requests', dims: { status: '200' } }),
    load: gauge({ label: 'load' }),
    latency: timer({ label: 'http.latency' }),
    sizes: histogram({ label: 'size', unit: 'bytes' }),
    host: text({ label: 'host' }),
  }, { system: false }).open({ path: dir, filename: 'web.mmstats', heartbeatMs: 0 });
  stats.requests.incr(1234);
  stats.load.value = 0.5;
  for (let i = 1; i <= 100; i++) stats.latency.record(i / 1000);
  stats.host.value = 'alpha';
  const run = mmstats(['slurp', stats.path]);
  t.is(run.stderr, '');
  t.is(run.code, 0);
  t.is(
    run.stdout,
    [
      `==> ${stats.path}`,
      '  http.requests{status=200}  counter    1234 requests',
      '  load                       gauge      0.5',
      '  http.latency               timer      p50=0.0498 p90=0.0918 p99=0.09961 count=100 seconds',
      '  size                       histogram  count=0 bytes',
      '  host                       text       alpha',
      '',
      '',
    ].join('\n'),
  );
  const stuck = validV2Fixtures('v2/edge').find((f) => f.name === 'stuck-seq')!;
  t.regex(mmstats(['slurp', stuck.path]).stdout, /\n {2}latency\.avg {2}average {2}error MMSTATS-E014\n/);
});

test('examples/webstats.mjs (format v2, the default) reads fine with slurp', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mmstats-webstats-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const example = fileURLToPath(new URL('../../../../examples/webstats.mjs', import.meta.url));
  const child = spawn(process.execPath, [example], { env: { ...process.env, MMSTATS_PATH: dir }, stdio: 'ignore' });
  t.teardown(() => child.kill('SIGKILL'));
  let run = mmstats(['slurp', dir]);
  for (const deadline = Date.now() + 30_000; !/web\.stats\.status\.2XX +counter +[1-9]/.test(run.stdout) && Date.now() < deadline; run = mmstats(['slurp', dir])) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.is(run.stderr, '');
  t.regex(run.stdout, /\n {2}web\.stats\.status\.2XX +counter +[1-9]\d*\n/);
  t.regex(run.stdout, /\n {2}web\.stats\.timers\.last_hit +gauge +1\d{9}/);
  child.kill('SIGTERM');
  await once(child, 'exit');
});

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

test('an unknown command or option is refused with one line, a hint and exit code 2', (t) => {
  const run = mmstats(['slurp', '--jsno']);
  t.is(run.code, 2);
  t.is(run.stderr, "mmstats: Unknown argument: jsno\nTry 'mmstats slurp --help' for more information.\n");
});

test('names after -- are targets, even one that starts with -', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mmstats-slurp-dashes-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const [fixture] = validFixtures('v1/python-0.8.0');
  copyFileSync(fixture!.path, join(dir, '-odd.mmstats'));
  const run = spawnSync(process.execPath, [bin, 'slurp', '--', '-odd.mmstats'], { encoding: 'utf8', cwd: dir });
  t.is(run.status, 0, run.stderr);
  t.true(run.stdout.startsWith(`==> ${join(dir, '-odd.mmstats')}\n`), run.stdout);
  const missing = mmstats(['slurp', '--', join(dir, 'none.mmstats')]);
  t.is(missing.code, 1, 'a name after -- is looked for, not dropped');
});
