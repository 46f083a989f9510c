// A real Prometheus server (Debian's `prometheus`) on loopback scrapes mmash, and a writer's
// value comes back through Prometheus's query API.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PROMETHEUS, getJson, startTestMmash, startWriter, tempDir, testWithTool, waitFor } from './test-support.test.util.js';

/** A free loopback port (bound, read, released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface QueryResult {
  status: string;
  data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

testWithTool(PROMETHEUS)('Prometheus scrapes mmash and returns a live writer value', async (t) => {
  const { dir, cleanup } = tempDir();
  const statsDir = join(dir, 'stats');
  mkdirSync(statsDir);
  const writer = await startWriter(statsDir, 'scraped');
  const mmash = await startTestMmash({ targets: [join(statsDir, '*.mmstats')] });
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      '  - job_name: mmash',
      `    static_configs: [{ targets: ['127.0.0.1:${mmash.port}'] }]`,
      '',
    ].join('\n'),
  );
  let log = '';
  const prometheus: ChildProcess = spawn(
    PROMETHEUS.path,
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prometheus.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  prometheus.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => prometheus.once('exit', () => resolve()));
  t.teardown(async () => {
    prometheus.kill('SIGTERM');
    const force = setTimeout(() => prometheus.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(force);
    await mmash.close();
    await writer.stop();
    cleanup();
  });

  const api = `http://127.0.0.1:${port}/`;
  await waitFor(`Prometheus to be ready\n${log}`, async () => ((await fetch(new URL('/-/ready', api))).ok ? true : undefined), 45_000, 250);
  const query = async (expr: string): Promise<QueryResult['data']['result']> => {
    const { body } = await getJson(api, `/api/v1/query?query=${encodeURIComponent(expr)}`);
    return (body as QueryResult).data.result;
  };

  await writer.step(42);
  const first = await waitFor('app_ticks = 42 in Prometheus', async () => {
    const result = await query('app_ticks');
    return result.length === 1 && result[0]!.value[1] === '42' ? result[0] : undefined;
  }, 45_000, 250);
  t.like(first.metric, { __name__: 'app_ticks', job: 'mmash', pid: String(writer.pid), file: writer.path });

  // The next scrapes follow the writer.
  await writer.step(58);
  await waitFor('app_ticks = 100 in Prometheus', async () => {
    const result = await query('app_ticks');
    return result[0]?.value[1] === '100' ? true : undefined;
  }, 45_000, 250);

  // Strings arrive as info series; the scrape itself is healthy (OpenMetrics, by negotiation).
  const info = await waitFor('app_state_info', async () => ((await query('app_state_info')).length === 1 ? await query('app_state_info') : undefined));
  t.is(info[0]!.metric['value'], 'running');
  const targets = (await getJson(api, '/api/v1/targets')).body as { data: { activeTargets: Array<{ health: string; lastError: string }> } };
  t.is(targets.data.activeTargets[0]!.health, 'up');
  t.is(targets.data.activeTargets[0]!.lastError, '');
});
