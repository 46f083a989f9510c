#!/usr/bin/env node
// The example service (examples/service, 2 cluster workers) under a loopback load, three ways
// in the same run: no metrics, mmstats (runtime metrics + HTTP instrumentation), prom-client
// (default metrics + an HTTP histogram, counters and gauge; its AggregatorRegistry in the
// primary serving /metrics). The three services run side by side; rounds interleave them
// (none, mmstats, prom-client, then rotated), so drift of the machine hits all three alike.
// While a service is under load it is read once a second, as in production: prom-client's
// /metrics is scraped over HTTP (the primary asks every worker over IPC); mmstats' files are
// read and merged with @mmstats/reader, in this process, never asking the service.
//
// Reports per way the median over rounds of: throughput, p99 latency, and the CPU time the
// service's processes (primary + workers, from /proc) spent per request, each as a ratio to
// no metrics. The load generator (examples/load.mjs, one process, keep-alive connections)
// shares the machine's cores, so throughput ratios understate a difference; CPU per request
// does not. Targets: mmstats within 2 % of no metrics, and ahead of prom-client.
//
//   node bench/service.mjs            # BENCH_ROUNDS=5 BENCH_SECONDS=3 BENCH_CONNECTIONS=16
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { mergeSnapshots, scanStats } from '../packages/reader/dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ways = ['none', 'mmstats', 'prom-client'];
const dir = mkdtempSync(join(tmpdir(), 'mmstats-bench-service-'));
const ticks = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux

async function startService(way) {
  const child = spawn(process.execPath, [join(root, 'examples/service/server.mjs')], {
    env: { ...process.env, SERVICE_METRICS: way, PORT: '0', METRICS_PORT: '0', WORKERS: '2', MMSTATS_PATH: join(dir) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const service = { way, child, pids: [child.pid] };
  await new Promise((resolve, reject) => {
    child.once('exit', () => reject(new Error(`the ${way} service exited`)));
    lines.on('line', (line) => {
      const listening = /listening on (\S+) \(\d+ workers: ([\d ]+);/.exec(line);
      if (listening) {
        service.url = listening[1];
        service.pids.push(...listening[2].split(' ').map(Number));
        if (way !== 'prom-client') resolve();
      }
      const scrape = /prom-client cluster metrics on (\S+)/.exec(line);
      if (scrape) {
        service.metricsUrl = scrape[1];
        resolve();
      }
    });
  });
  return service;
}

function cpuSeconds(pids) {
  let total = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += (Number(fields[11]) + Number(fields[12])) / ticks; // utime, stime
  }
  return total;
}

/** Reads the service's metrics once a second while `work` runs, as a monitoring system would. */
async function whileScraped(service, work) {
  let scrapes = 0;
  const scrape = async () => {
    if (service.way === 'prom-client') {
      const text = await (await fetch(service.metricsUrl)).text();
      if (!text.includes('http_server_requests_total')) throw new Error('prom-client scrape without the request counter');
    } else if (service.way === 'mmstats') {
      const files = readdirSync(dir).filter((name) => name.endsWith('.mmstats')).map((name) => join(dir, name));
      const snapshots = [...scanStats(files)].flatMap((r) => (r.snapshot ? [r.snapshot] : []));
      const merged = mergeSnapshots(snapshots);
      if (!merged.some((f) => f.label === 'http.server.requests')) throw new Error('mmstats read without the request counter');
    }
    scrapes++;
  };
  const timer = setInterval(() => void scrape().catch((error) => console.error(`scrape: ${error.message}`)), 1000);
  try {
    return { ...(await work()), scrapes };
  } finally {
    clearInterval(timer);
  }
}

async function round(service, durationSeconds) {
  return whileScraped(service, async () => {
    const cpu0 = cpuSeconds(service.pids);
    const load = spawn(process.execPath, [join(root, 'examples/load.mjs'), service.url, '--mix', 'bench', '--json', '--duration', String(durationSeconds), '--connections', String(connections)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    load.stdout.on('data', (chunk) => (out += chunk));
    await once(load, 'exit');
    const cpu = cpuSeconds(service.pids) - cpu0;
    const result = JSON.parse(out);
    return { ...result, cpuPerRequest: cpu / result.requests };
  });
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const services = [];
try {
  // One at a time, so their start-up does not overlap.
  for (const way of ways) services.push(await startService(way));
  console.log(`service bench: 3 services x 2 workers; ${rounds} rounds of ${seconds} s per way, ${connections} connections, interleaved; load from examples/load.mjs`);
  for (const service of services) await round(service, 1); // warm-up: JIT, sockets, caches
  const results = Object.fromEntries(ways.map((way) => [way, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < services.length; i++) {
      const service = services[(i + r) % services.length];
      const result = await round(service, seconds);
      results[service.way].push(result);
      if (result.errors > 0) console.log(`  (${service.way}: ${result.errors} failed requests)`);
    }
  }
  const summary = Object.fromEntries(
    ways.map((way) => [way, {
      throughput: median(results[way].map((x) => x.throughput)),
      p99: median(results[way].map((x) => x.latency.p99)),
      cpu: median(results[way].map((x) => x.cpuPerRequest)),
      scrapes: way === 'none' ? '-' : results[way].reduce((n, x) => n + x.scrapes, 0),
    }]),
  );
  const base = summary.none;
  console.log('');
  console.log('way          req/s   vs none   p99 ms   vs none   CPU us/req   vs none   reads');
  for (const way of ways) {
    const s = summary[way];
    console.log(
      `${way.padEnd(11)} ${s.throughput.toFixed(0).padStart(6)}   ${(s.throughput / base.throughput).toFixed(3).padStart(7)}   ${s.p99.toFixed(2).padStart(6)}   ${(s.p99 / base.p99).toFixed(3).padStart(7)}   ${(s.cpu * 1e6).toFixed(1).padStart(10)}   ${(s.cpu / base.cpu).toFixed(3).padStart(7)}   ${String(s.scrapes).padStart(5)}`,
    );
  }
  const mm = summary.mmstats;
  const prom = summary['prom-client'];
  console.log('');
  const change = (mm.throughput / base.throughput - 1) * 100;
  console.log(`mmstats throughput within 2 % of none: ${change >= -2 ? 'yes' : 'NO'} (${change >= 0 ? '+' : ''}${change.toFixed(1)} %)`);
  console.log(`mmstats ahead of prom-client: throughput ${mm.throughput > prom.throughput ? 'yes' : 'NO'} (x${(mm.throughput / prom.throughput).toFixed(3)}), CPU/request ${mm.cpu < prom.cpu ? 'yes' : 'NO'} (x${(mm.cpu / prom.cpu).toFixed(3)}), p99 ${mm.p99 < prom.p99 ? 'yes' : 'NO'} (x${(mm.p99 / prom.p99).toFixed(3)})`);
} finally {
  await Promise.all(
    services.map(async ({ child }) => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
  rmSync(dir, { recursive: true, force: true });
}
