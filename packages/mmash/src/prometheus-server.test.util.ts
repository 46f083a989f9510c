// A real Prometheus server (Debian's `prometheus`) on loopback for the tests and benchmarks
// that scrape mmash (and peers) with it: started on a free port with scrape jobs of 1 s, its
// query API, and a stop that waits for it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PROMETHEUS, waitFor } from './test-tools.test.util.js';

/** A free loopback port (bound, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** One scrape job: a name, the targets it scrapes (`host:port`), and query parameters for /metrics (`{ series: ['file'] }`). */
export interface ScrapeJob {
  readonly name: string;
  readonly targets: readonly string[];
  readonly params?: Readonly<Record<string, readonly string[]>>;
}

/** One series of a Prometheus instant query. */
export interface QuerySample {
  /** The series' labels, `__name__` included. */
  readonly metric: Record<string, string>;
  /** The time and the value, as Prometheus's API gives them. */
  readonly value: [number, string];
}

/** A running Prometheus. */
export interface RunningPrometheus {
  /** Its HTTP API's base URL. */
  readonly api: string;
  /** An instant query (`/api/v1/query`), at `time` (Unix seconds) or now. */
  query(expr: string, time?: number): Promise<QuerySample[]>;
  /** Everything it logged. */
  log(): string;
  /** Stops it (SIGTERM, SIGKILL after 15 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts Prometheus with `jobs` scraped every second, its data in `dir`; resolves once it is ready. */
export async function startPrometheus(dir: string, jobs: readonly ScrapeJob[], extraArgs: readonly string[] = []): Promise<RunningPrometheus> {
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  const lines = ['global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', 'scrape_configs:'];
  for (const job of jobs) {
    lines.push(`  - job_name: ${job.name}`);
    if (job.params !== undefined) lines.push(`    params: ${JSON.stringify(job.params)}`);
    lines.push(`    static_configs: [{ targets: ${JSON.stringify(job.targets)} }]`);
  }
  writeFileSync(config, `${lines.join('\n')}\n`);
  let log = '';
  const prometheus = spawn(PROMETHEUS.path, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  prometheus.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  prometheus.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = once(prometheus, 'exit');
  const api = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (prometheus.exitCode !== null || prometheus.signalCode !== null) return;
    prometheus.kill('SIGTERM');
    const force = setTimeout(() => prometheus.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(force);
  };
  try {
    await waitFor(`Prometheus to be ready\n${log}`, async () => ((await fetch(`${api}/-/ready`).catch(() => undefined))?.ok ? true : undefined), 45_000, 250);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    api: `${api}/`,
    async query(expr, time) {
      const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expr)}${time === undefined ? '' : `&time=${time}`}`);
      const body = (await response.json()) as { status: string; error?: string; data?: { result: QuerySample[] } };
      if (body.status !== 'success') throw new Error(`query ${expr}: ${body.error ?? response.status}`);
      return body.data!.result;
    },
    log: () => log,
    stop,
  };
}
