// The churn scenario of issue 13, for the test suite (shortened) and bench/churn.mjs (the full
// run): a 4-worker node:cluster service under a loopback load generator that counts every
// response it receives, one worker SIGKILLed every few seconds (the primary restarts it),
// `mmstats clean` run every 2 s as a cron job would, mmash serving /metrics (merged per
// service, its default) and a real Prometheus scraping it every second. The same service on
// prom-client's cluster aggregator, in the same run, scraped by the same Prometheus.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMmash } from './server.js';
import { freePort, startPrometheus } from './prometheus-server.test.util.js';

/** The `mmstats` command, built. */
const MMSTATS = fileURLToPath(new URL('../../cli/dist/mmstats.bundle.js', import.meta.url));
const SERVICE = fileURLToPath(new URL('./churn-service.test.child.js', import.meta.url));

/** How to run the scenario. */
export interface ChurnOptions {
  /** Where everything goes (stats files, Prometheus' data). */
  readonly dir: string;
  /** How long workers are killed and load runs, in ms. */
  readonly durationMs: number;
  /** A worker is SIGKILLed this often, in ms. Default 3000. */
  readonly killEveryMs?: number;
  /** Concurrent request loops per service. Default 4. */
  readonly concurrency?: number;
}

/** What one service's side of the run gave. */
export interface ChurnSide {
  /** Responses the load generator received (status 200). */
  readonly received: number;
  /** Requests that failed (a worker killed with them in flight). */
  readonly failed: number;
  /** Workers killed. */
  readonly kills: number;
  /** The counter's value in Prometheus at the end (summed over its series). */
  readonly final: number;
  /** `resets()` of the counter over the run, summed over its series. */
  readonly resets: number;
  /** How many series the counter had over the run (`count(count_over_time(...))`). */
  readonly series: number;
  /** The counter's largest drop between two scrapes over the run (0 when it never went back). */
  readonly largestDrop: number;
}

/** The whole run. */
export interface ChurnReport {
  readonly seconds: number;
  readonly mmstats: ChurnSide & {
    /** Most files in the stats directory at any sample (one a second). */
    readonly maxFiles: number;
    /** Files left at the end. */
    readonly filesAtEnd: number;
  };
  readonly promClient: ChurnSide;
}

interface Service {
  readonly child: ChildProcess;
  readonly port: number;
  send(message: object): void;
  next(): Promise<Record<string, unknown>>;
}

async function startService(mode: 'mmstats' | 'prom-client', dir: string, metricsPort: number, killEveryMs: number): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVICE, mode, dir, String(port), String(metricsPort), String(killEveryMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = async (): Promise<Record<string, unknown>> => ((await once(child, 'message')) as [Record<string, unknown>])[0];
  const ready = await next();
  if (ready['ready'] !== true) throw new Error(`${mode} service did not start`);
  return { child, port, send: (message) => child.send(message), next };
}

/** Loops of requests to `port` until `until()` says stop; counts what comes back. */
async function load(port: number, concurrency: number, until: () => boolean): Promise<{ received: number; failed: number }> {
  let received = 0;
  let failed = 0;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        res.resume();
        res.once('end', () => {
          if (res.statusCode === 200) received++;
          else failed++;
          resolve();
        });
        res.once('error', () => (failed++, resolve()));
      });
      req.once('error', () => (failed++, resolve()));
      // A request a killed worker had accepted may never be answered nor refused.
      req.setTimeout(2000, () => req.destroy(new Error('timed out')));
      req.end();
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!until()) await one();
    }),
  );
  return { received, failed };
}

/** The stats files (`*.mmstats`, not hidden: what readers read) in `dir`. */
function statsFiles(dir: string): number {
  return readdirSync(dir).filter((name) => name.endsWith('.mmstats') && !name.startsWith('.')).length;
}

/** Runs the scenario; everything it started is stopped before it returns. */
export async function runChurn(options: ChurnOptions): Promise<ChurnReport> {
  const killEveryMs = options.killEveryMs ?? 3000;
  const concurrency = options.concurrency ?? 4;
  const stats = join(options.dir, 'stats');
  mkdirSync(stats, { recursive: true });
  const promClientMetrics = await freePort();
  const ours = await startService('mmstats', stats, 0, killEveryMs);
  const theirs = await startService('prom-client', stats, promClientMetrics, killEveryMs);
  const mmash = await startMmash({ targets: [stats], port: 0 });
  const prometheus = await startPrometheus(options.dir, [
    { name: 'mmash', targets: [`127.0.0.1:${mmash.port}`] },
    { name: 'promclient', targets: [`127.0.0.1:${promClientMetrics}`] },
  ]);
  let cleaner: NodeJS.Timeout | undefined;
  let counter: NodeJS.Timeout | undefined;
  try {
    let stop = false;
    let cleaning = Promise.resolve();
    let maxFiles = 0;
    cleaner = setInterval(() => {
      cleaning = cleaning.then(() => once(spawn(process.execPath, [MMSTATS, 'clean', stats], { stdio: 'ignore' }), 'exit').then(() => undefined));
    }, 2000);
    counter = setInterval(() => (maxFiles = Math.max(maxFiles, statsFiles(stats))), 1000);
    const started = Date.now() / 1000;
    ours.send({ kill: true });
    theirs.send({ kill: true });
    const stopLoad = setTimeout(() => (stop = true), options.durationMs);
    const [ourLoad, theirLoad] = await Promise.all([load(ours.port, concurrency, () => stop), load(theirs.port, concurrency, () => stop)]);
    clearTimeout(stopLoad);
    const kills = await Promise.all([ours, theirs].map(async (service) => {
      service.send({ kill: false });
      return Number((await service.next())['kills']);
    }));
    clearInterval(cleaner);
    clearInterval(counter);
    await cleaning;
    spawnSync(process.execPath, [MMSTATS, 'clean', stats], { stdio: 'ignore' });
    // Three more scrapes of the settled values.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const ended = Date.now() / 1000;
    const range = `${Math.ceil(ended - started) + 5}s`;
    const side = async (job: string, name: string, load: { received: number; failed: number }, killed: number): Promise<ChurnSide> => {
      const selector = `${name}{job="${job}"}`;
      const sum = async (expr: string): Promise<number> => (await prometheus.query(expr, ended)).reduce((n, s) => n + Number(s.value[1]), 0);
      return {
        ...load,
        kills: killed,
        final: await sum(`sum(${selector})`),
        resets: await sum(`sum(resets(${selector}[${range}]))`),
        series: await sum(`count(count_over_time(${selector}[${range}]))`),
        largestDrop: await sum(`max_over_time((clamp_min(sum(${selector} offset 1s) - sum(${selector}), 0))[${range}:1s])`),
      };
    };
    return {
      seconds: ended - started,
      mmstats: { ...(await side('mmash', 'http_requests_total', ourLoad, kills[0]!)), maxFiles, filesAtEnd: statsFiles(stats) },
      promClient: await side('promclient', 'http_requests_total', theirLoad, kills[1]!),
    };
  } finally {
    clearInterval(cleaner);
    clearInterval(counter);
    await prometheus.stop();
    await mmash.close();
    for (const service of [ours, theirs]) {
      if (service.child.exitCode !== null || service.child.signalCode !== null) continue;
      const exited = once(service.child, 'exit');
      if (service.child.connected) service.send({ stop: true });
      else service.child.kill('SIGKILL');
      await exited;
    }
  }
}
