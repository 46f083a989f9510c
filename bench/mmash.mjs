#!/usr/bin/env node
// mmash benchmark, two parts, all measured in this run (these machines are noisy, so only the
// ratios between cases of the same run mean anything):
//
// 1. Latency of mmash's /metrics, /stats/, /stats/?detail=1, /stats/<label>?aggr=sum and
//    /merged/<label> over 100 files x 100 counters (10,000 series), sequential requests on
//    127.0.0.1.
// 2. The point of it all: the event-loop delay (perf_hooks.monitorEventLoopDelay) of the
//    application that writes those stats, in three cases run in interleaved rounds:
//      - the app alone;
//      - the app while a separate mmash process is hammered on /metrics;
//      - the same app exposing the same 10,000 series through prom-client's /metrics,
//        hammered by the same load.
//    The app is one child process that owns all 100 stats files (100 counters each, no system
//    fields: the pid is in the v2 header) and increments them every millisecond; its
//    prom-client twin has 100 counters x 100 label values and the same work loop. Both expose
//    the same 10,000 counter series (`bench_fNNN_total{..., file=...}`).
//
// Files are format v2 (the writer's default); pass format 1 as the fourth argument for
// Python's format (then mmash exposes the counters as gauges `bench_fNNN`, as v1 has no kinds).
//
//   pnpm bench mmash    (or: node bench/mmash.mjs [seconds-per-case] [rounds] [concurrency] [format])
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const FILES = 100;
const FIELDS = 100; // per file: all counters (the model without system fields)
const COUNTERS = FIELDS;

if (process.argv[2] === '--app') await runApp(process.argv[3], process.argv[4], Number(process.argv[5] ?? 2));
else await main();

// ---------------------------------------------------------------------------------------------
// The writing application (child process).

async function runApp(mode, dir, format) {
  const work = mode === 'mmstats' ? await mmstatsApp(dir, format) : await promApp();
  // The app's own work: a thousand counter updates every millisecond, spread over the series.
  let next = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < 1000; i++) work.incr((next = (next + 7919) % (FILES * COUNTERS)));
  }, 1);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let cpuAtStart;
  process.on('message', (message) => {
    if (message === 'start') {
      delay.reset();
      delay.enable();
      cpuAtStart = process.cpuUsage();
      process.send({ started: true });
    } else if (message === 'stop') {
      delay.disable();
      const cpu = process.cpuUsage(cpuAtStart);
      process.send({
        p50: delay.percentile(50) / 1e6,
        p99: delay.percentile(99) / 1e6,
        max: delay.max / 1e6,
        cpuMs: (cpu.user + cpu.system) / 1000,
      });
    } else if (message === 'exit') {
      clearInterval(timer);
      work.close();
      process.disconnect();
    }
  });
  process.send({ ready: true, port: work.port });
}

async function mmstatsApp(dir, format) {
  const { counter, defineModel } = await import('../packages/writer/dist/index.js');
  const defs = {};
  for (let f = 0; f < COUNTERS; f++) defs[`f${String(f).padStart(3, '0')}`] = counter({ label: `f${String(f).padStart(3, '0')}` });
  // No system fields: exactly the counters, as many series as the prom-client twin.
  const Model = defineModel(defs, { system: false, format });
  const names = Object.keys(defs);
  const files = [];
  for (let i = 0; i < FILES; i++) {
    files.push(Model.open({ path: dir, filename: `app-${String(i).padStart(3, '0')}.mmstats`, labelPrefix: 'bench.' }));
  }
  const handles = files.flatMap((stats) => names.map((name) => stats[name]));
  return {
    port: 0,
    incr: (i) => handles[i].incr(),
    close: () => files.forEach((stats) => stats.remove()),
  };
}

async function promApp() {
  const { default: client } = await import('prom-client');
  const registry = new client.Registry();
  const counters = [];
  for (let f = 0; f < COUNTERS; f++) {
    counters.push(new client.Counter({ name: `bench_f${String(f).padStart(3, '0')}_total`, help: 'bench', labelNames: ['file'], registers: [registry] }));
  }
  // Same series as the mmstats app: one per file and field.
  const files = Array.from({ length: FILES }, (_, i) => `app-${String(i).padStart(3, '0')}`);
  for (const c of counters) for (const file of files) c.inc({ file }, 0);
  const server = createServer(async (req, res) => {
    const body = await registry.metrics();
    res.writeHead(200, { 'Content-Type': registry.contentType });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    incr: (i) => counters[i % COUNTERS].inc({ file: files[Math.floor(i / COUNTERS)] }),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The benchmark driver.

async function main() {
  const seconds = Number(process.argv[2] ?? 3);
  const rounds = Number(process.argv[3] ?? 3);
  const concurrency = Number(process.argv[4] ?? 4);
  const format = Number(process.argv[5] ?? 2);
  if (format !== 1 && format !== 2) throw new Error(`format must be 1 or 2, not ${process.argv[5]}`);
  const dir = mkdtempSync(join(tmpdir(), 'mmash-bench-'));
  const self = fileURLToPath(import.meta.url);
  const children = [];
  try {
    const app = await startApp(self, 'mmstats', dir, children, format);
    const promApp = await startApp(self, 'prom', dir, children, format);
    const mmash = await startMmashProcess(dir, children);
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const promUrl = `http://127.0.0.1:${promApp.port}/metrics`;

    console.log(`mmash bench: ${FILES} files x ${FIELDS} counters (${FILES * FIELDS} series each side), format v${format}, ${availableParallelism()} CPUs, Node ${process.version}`);
    // Fair only with the same series on both sides: count the samples of each exposition.
    const samples = async (url) => (await (await fetch(url)).text()).split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
    console.log(`series exposed: mmash ${await samples(`${mmash.url}metrics?series=file`)}, prom-client app ${await samples(promUrl)}`);
    console.log('\nlatency, sequential requests on 127.0.0.1 (200 requests after 20 warm-up)');
    console.log(`  ${'request'.padEnd(44)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'body KB'.padStart(8)}`);
    for (const [name, url] of [
      ['mmash /metrics', `${mmash.url}metrics?series=file`],
      ['mmash /metrics (OpenMetrics)', `${mmash.url}metrics?series=file`, { Accept: 'application/openmetrics-text; version=1.0.0' }],
      ['mmash /stats/', `${mmash.url}stats/`],
      ['mmash /stats/?detail=1', `${mmash.url}stats/?detail=1`],
      ['mmash /stats/bench.f000?aggr=sum', `${mmash.url}stats/bench.f000?aggr=sum`],
      ['mmash /merged/bench.f000', `${mmash.url}merged/bench.f000`],
      ['prom-client app /metrics (same series)', promUrl],
    ].map(([n, u, h]) => [n, { url: u, headers: h ?? {} }])) {
      const r = await latency(agent, url, 20, 200);
      console.log(`  ${name.padEnd(44)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${(r.bytes / 1024).toFixed(0).padStart(8)}`);
    }

    const cases = [
      ['app alone (no scraping)', null],
      ['app + mmash /metrics hammered', { url: `${mmash.url}metrics?series=file`, headers: {} }],
      ['app serving prom-client /metrics, hammered', { url: promUrl, headers: {} }],
    ];
    const results = cases.map(() => []);
    for (let round = 0; round < rounds; round++) {
      for (const [i, [, target]] of cases.entries()) {
        // The prom-client case measures its own app; the others the mmstats app.
        const measured = target?.url === promUrl ? promApp : app;
        await ask(measured.child, 'start');
        const load = target ? await hammer(agent, target, seconds * 1000, concurrency) : await sleep(seconds * 1000).then(() => ({ count: 0, ms: seconds * 1000 }));
        const delay = await ask(measured.child, 'stop');
        results[i].push({ ...delay, cpuPct: (100 * delay.cpuMs) / load.ms, rps: (1000 * load.count) / load.ms });
      }
    }
    // The prom-client app alone too, so that its own baseline is known (it does more work per update).
    const promAlone = [];
    for (let round = 0; round < rounds; round++) {
      await ask(promApp.child, 'start');
      await sleep(seconds * 1000);
      const delay = await ask(promApp.child, 'stop');
      promAlone.push({ ...delay, cpuPct: (100 * delay.cpuMs) / (seconds * 1000), rps: 0 });
    }
    cases.push(['prom-client app alone (no scraping)', null]);
    results.push(promAlone);

    console.log(`\nevent-loop delay of the writing app: ${rounds} rounds x ${seconds} s per case, interleaved, medians; load = ${concurrency} concurrent keep-alive clients`);
    console.log(`  ${'case'.padEnd(44)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)} ${'app CPU'.padStart(8)} ${'scrapes/s'.padStart(9)} ${'p99 / alone'.padStart(11)}`);
    const base = median(results[0].map((r) => r.p99));
    for (const [i, [name]] of cases.entries()) {
      const m = (key) => median(results[i].map((r) => r[key]));
      console.log(
        `  ${name.padEnd(44)} ${m('p50').toFixed(2).padStart(7)} ${m('p99').toFixed(2).padStart(7)} ${m('max').toFixed(1).padStart(7)} ${`${m('cpuPct').toFixed(0)}%`.padStart(8)} ${m('rps').toFixed(0).padStart(9)} ${`${(m('p99') / base).toFixed(2)}x`.padStart(11)}`,
      );
    }
    agent.destroy();
  } finally {
    for (const child of children) {
      if (child.connected) child.send('exit');
      else child.kill('SIGTERM');
    }
    await Promise.all(children.map((child) => (child.exitCode !== null ? undefined : new Promise((resolve) => child.once('exit', resolve)))));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startApp(self, mode, dir, children, format) {
  const child = fork(self, ['--app', mode, dir, String(format)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${mode} app exited (${code})`)));
  });
  return { child, port: ready.port };
}

async function startMmashProcess(dir, children) {
  const bin = fileURLToPath(new URL('../packages/mmash/dist/bin.js', import.meta.url));
  const child = spawn(process.execPath, [bin, '--glob', join(dir, '*.mmstats'), '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  const url = await new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const found = /on (http:\/\/\S+)/.exec(stderr);
      if (found) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`mmash exited (${code}): ${stderr}`)));
  });
  return { child, url };
}

function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

function get(agent, { url, headers }) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => (bytes += chunk.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`${url}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function latency(agent, target, warmup, count) {
  for (let i = 0; i < warmup; i++) await get(agent, target);
  const times = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    bytes = await get(agent, target);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(count * 0.5)], p99: times[Math.floor(count * 0.99)], bytes };
}

/** `concurrency` clients requesting `target` back to back until `ms` have passed (bounded). */
async function hammer(agent, target, ms, concurrency) {
  const start = performance.now();
  const deadline = start + ms;
  let count = 0;
  const client = async () => {
    // Bounded twice: by the deadline, and by a request cap in case responses are instant.
    for (let i = 0; i < 1_000_000 && performance.now() < deadline; i++) {
      await get(agent, target);
      count++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { count, ms: performance.now() - start };
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
