#!/usr/bin/env node
// Writer benchmark: ns per update for each hot-path operation of @mmstats/writer, next to a
// plain heap Float64Array `+= 1` and prom-client's Counter.inc() (no labels, one label), all
// measured in this run: rounds are interleaved (every case once per round) and the median
// round is reported, so machine noise hits every case alike. Prints ratios to the heap case.
//
//   pnpm bench writer            (or: node bench/writer.mjs [iterations-per-round] [rounds])
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import client from 'prom-client';
import { counter, defineModel, double, int, string, timer } from '../packages/writer/dist/index.js';

const N = Number(process.argv[2] ?? 5_000_000);
const ROUNDS = Number(process.argv[3] ?? 21);

const dir = mkdtempSync(join(tmpdir(), 'mmstats-bench-'));
const Bench = defineModel({
  hits: counter(),
  gauge: int(),
  ratio: double(),
  state: string({ size: 32 }),
  latency: timer(),
});
const stats = Bench.open({ path: dir, labelPrefix: 'bench.' });
const heap = new Float64Array(1);
const promPlain = new client.Counter({ name: 'bench_plain_total', help: 'no labels', registers: [] });
const promLabelled = new client.Counter({ name: 'bench_labelled_total', help: 'one label', labelNames: ['code'], registers: [] });

// One function per case, so each loop is optimised for its own call site.
const cases = {
  'heap Float64Array += 1': () => {
    for (let i = 0; i < N; i++) heap[0] += 1;
  },
  'counter.incr()': () => {
    const hits = stats.hits;
    for (let i = 0; i < N; i++) hits.incr();
  },
  'gauge (int) .value = i': () => {
    const gauge = stats.gauge;
    for (let i = 0; i < N; i++) gauge.value = i;
  },
  'double .value = x': () => {
    const ratio = stats.ratio;
    for (let i = 0; i < N; i++) ratio.value = i * 0.5;
  },
  'string .value = s': () => {
    const state = stats.state;
    for (let i = 0; i < N; i++) state.value = (i & 1) === 0 ? 'idle' : 'busy: GET /index';
  },
  'timer.start(); stop()': () => {
    const latency = stats.latency;
    for (let i = 0; i < N; i++) {
      latency.start();
      latency.stop();
    }
  },
  'prom-client inc()': () => {
    for (let i = 0; i < N; i++) promPlain.inc();
  },
  "prom-client inc({code})": () => {
    for (let i = 0; i < N; i++) promLabelled.inc({ code: '200' });
  },
};

const names = Object.keys(cases);
const samples = Object.fromEntries(names.map((name) => [name, []]));
for (let round = -2; round < ROUNDS; round++) {
  for (const name of names) {
    const started = process.hrtime.bigint();
    cases[name]();
    const ns = Number(process.hrtime.bigint() - started) / N;
    if (round >= 0) samples[name].push(ns); // the first two rounds only warm up
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(samples[names[0]]);
console.log(`node ${process.version}, ${N} ops x ${ROUNDS} interleaved rounds, median round`);
console.log(`${'operation'.padEnd(26)} ${'ns/op'.padStart(8)} ${'x heap'.padStart(8)}`);
for (const name of names) {
  const ns = median(samples[name]);
  console.log(`${name.padEnd(26)} ${ns.toFixed(2).padStart(8)} ${(ns / base).toFixed(2).padStart(8)}`);
}
const ratio = median(samples['counter.incr()']) / base;
console.log(`target counter.incr() <= 1.5x heap: ${ratio <= 1.5 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x)`);
if (stats.hits.bigint !== BigInt((ROUNDS + 2) * N)) throw new Error(`counter lost increments: ${stats.hits.bigint}`);
stats.remove();
rmSync(dir, { recursive: true, force: true });
