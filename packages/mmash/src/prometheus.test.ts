// A real Prometheus server (Debian's `prometheus`) on loopback scrapes mmash, and the values of
// a v2 writer (a counter, a timer as a classic histogram) and of a v1 writer come back through
// Prometheus's query API, histogram_quantile() included.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROMETHEUS, getJson, startPrometheus, startTestMmash, startWriter, tempDir, testWithTool, waitFor } from './test-support.test.util.js';

testWithTool(PROMETHEUS)('Prometheus scrapes mmash: a v2 counter and histogram and a v1 gauge come back, histogram_quantile works', async (t) => {
  const { dir, cleanup } = tempDir();
  const statsDir = join(dir, 'stats');
  mkdirSync(statsDir);
  const writer = await startWriter(statsDir, 'scraped');
  const v1 = await startWriter(statsDir, 'python', 0, 1);
  const mmash = await startTestMmash({ targets: [join(statsDir, '*.mmstats')] });
  t.teardown(async () => {
    await mmash.close();
    await writer.stop();
    await v1.stop();
    cleanup();
  });
  // One series per file: this test follows one writer's file.
  const prometheus = await startPrometheus(t, dir, [`127.0.0.1:${mmash.port}`], { series: ['file'] });
  const { api, query } = prometheus;

  await writer.step(42);
  await v1.step(7);
  const first = await waitFor('app_ticks_total = 42 in Prometheus', async () => {
    const result = await query('app_ticks_total');
    return result.length === 1 && result[0]!.value[1] === '42' ? result[0] : undefined;
  }, 45_000, 250);
  t.like(first.metric, { __name__: 'app_ticks_total', job: 'mmash', pid: String(writer.pid), file: writer.path });
  // The v1 file beside it: a gauge (moved aside from the v2 counter's name app_ticks).
  const old = await waitFor('app_ticks_value = 7', async () => {
    const result = await query('app_ticks_value');
    return result[0]?.value[1] === '7' ? result[0] : undefined;
  }, 45_000, 250);
  t.like(old.metric, { pid: String(v1.pid), file: v1.path });

  // The timer, a classic histogram: 0.042 s lies in the bucket (2^-5, 2^-4].
  const bucket = await waitFor('app_latency_seconds_bucket', async () => {
    const result = await query('app_latency_seconds_bucket{le="0.0625"}');
    return result[0]?.value[1] === '1' ? result : undefined;
  }, 45_000, 250);
  t.is(bucket[0]!.metric['file'], writer.path);
  t.is((await query('app_latency_seconds_bucket{le="0.03125"}'))[0]!.value[1], '0');
  t.is((await query('app_latency_seconds_count'))[0]!.value[1], '1');
  const p99 = Number((await query('histogram_quantile(0.99, sum by (le) (app_latency_seconds_bucket))'))[0]!.value[1]);
  t.true(p99 > 0.03125 && p99 <= 0.0625, String(p99));

  // The next scrapes follow the writer; rate() over the buckets gives the quantile of what is new.
  await writer.step(58);
  await waitFor('app_ticks_total = 100 in Prometheus', async () => {
    const result = await query('app_ticks_total');
    return result[0]?.value[1] === '100' ? true : undefined;
  }, 45_000, 250);
  const rated = await waitFor('histogram_quantile over rate()', async () => {
    const result = await query('histogram_quantile(0.99, sum by (le) (rate(app_latency_seconds_bucket[20s])))');
    const v = Number(result[0]?.value[1]);
    return Number.isFinite(v) && v > 0 ? v : undefined;
  }, 45_000, 250);
  t.true(rated > 0.03125 && rated <= 0.0625, String(rated));

  // Strings arrive as info series; the scrape itself is healthy (OpenMetrics, by negotiation).
  const info = await waitFor('app_state_info', async () => {
    const result = await query('app_state_info');
    return result.length === 2 ? result : undefined;
  });
  t.deepEqual(info.map((i) => i.metric['value']), ['running', 'running']);
  const targets = (await getJson(api, '/api/v1/targets')).body as { data: { activeTargets: Array<{ health: string; lastError: string }> } };
  t.is(targets.data.activeTargets[0]!.health, 'up');
  t.is(targets.data.activeTargets[0]!.lastError, '');
});
