// The series views of /metrics: merged per service by default (dead writers' archive
// included), per worker, per file.
import test, { type ExecutionContext } from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { foldIntoArchive, readStats } from '@mmstats/reader';
import { counter, defineModel, gauge, timer } from '@mmstats/writer';
import { renderMetrics } from './metrics.js';
import { tempDir } from './test-support.test.util.js';

const Api = defineModel({ requests: counter({ unit: 'requests' }), inFlight: gauge(), latency: timer() }, { name: 'api' });
const Batch = defineModel({ requests: counter({ unit: 'requests' }) }, { name: 'batch' });

/** Three files of service api (requests 2, 3 and 4) and one of service batch (requests 10). */
function directory(t: ExecutionContext): { dir: string; api: string[]; batch: string } {
  const { dir, cleanup } = tempDir();
  t.teardown(cleanup);
  const api = [2, 3, 4].map((n, i) => {
    const stats = Api.open({ path: dir, filename: `api-${i}.mmstats`, labelPrefix: 'app.' });
    stats.requests.incr(n);
    stats.inFlight.value = 1;
    stats.latency.observe(n / 100);
    return stats.path;
  });
  const batch = Batch.open({ path: dir, filename: 'batch.mmstats', labelPrefix: 'app.' });
  batch.requests.incr(10);
  return { dir, api, batch: batch.path };
}

const lines = (text: string, name: string): string[] => text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

test('by default one series per record per service, merged by its rule: counters and histograms add', (t) => {
  const { api, batch } = directory(t);
  const text = renderMetrics([...api, batch].map((p) => readStats(p)), 'prometheus-text');
  t.deepEqual(lines(text, 'app_requests_total'), ['app_requests_total{service="api"} 9', 'app_requests_total{service="batch"} 10']);
  t.deepEqual(lines(text, 'app_latency_seconds_count'), ['app_latency_seconds_count{service="api"} 3']);
  t.deepEqual(lines(text, 'app_in_flight'), ['app_in_flight{service="api"} 3'], 'gauges by their rule too (sum)');
  t.false(text.includes('mmstats_service'), 'the service record is no series');
  t.false(/pid=|file=/.test(text), 'no pid, no path');
});

test("a dead writer's counts stay in the merged counter once folded into the archive, and count once while its file is still there", (t) => {
  const { dir, api } = directory(t);
  const before = lines(renderMetrics(api.map((p) => readStats(p)), 'prometheus-text'), 'app_requests_total');
  const dead = api[2]!;
  const { archive } = foldIntoArchive(dir, 'api', [{ path: dead, bytes: readFileSync(dead) }]);
  const withFile = renderMetrics([...api, archive!.path].map((p) => readStats(p)), 'prometheus-text');
  t.deepEqual(lines(withFile, 'app_requests_total'), before, 'folded but not yet removed: counted once');
  const removed = renderMetrics([api[0]!, api[1]!, archive!.path].map((p) => readStats(p)), 'prometheus-text');
  t.deepEqual(lines(removed, 'app_requests_total'), before, 'removed: the archive holds its count');
  t.deepEqual(lines(removed, 'app_in_flight'), ['app_in_flight{service="api"} 2'], "a dead writer's gauge is gone");
  t.is(join(dir, 'api.archive-0000000001.mmstats'), archive!.path);
});

test('per worker: each file labelled by its service and worker, the archive as worker "archive"; per file: pid and path', (t) => {
  const { dir, api } = directory(t);
  const { archive } = foldIntoArchive(dir, 'api', [{ path: api[2]!, bytes: readFileSync(api[2]!) }]);
  const snapshots = [api[0]!, api[1]!, archive!.path].map((p) => readStats(p));
  const workers = lines(renderMetrics(snapshots, 'prometheus-text', { series: 'worker' }), 'app_requests_total');
  t.is(workers.length, 3);
  t.true(workers.includes('app_requests_total{service="api",worker="archive"} 4'), workers.join('\n'));
  // Two files of this one process (as two threads' would be): told apart by thread id where it differs.
  t.true(workers.every((line) => /^app_requests_total\{service="api",worker="[^"]+"\} \d$/.test(line)));
  const files = lines(renderMetrics(snapshots, 'prometheus-text', { series: 'file' }), 'app_requests_total');
  t.true(files.every((line) => /\{(pid="\d+",)?file="[^"]+"\}/.test(line)), files.join('\n'));
});
