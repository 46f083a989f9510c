#!/usr/bin/env node
// /metrics at scale: mmash serving FILES stats files of COUNTERS counters each, beside
// prom-client serving the same series (one counter per name, one label value per file) and,
// at the smallest size, Python prometheus_client's multiprocess collector over one .db file per
// process, and mmash again asked for the protobuf format as Prometheus with native histograms
// asks (`mmash, protobuf`, the same process). Each server is its own process; the requests are sequential, on 127.0.0.1, in
// interleaved rounds (these machines are noisy: only the ratios of one run mean anything).
// Printed per size: the median scrape time, the body size, the series count (checked equal on
// every side), and each server's resident memory after the scrapes and at its peak
// (/proc/PID/status VmRSS, VmHWM).
//
//   pnpm bench metrics   (or: node bench/metrics.mjs [sizes] [scrapes])
//   sizes: FILESxCOUNTERS,... default 100x100,1000x100,1000x1000 (10k, 100k, 1M series)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3'; // Debian's, where python3-prometheus-client installs

async function main() {
  const sizes = (process.argv[2] ?? '100x100,1000x100,1000x1000').split(',').map((s) => s.split('x').map(Number));
  const scrapes = Number(process.argv[3] ?? 9);
  console.log(`metrics: /metrics scrapes, median of ${scrapes} interleaved rounds per size, node ${process.version}`);
  console.log(`${'series'.padStart(9)}  ${'server'.padEnd(34)} ${'scrape ms'.padStart(10)} ${'ratio'.padStart(7)} ${'body MB'.padStart(8)} ${'RSS MiB'.padStart(8)} ${'peak MiB'.padStart(9)}`);
  for (const [files, counters] of sizes) await measureSize(files, counters, scrapes);
}

async function measureSize(files, counters, scrapes) {
  const dir = mkdtempSync(join(tmpdir(), 'mmstats-bench-metrics-'));
  const servers = [];
  try {
    const writing = await writeStatsFiles(dir, files, counters);
    servers.push({ name: 'mmash', ...(await startMmash(dir)) });
    servers.push({ name: 'prom-client', ...(await startChild(process.execPath, [fileURLToPath(import.meta.url), '--prom', String(files), String(counters)])) });
    // The same mmash asked as Prometheus asks with native histograms on: the protobuf answer.
    servers.push({ ...servers[0], name: 'mmash, protobuf', accept: PROTOBUF_ACCEPT });
    if (files * counters <= 10_000 && (await pythonHasPrometheusClient())) {
      const pyDir = join(dir, 'prometheus_client');
      servers.push({ name: 'Python prometheus_client multiprocess', ...(await startChild(PYTHON, ['-c', PYTHON_SERVER, pyDir, String(files), String(counters)])) });
    }
    const series = [];
    for (const server of servers) series.push(countSeries(await scrape(server)));
    if (new Set(series.map((s) => s.count)).size !== 1) throw new Error(`series differ: ${servers.map((s, i) => `${s.name} ${series[i].count}`).join(', ')}`);
    const times = servers.map(() => []);
    for (let round = 0; round < scrapes; round++) {
      for (const [i, server] of servers.entries()) {
        const start = performance.now();
        await scrape(server);
        times[i].push(performance.now() - start);
      }
    }
    const base = median(times[1]);
    for (const [i, server] of servers.entries()) {
      const ms = median(times[i]);
      const memory = residentMemory(server.child.pid);
      console.log(
        `${(i === 0 ? String(series[0].count) : '').padStart(9)}  ${server.name.padEnd(34)} ${ms.toFixed(1).padStart(10)} ${`${(ms / base).toFixed(2)}x`.padStart(7)} ${(series[i].bytes / 1e6).toFixed(1).padStart(8)} ${memory.rss.toFixed(0).padStart(8)} ${memory.peak.toFixed(0).padStart(9)}`,
      );
    }
    writing.close();
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
    await Promise.all(servers.map(({ child }) => (child.exitCode !== null ? undefined : new Promise((done) => child.once('exit', done)))));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** FILES v2 files of COUNTERS counters (no system fields), each counter at a distinct value; open until `close()`. */
async function writeStatsFiles(dir, files, counters) {
  const { counter, defineModel } = await import('../packages/writer/dist/index.js');
  const defs = {};
  for (let c = 0; c < counters; c++) defs[`c${c}`] = counter({ label: `bench.c${String(c).padStart(4, '0')}` });
  const Model = defineModel(defs, { system: false });
  const opened = [];
  for (let f = 0; f < files; f++) {
    const stats = Model.open({ path: dir, filename: `w${String(f).padStart(4, '0')}.mmstats` });
    for (let c = 0; c < counters; c++) stats[`c${c}`].incr(f + c);
    opened.push(stats);
  }
  return { close: () => opened.forEach((stats) => stats.remove()) };
}

/** prom-client's registry with the same series as the stats files: one counter per name, one `file` label value per file. */
async function servePromClient(files, counters) {
  const { default: client } = await import('prom-client');
  const registry = new client.Registry();
  for (let c = 0; c < counters; c++) {
    const metric = new client.Counter({ name: `bench_c${String(c).padStart(4, '0')}_total`, help: 'bench', labelNames: ['file'], registers: [registry] });
    for (let f = 0; f < files; f++) metric.inc({ file: `w${String(f).padStart(4, '0')}.mmstats` }, f + c);
  }
  const server = createServer(async (_req, res) => {
    const body = await registry.metrics();
    res.writeHead(200, { 'Content-Type': registry.contentType });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${server.address().port}/metrics\n`));
}

// Python prometheus_client in multiprocess mode, as a gunicorn app uses it: each worker (here
// FILES pretend processes) writes its own counter_<pid>.db; the /metrics handler merges them all
// with MultiProcessCollector at every scrape.
const PYTHON_SERVER = `
import os, sys, http.server
d, files, counters = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(d, exist_ok=True)
os.environ['PROMETHEUS_MULTIPROC_DIR'] = d
from prometheus_client import CollectorRegistry, Counter, generate_latest, values
from prometheus_client.multiprocess import MultiProcessCollector
for f in range(files):
    values.ValueClass = values.MultiProcessValue(process_identifier=lambda f=f: 100000 + f)
    registry = CollectorRegistry()
    for c in range(counters):
        Counter('bench_c%04d' % c, 'bench', ['file'], registry=registry).labels(file='w%04d.mmstats' % f).inc(f + c)
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        body = generate_latest(registry)
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain; version=0.0.4')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
print('http://127.0.0.1:%d/metrics' % server.server_address[1], flush=True)
server.serve_forever()
`;

function pythonHasPrometheusClient() {
  return new Promise((done) => {
    const child = spawn(PYTHON, ['-c', 'import prometheus_client'], { stdio: 'ignore' });
    child.on('error', () => done(false));
    child.on('exit', (code) => done(code === 0));
  });
}

async function startMmash(dir) {
  const child = spawn(process.execPath, [join(root, 'packages/mmash/dist/bin.js'), '--port', '0', '--glob', join(dir, '*.mmstats')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await firstMatch(child.stderr, /(http:\/\/\S+)/);
  return { child, url: new URL('metrics?series=file', url.endsWith('/') ? url : `${url}/`).href };
}

async function startChild(command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return { child, url: await firstMatch(child.stdout, /(http:\/\/\S+)/) };
}

function firstMatch(stream, pattern) {
  return new Promise((done, fail) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      text += chunk;
      const match = pattern.exec(text);
      if (match) done(match[1]);
    });
    stream.on('end', () => fail(new Error(`no URL in: ${text}`)));
  });
}

/** What Prometheus 2.42 sends with --enable-feature=native-histograms. */
const PROTOBUF_ACCEPT =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** The body of one scrape of `server` (with its `accept` header, if any): text, or bytes when protobuf. */
async function scrape({ url, accept }) {
  const response = await fetch(url, { headers: accept === undefined ? {} : { accept } });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.headers.get('content-type').startsWith('application/vnd.google.protobuf') ? Buffer.from(await response.arrayBuffer()) : response.text();
}

/** The benchmark's samples (mmash adds its own `mmstats_files_read`), and the body's bytes. */
function countSeries(body) {
  if (Buffer.isBuffer(body)) return { count: countProtobufSeries(body), bytes: body.length };
  let count = 0;
  for (const line of body.split('\n')) if (line.startsWith('bench_')) count++;
  return { count, bytes: Buffer.byteLength(body) };
}

/** The `Metric`s (field 4) of the `MetricFamily` messages named `bench_…` (field 1) in a varint-delimited stream. */
function countProtobufSeries(bytes) {
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) return value;
    }
  };
  let count = 0;
  while (at < bytes.length) {
    const end = varint() + at;
    let name = '';
    let metrics = 0;
    while (at < end) {
      const tag = varint();
      const wire = tag % 8;
      if (wire === 0) varint();
      else if (wire === 1) at += 8;
      else if (wire === 5) at += 4;
      else {
        const length = varint();
        if (tag >>> 3 === 1) name = bytes.toString('utf8', at, at + length);
        if (tag >>> 3 === 4) metrics++;
        at += length;
      }
    }
    if (name.startsWith('bench_')) count += metrics;
  }
  return count;
}

function residentMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

function median(xs) {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

if (process.argv[2] === '--prom') await servePromClient(Number(process.argv[3]), Number(process.argv[4]));
else await main();
