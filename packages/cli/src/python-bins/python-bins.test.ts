import test from 'ava';
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { validFixtures } from '@mmstats/fixtures';
import { bins, startWriter, tempDir } from '../test-files.test.util.js';

test('slurpstats FILE... prints what mmstats slurp prints', (t) => {
  const paths = validFixtures('v1/python-0.8.0').slice(0, 3).map((f) => f.path);
  const python = spawnSync(process.execPath, [bins.slurpstats, ...paths], { encoding: 'utf8' });
  const ours = spawnSync(process.execPath, [bins.mmstats, 'slurp', ...paths], { encoding: 'utf8' });
  t.is(python.status, 0);
  t.is(python.stdout, ours.stdout);
  t.true(python.stdout.startsWith('==> '));
});

test("pollstats takes Python's options: -p prefix, -c count, -d delay, -n headers, -f filters, -v, then FIELDS FILES", async (t) => {
  const dir = tempDir(t, 'pollstats');
  await startWriter(t, dir, 1);
  await startWriter(t, dir, 7);
  const run = spawnSync(process.execPath, [bins.pollstats, '-v', '-p', 'app.', '-c', '3', '-d', '0.1', '-n', '2', 'workers,step', `${dir}/writer-*.mmstats`, '-f', 'app.step=7'], { encoding: 'utf8' });
  t.is(run.stderr, '');
  t.is(run.status, 0);
  t.deepEqual(
    run.stdout.trimEnd().split('\n').map((line) => line.trim().split(/\s+/)),
    [['files', 'workers', 'step'], ['1', '1', '7'], ['1', '1', '7'], ['files', 'workers', 'step'], ['1', '1', '7']],
  );
});

test('slurpstats --help prints its usage instead of reading a file named --help; -- reads one', (t) => {
  const help = spawnSync(process.execPath, [bins.slurpstats, '--help'], { encoding: 'utf8' });
  t.is(help.status, 0);
  t.regex(help.stdout, /^slurpstats \[files\.\.\]/);
  t.is(help.stderr, '');
  const dir = tempDir(t, 'slurpstats-dash');
  const [fixture] = validFixtures('v1/python-0.8.0');
  copyFileSync(fixture!.path, `${dir}/--help`);
  const file = spawnSync(process.execPath, [bins.slurpstats, '--', '--help'], { encoding: 'utf8', cwd: dir });
  t.is(file.status, 0, file.stderr);
  t.true(file.stdout.startsWith(`==> ${dir}/--help\n`), file.stdout);
});
