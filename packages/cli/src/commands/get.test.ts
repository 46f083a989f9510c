import test from 'ava';
import { spawnSync } from 'node:child_process';
import { counter, defineModel, gauge, text, timer } from '@mmstats/writer';
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

test('an unknown aggregator is a usage error (exit 2); no matching label exits 1 with a word on stderr', (t) => {
  const dir = threeWorkers(t);
  const bad = mmstats(['get', 'app.', dir, '--aggr', 'median']);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /Invalid values:[\s\S]*median/);
  const none = mmstats(['get', 'nope.', dir]);
  t.is(none.code, 1);
  t.is(none.stdout, '');
  t.is(none.stderr, 'mmstats: no label starts with "nope."\n');
});

function v2Workers(t: Parameters<typeof tempDir>[0]): string {
  const dir = tempDir(t, 'get-v2');
  const model = defineModel(
    {
      ok: counter({ label: 'http.requests', unit: 'requests', dims: { status: '200' } }),
      failed: counter({ label: 'http.requests', unit: 'requests', dims: { status: '500' } }),
      peak: gauge({ label: 'queue.peak', merge: 'max' }),
      latency: timer({ label: 'http.latency' }),
      host: text({ label: 'host' }),
    },
    { system: false },
  );
  for (const [i, host] of ['alpha', 'beta'].entries()) {
    const stats = model.open({ path: dir, filename: `${host}.mmstats`, heartbeatMs: 0 });
    stats.ok.incr(10 * (i + 1));
    stats.failed.incr(i);
    stats.peak.value = 5 + i;
    stats.host.value = host;
    // alpha records 0.01 s, beta 1 s: the merged p99 is only in the merge.
    for (let n = 0; n < 90 - 80 * i; n++) stats.latency.record(i === 0 ? 0.01 : 1);
  }
  return dir;
}

test('v2: one row per label and dimensions; every file\'s value, composite values as slurp shows them', (t) => {
  const dir = v2Workers(t);
  const run = mmstats(['get', 'http.', dir]);
  t.is(run.code, 0, run.stderr);
  t.is(
    run.stdout,
    [
      'http.latency              p50=0.01 p90=0.01 p99=0.01 count=90 | p50=1 p90=1 p99=1 count=10',
      'http.requests{status=200} 10 20',
      'http.requests{status=500} 0 1',
      '',
    ].join('\n'),
  );
  t.is(mmstats(['get', 'http.requests', '--exact', dir, '--aggr', 'sum']).stdout, 'http.requests{status=200} 30\nhttp.requests{status=500} 1\n');
});

test('v2: --merge merges by each record\'s rule, with percentiles of the merged histogram; --json gives the details', (t) => {
  const dir = v2Workers(t);
  const run = mmstats(['get', '--merge', '', dir]);
  t.is(run.code, 0, run.stderr);
  t.is(
    run.stdout,
    [
      'host                      alpha beta (per file: merge rule none)',
      'http.latency              p50=0.01001 p90=0.01001 p99=1 count=100 seconds',
      'http.requests{status=200} 30 requests',
      'http.requests{status=500} 1 requests',
      'queue.peak                6',
      '',
    ].join('\n'),
  );
  const json = JSON.parse(mmstats(['get', '--merge', '--json', 'http.latency', dir]).stdout) as Record<string, { kind: string; merge: string; percentiles: Record<string, number>; value: { count: number } }>;
  t.like(json['http.latency'], { kind: 'timer', merge: 'sum', value: { count: 100 } });
  t.deepEqual(Object.keys(json['http.latency']!.percentiles), ['p50', 'p90', 'p99']);
  t.true(Math.abs(json['http.latency']!.percentiles['p99']! - 1) <= 0.03125);
  const both = mmstats(['get', '--merge', '--aggr', 'sum', 'http.', dir]);
  t.is(both.code, 2, 'a usage error');
  t.regex(both.stderr, /mutually exclusive/);
});

test('v1 files with --merge: counters and gauges summed, as their inferred rules say', (t) => {
  const dir = threeWorkers(t);
  t.is(mmstats(['get', '--merge', 'app.requests', '--exact', dir]).stdout, 'app.requests 12\n');
});
