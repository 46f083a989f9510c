import test from 'ava';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { mergeSnapshots, readStats, type StatsField, type StatsSnapshot } from '@mmstats/reader';
import type { HistogramValue } from '@mmstats/format';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { StatsBuilder, counter, defineModel } from '../index.js';
import { readV2, tempDir } from '../test-support.test.util.js';
import { collectRuntimeMetrics } from './index.js';

function field(snapshot: StatsSnapshot, label: string, dims: Record<string, string> = {}): StatsField | undefined {
  return snapshot.fields.find((f) => f.label === label && JSON.stringify(f.dims) === JSON.stringify(dims));
}

function num(snapshot: StatsSnapshot, label: string): number {
  const value = field(snapshot, label)?.value;
  if (typeof value !== 'number') throw new Error(`${label}: not a number (${String(value)})`);
  return value;
}

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

// Serial: these measure the event loop, which the other tests' allocations would block.
test.serial('writes plausible runtime values into a file of its own, read back through @mmstats/reader', async (t) => {
  const dir = tempDir(t);
  // A long interval: the test calls collect() itself, so nothing races with it.
  const runtime = collectRuntimeMetrics({ file: { path: dir }, intervalMs: 60_000 });
  t.teardown(() => runtime.stop());
  const path = (runtime.stats as { path: string }).path;
  t.regex(basename(path), /-\d+-\d+\.runtime\.mmstats$/);

  await sleep(50); // monitorEventLoopDelay records from its second sample on
  busy(60); // the event loop is blocked for 60 ms: a delay of at least ~50 ms beyond the 10 ms sampling
  await sleep(100);
  runtime.collect();
  const snapshot = readStats(path);

  t.true(num(snapshot, 'nodejs.heap_size.used') > 0);
  t.true(num(snapshot, 'nodejs.heap_size.total') >= num(snapshot, 'nodejs.heap_size.used'));
  t.true(num(snapshot, 'process.resident_memory') > num(snapshot, 'nodejs.heap_size.used') / 2);
  t.true(num(snapshot, 'nodejs.external_memory') > 0);
  t.true(num(snapshot, 'process.cpu.user') > 0.05); // busy() alone spent 60 ms
  t.true(Math.abs(num(snapshot, 'process.cpu') - (num(snapshot, 'process.cpu.user') + num(snapshot, 'process.cpu.system'))) < 1e-9);
  const utilization = num(snapshot, 'nodejs.eventloop.utilization');
  t.true(utilization > 0 && utilization <= 1, String(utilization));
  const started = field(snapshot, 'process.start_time')!.value as number;
  t.true(Math.abs(started - (Date.now() / 1000 - process.uptime())) < 5);

  const lag = field(snapshot, 'nodejs.eventloop.lag')!;
  t.is(lag.kind, 'timer');
  t.is(lag.unit, 'seconds');
  const histogram = lag.value as HistogramValue;
  t.true(histogram.count > 0);
  t.true(histogram.max >= 0.03, `max delay ${histogram.max}`);

  t.true(snapshot.fields.some((f) => f.label === 'nodejs.heap_space_size.used' && f.dims['space'] === 'old' && (f.value as number) > 0));
  if (process.platform === 'linux') t.true(num(snapshot, 'process.open_fds') > 0);
});

test('records GC pauses by kind', async (t) => {
  const dir = tempDir(t);
  const runtime = collectRuntimeMetrics({ file: { path: dir }, intervalMs: 60_000, heapSpaces: false });
  t.teardown(() => runtime.stop());
  const path = (runtime.stats as { path: string }).path;
  const pauses = () => readStats(path).fields.filter((f) => f.label === 'nodejs.gc.duration');
  // Enough short-lived garbage for several scavenges, whatever the heap sizes.
  for (let round = 0; round < 50 && pauses().length === 0; round++) {
    let keep: unknown[] = [];
    for (let i = 0; i < 200_000; i++) keep.push({ i, text: `item ${i}` });
    keep = [];
    await sleep(20); // GC entries reach the observer asynchronously
  }
  const found = pauses();
  t.true(found.length > 0);
  for (const pause of found) {
    t.is(pause.kind, 'timer');
    t.true(['major', 'minor', 'incremental', 'weakcb', 'other'].includes(pause.dims['kind']!));
    const h = pause.value as HistogramValue;
    t.true(h.count > 0 && h.sum > 0 && h.max < 10);
  }
});

test('adds its records to a file the application opened, and stop() leaves that file open', (t) => {
  const dir = tempDir(t);
  const stats = defineModel({ jobs: counter() }).open({ path: dir, labelPrefix: 'app.' });
  t.teardown(() => stats.remove());
  const runtime = collectRuntimeMetrics({ stats, intervalMs: 60_000, prefix: 'rt.' });
  runtime.stop();
  runtime.stop();
  stats.jobs.incr();
  const snapshot = readStats(stats.path);
  t.true(num(snapshot, 'app.rt.nodejs.heap_size.used') > 0);
  t.is(num(snapshot, 'app.jobs'), 1);
  t.false(stats.inMemory);
  t.false(readV2(stats.path).header.closed);
});

test('adds its records to a builder that is opened later', (t) => {
  const dir = tempDir(t);
  const builder = new StatsBuilder();
  const runtime = collectRuntimeMetrics({ stats: builder, intervalMs: 60_000 });
  t.teardown(() => runtime.stop());
  const file = builder.open({ path: dir });
  t.teardown(() => file.remove());
  runtime.collect();
  t.true(num(readStats(file.path), 'process.resident_memory') > 0);
});

test('refuses an interval below 1 ms', (t) => {
  t.throws(() => collectRuntimeMetrics({ intervalMs: 0 }), { instanceOf: RangeError });
  t.throws(() => collectRuntimeMetrics({ eventLoopResolutionMs: 0.5 }), { instanceOf: RangeError, message: /eventLoopResolutionMs/ });
});

test('stop() closes a file of its own (CLOSED, left for readers), and values stay readable', (t) => {
  const dir = tempDir(t);
  const runtime = collectRuntimeMetrics({ file: { path: dir }, intervalMs: 60_000, gc: false, heapSpaces: false });
  const path = (runtime.stats as { path: string }).path;
  t.false(readV2(path).header.closed);
  runtime.stop();
  runtime.stop();
  const { header, values } = readV2(path);
  t.true(header.closed);
  t.true((values.get('nodejs.heap_size.used') as number) > 0);
  t.true((runtime.stats as { inMemory: boolean }).inMemory);
});

/** The Prometheus name of a record: dots to underscores, then the unit, then `_total` for counters. */
function promName(f: StatsField): string {
  const base = f.label.replace(/\./g, '_');
  const unit = f.unit === '' || base.endsWith(`_${f.unit}`) ? base : `${base}_${f.unit}`;
  return f.kind === 'counter' ? `${unit}_total` : unit;
}

test("names and units are prom-client's default metrics", async (t) => {
  const dir = tempDir(t);
  const runtime = collectRuntimeMetrics({ file: { path: dir }, intervalMs: 60_000 });
  t.teardown(() => runtime.stop());
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const theirs = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
  const ours = new Map(readStats((runtime.stats as { path: string }).path).fields.map((f) => [promName(f), f]));
  // prom-client names its totals of handles and requests *_total although they are gauges.
  const renamed: Record<string, string> = { nodejs_active_handles: 'nodejs_active_handles_total', nodejs_active_requests: 'nodejs_active_requests_total' };
  const ourOwn = new Set(['nodejs_eventloop_utilization_ratio', 'org_nodejs_version']);
  for (const name of ours.keys()) {
    if (ourOwn.has(name)) continue;
    t.true(theirs.has(renamed[name] ?? name), `${name} is not one of prom-client's`);
  }
  for (const name of ['process_cpu_user_seconds_total', 'process_cpu_system_seconds_total', 'process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_heap_size_total_bytes', 'nodejs_external_memory_bytes', 'nodejs_heap_space_size_used_bytes']) {
    t.true(ours.has(name), name);
  }
});

test.serial('per-process files merge: heap sums, delays merge into one histogram', async (t) => {
  const dir = tempDir(t);
  const one = collectRuntimeMetrics({ file: { path: dir, filename: 'one.mmstats' }, intervalMs: 60_000 });
  const two = collectRuntimeMetrics({ file: { path: dir, filename: 'two.mmstats' }, intervalMs: 60_000 });
  t.teardown(() => (one.stop(), two.stop()));
  await sleep(50);
  busy(30);
  await sleep(100);
  one.collect();
  two.collect();
  const snapshots = [one, two].map((r) => readStats((r.stats as { path: string }).path));
  const merged = mergeSnapshots(snapshots);
  const heap = merged.find((m) => m.label === 'nodejs.heap_size.used')!;
  t.is(heap.value, num(snapshots[0]!, 'nodejs.heap_size.used') + num(snapshots[1]!, 'nodejs.heap_size.used'));
  const lag = merged.find((m) => m.label === 'nodejs.eventloop.lag')!;
  const counts = snapshots.map((s) => (field(s, 'nodejs.eventloop.lag')!.value as HistogramValue).count);
  t.is((lag.value as HistogramValue).count, counts[0]! + counts[1]!);
  t.true(counts[0]! > 0 && counts[1]! > 0);
  t.truthy(lag.percentiles?.['p99']);
});
