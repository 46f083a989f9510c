// OpenTelemetry's HTTP instrumentation through MmstatsMeterProvider in a two-worker node:cluster
// service: after N requests, the files merged over the workers count N, as the reader merges
// them and as mmash's /metrics, scraped by a real Prometheus, gives them.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import test, { type ExecutionContext } from 'ava';
import { startMmash } from '@mmstats/mmash';
import { type HistogramValue, isHistogramValue, type MergedField, mergeSnapshots, readStats } from '@mmstats/reader';
// mmash's own helpers for its Prometheus test (built beside it; not part of its package).
import { PROMETHEUS, startPrometheus, testWithTool, waitFor } from '../../mmash/dist/test-support.test.util.js';
import { getPid as get } from '../../writer/dist/runtime/cluster.test.util.js';
import { statsDir } from './test-support.test.util.js';

const histogramOf = (field: MergedField | undefined): HistogramValue | undefined => (field !== undefined && isHistogramValue(field.value) ? field.value : undefined);

/**
 * Starts the service of http-cluster.test.child.ts writing into `dir` and sends it requests, a
 * quarter of them answered 500, until both workers have answered; stopped when the test ends.
 */
async function serveRequests(t: ExecutionContext, dir: string): Promise<{ pids: number[]; served: number[]; total: number }> {
  const primary = fork(new URL('./http-cluster.test.child.js', import.meta.url), [dir]);
  t.teardown(async () => {
    if (primary.exitCode !== null) return;
    primary.send('stop');
    await once(primary, 'exit');
  });
  const [{ port, pids }] = (await once(primary, 'message')) as [{ port: number; pids: number[] }];
  // Connections go round-robin to the workers; keep on until both have answered.
  const served: number[] = [];
  for (let round = 0; round < 10 || (new Set(served).size < 2 && round < 200); round++) {
    served.push(...(await Promise.all([get(port, '/'), get(port, '/'), get(port, '/'), get(port, '/boom')])));
  }
  return { pids, served, total: served.length };
}

test('@opentelemetry/instrumentation-http in two cluster workers: the merged files count every request', async (t) => {
  const dir = statsDir(t);
  const { pids, served, total } = await serveRequests(t, dir);
  t.deepEqual([...new Set(served)].sort(), [...pids].sort());

  const files = readdirSync(dir).filter((name) => name.endsWith('.otel.mmstats'));
  t.is(files.length, 2, files.join(', '));
  const durations = (fields: readonly MergedField[], status: string): MergedField | undefined =>
    fields.find((f) => f.label === 'http.server.request.duration' && f.dims['http.response.status_code'] === status);
  let fields: MergedField[] = [];
  // The instrumentation records when the response ends, just after the client has it.
  for (let tries = 0; tries < 500; tries++) {
    fields = mergeSnapshots(files.map((name) => readStats(join(dir, name))));
    if (histogramOf(durations(fields, '200'))?.count === (total * 3) / 4 && histogramOf(durations(fields, '500'))?.count === total / 4) break;
    await sleep(10);
  }
  const ok = durations(fields, '200');
  t.like(ok, { kind: 'histogram', unit: 'seconds', help: 'Duration of HTTP server requests.' });
  t.like(ok?.dims, { 'http.request.method': 'GET', 'url.scheme': 'http', 'otel.scope.name': '@opentelemetry/instrumentation-http' });
  t.is(histogramOf(ok)?.count, (total * 3) / 4);
  t.is(histogramOf(durations(fields, '500'))?.count, total / 4);
  // Each worker's file holds what it served; the merge is their sum.
  for (const pid of pids) {
    const file = ok!.perFile.find((p) => p.path.includes(`-${pid}-`));
    t.is((file?.value as HistogramValue | undefined)?.count, served.filter((p, i) => p === pid && i % 4 !== 3).length);
  }
  // The instrumentation's explicit-bucket advice (5 ms to 10 s) set the range: 2^-8 to 2^4 s.
  t.deepEqual(histogramOf(ok)?.params, { k: 4, minExp: -8, maxExp: 4 });
  t.true(ok!.percentiles!['p50']! > 0);
  t.like(fields.find((f) => f.label === 'target'), { kind: 'info', dims: { 'service.name': 'cluster-test' } });
});

testWithTool(PROMETHEUS)('Prometheus scrapes the cluster through mmash: http_server_request_duration_seconds counts every request', async (t) => {
  const dir = statsDir(t);
  const { total } = await serveRequests(t, dir);
  const mmash = await startMmash({ port: 0, rescanMs: 0, targets: [join(dir, '*.otel.mmstats')] });
  t.teardown(() => mmash.close());
  const { query } = await startPrometheus(t, dir, [`127.0.0.1:${mmash.port}`]);

  const counts = await waitFor(`http_server_request_duration_seconds_count summing to ${total}`, async () => {
    const result = await query('sum by (http_response_status_code) (http_server_request_duration_seconds_count)');
    const byStatus = Object.fromEntries(result.map((r) => [r.metric['http_response_status_code'], Number(r.value[1])]));
    return byStatus['200'] === (total * 3) / 4 && byStatus['500'] === total / 4 ? byStatus : undefined;
  }, 45_000, 250);
  t.deepEqual(counts, { '200': (total * 3) / 4, '500': total / 4 });
  // mmash merged the workers' files: one series per attribute set, the OpenTelemetry scope as labels.
  const series = await query('http_server_request_duration_seconds_count{http_response_status_code="200"}');
  t.is(series.length, 1);
  t.like(series[0]!.metric, { otel_scope_name: '@opentelemetry/instrumentation-http', http_request_method: 'GET', job: 'mmash' });
  t.is(series[0]!.metric['pid'], undefined);
  const p99 = Number((await query('histogram_quantile(0.99, sum by (le) (http_server_request_duration_seconds_bucket))'))[0]!.value[1]);
  t.true(p99 > 0 && p99 < 16, String(p99));
  // The resource, the same in both workers, merged by last.
  t.is((await query('target_info{service_name="cluster-test"}')).length, 1);
  // Per worker on request: a series each, adding up to the merged one.
  const perWorker = await (await fetch(`http://127.0.0.1:${mmash.port}/metrics?series=worker`)).text();
  const okCounts = [...perWorker.matchAll(/^http_server_request_duration_seconds_count\{[^}]*http_response_status_code="200"[^}]*\} (\d+)$/gm)].map((m) => Number(m[1]));
  t.is(okCounts.length, 2);
  t.is(okCounts[0]! + okCounts[1]!, (total * 3) / 4);
});
