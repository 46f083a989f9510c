import test from 'ava';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { mergeSnapshots, readStats, type StatsField, type StatsSnapshot } from '@mmstats/reader';
import type { HistogramValue } from '@mmstats/format';
import { StatsBuilder, counter, defineModel } from '../index.js';
import { readV2, tempDir } from '../common/test-support.test.util.js';
import { collectRuntimeMetrics } from './index.js';

function field(snapshot: StatsSnapshot, label: string, dims: Record<string, string> = {}): StatsField | undefined {
  const wanted = Object.entries(dims);
  return snapshot.fields.find((f) => f.label === label && Object.keys(f.dims).length === wanted.length && wanted.every(([key, value]) => f.dims[key] === value));
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

  // prom-client's gauges, as it computes them: the sampled delays including the 10 ms sampling interval.
  t.true(num(snapshot, 'nodejs.eventloop.lag.max') >= 0.05, `max ${num(snapshot, 'nodejs.eventloop.lag.max')}`);
  t.true(num(snapshot, 'nodejs.eventloop.lag.min') >= 0.009, `min ${num(snapshot, 'nodejs.eventloop.lag.min')}`);
  t.true(num(snapshot, 'nodejs.eventloop.lag.min') <= num(snapshot, 'nodejs.eventloop.lag.p50'));
  t.true(num(snapshot, 'nodejs.eventloop.lag.p50') <= num(snapshot, 'nodejs.eventloop.lag.p90'));
  t.true(num(snapshot, 'nodejs.eventloop.lag.p90') <= num(snapshot, 'nodejs.eventloop.lag.p99'));
  t.true(num(snapshot, 'nodejs.eventloop.lag.p99') <= num(snapshot, 'nodejs.eventloop.lag.max'));
  t.true(num(snapshot, 'nodejs.eventloop.lag.mean') > 0 && num(snapshot, 'nodejs.eventloop.lag.stddev') > 0);
  await sleep(20);
  const lagGauge = num(readStats(path), 'nodejs.eventloop.lag');
  t.true(lagGauge > 0 && lagGauge < 1, `setImmediate lag ${lagGauge}`);
  // Ours: the same samples less the sampling interval, in a histogram that merges.
  const delay = field(snapshot, 'nodejs.eventloop.delay')!;
  t.is(delay.kind, 'timer');
  t.is(delay.unit, 'seconds');
  const histogram = delay.value as HistogramValue;
  t.true(histogram.count > 0);
  t.true(histogram.max >= 0.03, `max delay ${histogram.max}`);

  t.true(snapshot.fields.some((f) => f.label === 'nodejs.heap_space_size.used' && f.dims['space'] === 'old' && (f.value as number) > 0));
  if (process.platform === 'linux') {
    t.true(num(snapshot, 'process.open_fds') > 0);
    t.true(num(snapshot, 'process.virtual_memory') > num(snapshot, 'process.resident_memory'));
    t.true(num(snapshot, 'process.heap') > 0);
  }
  const [major, minor, patch] = process.versions.node.split('.') as [string, string, string];
  t.is(field(snapshot, 'nodejs.version_info', { version: process.version, major, minor, patch })?.value, 1);
});

test('counts active handles, requests and resources by type and in total, as prom-client does', async (t) => {
  const dir = tempDir(t);
  const runtime = collectRuntimeMetrics({ file: { path: dir }, intervalMs: 60_000, gc: false, heapSpaces: false });
  t.teardown(() => runtime.stop());
  const server = createServer().listen(0, '127.0.0.1');
  t.teardown(() => server.close());
  await once(server, 'listening');
  runtime.collect();
  const snapshot = readStats((runtime.stats as { path: string }).path);
  const handles = process as unknown as { _getActiveHandles(): unknown[] };
  const byType = (label: string) => snapshot.fields.filter((f) => f.label === label && f.dims['type'] !== undefined);
  t.true(num(snapshot, 'nodejs.active_handles_total') >= 1);
  t.is(num(snapshot, 'nodejs.active_handles_total'), handles._getActiveHandles().length);
  t.true((field(snapshot, 'nodejs.active_handles', { type: 'Server' })?.value as number) >= 1, 'the listening server');
  t.is(byType('nodejs.active_handles').reduce((sum, f) => sum + (f.value as number), 0), num(snapshot, 'nodejs.active_handles_total'));
  t.true((field(snapshot, 'nodejs.active_resources', { type: 'TCPServerWrap' })?.value as number) >= 1);
  t.is(byType('nodejs.active_resources').reduce((sum, f) => sum + (f.value as number), 0), num(snapshot, 'nodejs.active_resources_total'));
  t.true(snapshot.fields.some((f) => f.label === 'nodejs.active_requests_total'));

  server.close();
  // Node lets go of a closed server's handle a little after its 'close' event.
  for (let i = 0; i < 500 && handles._getActiveHandles().some((h) => h === server); i++) await sleep(10);
  runtime.collect();
  t.is(field(readStats((runtime.stats as { path: string }).path), 'nodejs.active_handles', { type: 'Server' })?.value, 0, 'a type no longer seen counts 0');
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
  const lag = merged.find((m) => m.label === 'nodejs.eventloop.delay')!;
  const counts = snapshots.map((s) => (field(s, 'nodejs.eventloop.delay')!.value as HistogramValue).count);
  t.is((lag.value as HistogramValue).count, counts[0]! + counts[1]!);
  t.true(counts[0]! > 0 && counts[1]! > 0);
  t.truthy(lag.percentiles?.['p99']);
});
