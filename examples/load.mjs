#!/usr/bin/env node
// A bounded loopback load generator for the example service: `connections` keep-alive
// connections, each sending the next request of a mix as soon as the last one is answered
// (or at most `rate` requests per second in all), for `duration` seconds. Prints what it did:
// requests, statuses, throughput and latency percentiles (exact, from every latency).
//
//   node examples/load.mjs http://127.0.0.1:3000 --duration 10 --connections 8 [--rate 200] [--mix demo|bench] [--json]
//
// Refuses anything but a loopback address: it is for demos and benchmarks on this machine.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Request mixes: `demo` visits every route (slow ones too), `bench` the quick ones the CPU limits. */
export const MIXES = {
  demo: [['GET', '/'], ['GET', '/api/items'], ['GET', '/api/items'], ['GET', '/api/slow'], ['GET', '/api/flaky'], ['POST', '/api/echo'], ['GET', '/nope']],
  bench: [['GET', '/'], ['GET', '/api/items'], ['GET', '/'], ['GET', '/api/flaky'], ['POST', '/api/echo'], ['GET', '/nope']],
};

/**
 * Runs the load. `signal` stops it early.
 *
 * @returns `{ requests, errors, seconds, throughput, statuses, latency: { p50, p90, p99, max } }`, latencies in ms
 */
export async function runLoad({ url, mix = MIXES.demo, connections = 8, durationMs = 10_000, rate = 0, signal } = {}) {
  const target = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error(`load.mjs only targets loopback addresses, not ${target.hostname}`);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  const statuses = {};
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const until = started + durationMs;
  const gap = rate > 0 ? (1000 * connections) / rate : 0; // each connection's own pace
  const body = JSON.stringify({ hello: 'mmstats' });

  const one = (method, path) =>
    new Promise((resolve) => {
      const req = request({ host: target.hostname.replace(/^\[|\]$/g, ''), port: target.port, path, method, agent }, (res) => {
        res.on('data', () => {}).on('end', () => resolve(res.statusCode)).on('error', () => resolve(0));
      });
      req.on('error', () => resolve(0));
      req.end(method === 'POST' ? body : undefined);
    });

  const loop = async () => {
    while (performance.now() < until && !signal?.aborted) {
      const [method, path] = mix[next++ % mix.length];
      const t0 = performance.now();
      const status = await one(method, path);
      const t1 = performance.now();
      if (status === 0) errors++;
      else {
        latencies.push(t1 - t0);
        const key = `${Math.floor(status / 100)}xx`;
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
      if (gap > 0) {
        const wait = t0 + gap - performance.now();
        if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => {});
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const at = (q) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
  return {
    requests: latencies.length,
    errors,
    seconds,
    throughput: latencies.length / seconds,
    statuses,
    latency: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.length === 0 ? NaN : sorted[sorted.length - 1] },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '8' },
      rate: { type: 'string', default: '0' },
      mix: { type: 'string', default: 'demo' },
      json: { type: 'boolean', default: false },
    },
  });
  const url = positionals[0] ?? 'http://127.0.0.1:3000';
  const mix = MIXES[values.mix];
  if (mix === undefined) throw new Error(`--mix must be one of ${Object.keys(MIXES).join(', ')}`);
  const result = await runLoad({ url, mix, connections: Number(values.connections), durationMs: Number(values.duration) * 1000, rate: Number(values.rate) });
  if (values.json) console.log(JSON.stringify(result));
  else {
    const l = result.latency;
    console.log(`${result.requests} requests in ${result.seconds.toFixed(1)} s (${result.throughput.toFixed(0)}/s), ${result.errors} errors, ${JSON.stringify(result.statuses)}`);
    console.log(`latency ms: p50 ${l.p50.toFixed(2)}  p90 ${l.p90.toFixed(2)}  p99 ${l.p99.toFixed(2)}  max ${l.max.toFixed(2)}`);
  }
}
