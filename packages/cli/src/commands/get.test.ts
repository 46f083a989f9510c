import test from 'ava';
import { spawnSync } from 'node:child_process';
import { bins, statsFileFor, tempDir } from '../test-files.test.util.js';

function mmstats(args: string[]) {
  const run = spawnSync(process.execPath, [bins.mmstats, ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function threeWorkers(t: Parameters<typeof tempDir>[0]): string {
  const dir = tempDir(t, 'get');
  statsFileFor(dir, 'a.mmstats', { pid: process.pid, created: 1000.5, requests: 0 });
  statsFileFor(dir, 'b.mmstats', { pid: process.pid, created: 1000.5, requests: 4 });
  statsFileFor(dir, 'c.mmstats', { pid: process.pid, created: 1000.5, requests: 8 });
  return dir;
}

test('without --aggr, every file\'s value of each matching label, labels sorted', (t) => {
  const dir = threeWorkers(t);
  const run = mmstats(['get', 'app.', dir]);
  t.is(run.code, 0, run.stderr);
  t.is(run.stdout, [`app.requests    0 4 8`, `app.sys.created 1000.5 1000.5 1000.5`, `app.sys.pid     ${process.pid} ${process.pid} ${process.pid}`, ''].join('\n'));
});

test('--aggr combines as mmash does, --exact matches the whole label, --json gives one object', (t) => {
  const dir = threeWorkers(t);
  const get = (...args: string[]) => mmstats(['get', 'app.requests', '--exact', dir, ...args]).stdout;
  t.is(get('--aggr', 'sum'), 'app.requests 12\n');
  t.is(get('--aggr', 'avg'), 'app.requests 4.0\n');
  t.is(get('--aggr', 'min'), 'app.requests 0\n');
  t.is(get('--aggr', 'nonzero-min'), 'app.requests 4\n');
  t.is(get('--aggr', 'nonzero-avg'), 'app.requests 6.0\n');
  t.is(get('--aggr', 'max', '--json'), '{"app.requests":8}\n');
  t.is(get('--json'), '{"app.requests":[0,4,8]}\n');
  t.is(mmstats(['get', 'app.req', '--exact', dir]).code, 1);
});

test('an unknown aggregator is refused; no matching label exits 1 with a word on stderr', (t) => {
  const dir = threeWorkers(t);
  const bad = mmstats(['get', 'app.', dir, '--aggr', 'median']);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /Invalid values:[\s\S]*median/);
  const none = mmstats(['get', 'nope.', dir]);
  t.is(none.code, 1);
  t.is(none.stdout, '');
  t.is(none.stderr, 'mmstats: no label starts with "nope."\n');
});
