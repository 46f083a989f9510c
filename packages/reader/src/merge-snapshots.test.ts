import test from 'ava';
import { join } from 'node:path';
import {
  addV2Average,
  addV2Window,
  histogramQuantile,
  observeV2Histogram,
  setV2Heartbeat,
  writeV2Scalar,
  writeV2Text,
  type HistogramValue,
  type WindowValue,
} from '@mmstats/format';
import { validFixtures, validV2Fixtures } from '@mmstats/fixtures';
import { aggregate, collectValues } from './aggregate.js';
import { mergeSnapshots, percentiles, type MergedField } from './merge-snapshots.js';
import { createV2File, type RawV2File } from './raw-writer.test.util.js';
import { readStats } from './read-stats.js';
import { tempDir } from './test-support.js';

const threads = validFixtures('v1/python-0.8.0')
  .filter((f) => f.name.startsWith('thread-'))
  .map((f) => readStats(f.path));

function named(merged: readonly MergedField[], label: string, dims: Record<string, string> = {}): MergedField {
  const found = merged.find((m) => m.label === label && JSON.stringify(m.dims) === JSON.stringify(dims));
  if (found === undefined) throw new Error(`no merged ${label} ${JSON.stringify(dims)}`);
  return found;
}

/** One worker's v2 file with one record of each merge situation; `n` varies the values. */
function worker(dir: string, n: number, options: { heartbeat: number; histogramK?: number }): RawV2File {
  const raw = createV2File(join(dir, `worker-${n}.mmstats`), 65536, [
    { label: 'requests', kind: 'counter', dims: { route: '/a' } },
    { label: 'requests', kind: 'counter', dims: { route: '/b' } },
    { label: 'queue.max', kind: 'gauge', merge: 'max' },
    { label: 'queue.min', kind: 'gauge', encoding: 'i64', merge: 'min' },
    { label: 'load.avg', kind: 'gauge', merge: 'avg' },
    { label: 'config', kind: 'text', merge: 'last' },
    { label: 'state', kind: 'text' },
    { label: 'latency', kind: 'timer', unit: 'seconds', histogram: { k: options.histogramK ?? 4, minExp: -20, maxExp: 10 } },
    { label: 'batch', kind: 'average' },
    { label: 'jobs', kind: 'window', window: { slots: 10, slotMillis: 1000 } },
    { label: 'pid', kind: 'info', encoding: 'i64' },
  ]);
  const r = (label: string, index = 0): Parameters<typeof writeV2Scalar>[1] => raw.list.filter((l) => l.label === label)[index]!;
  writeV2Scalar(raw.file, r('requests', 0), 10 * n);
  writeV2Scalar(raw.file, r('requests', 1), n);
  writeV2Scalar(raw.file, r('queue.max'), n * 3);
  writeV2Scalar(raw.file, r('queue.min'), BigInt(-n));
  writeV2Scalar(raw.file, r('load.avg'), n);
  writeV2Text(raw.file, r('config'), `config of ${n}`);
  writeV2Text(raw.file, r('state'), `state ${n}`);
  for (let i = 1; i <= 100; i++) observeV2Histogram(raw.file, r('latency'), (i * n) / 1000);
  addV2Average(raw.file, r('batch'), n);
  addV2Window(raw.file, r('jobs'), n, 1_700_000_005.5);
  addV2Window(raw.file, r('jobs'), n, 1_700_000_009.5);
  writeV2Scalar(raw.file, r('pid'), 1000 + n);
  setV2Heartbeat(raw.file, options.heartbeat);
  return raw;
}

test('v1 files merge by their inferred rules: counters and gauges sum, text is per file', (t) => {
  const merged = mergeSnapshots(threads);
  const done = named(merged, 'worker.jobs.done');
  t.like(done, { kind: 'counter', merge: 'sum', type: 'Q', value: 60n });
  t.deepEqual(done.perFile.map((p) => p.value), [10n, 20n, 30n]);
  t.is(done.perFile[0]?.version, 1);
  t.like(named(merged, 'worker.busy'), { kind: 'gauge', value: 2 }); // booleans count 0/1
  const version = named(merged, 'worker.org.python.version');
  t.is(version.value, undefined);
  t.is(version.notMerged, 'merge rule none');
  t.is(version.perFile.length, 3);
  // Groups come in the order their first field appears.
  t.is(merged[0]?.label, threads[0]!.fields[0]!.label);
});

test('v2 files merge record by record, per label and dimensions, by each record\'s rule', (t) => {
  const dir = tempDir(t);
  const files = [worker(dir, 1, { heartbeat: 1_700_000_300 }), worker(dir, 2, { heartbeat: 1_700_000_100 }), worker(dir, 3, { heartbeat: 1_700_000_200 })];
  const snapshots = files.map((f) => readStats(f.path));
  const merged = mergeSnapshots(snapshots, { now: 1_700_000_010, quantiles: [0.5, 0.99] });

  t.like(named(merged, 'requests', { route: '/a' }), { value: 60, merge: 'sum', kind: 'counter' });
  t.like(named(merged, 'requests', { route: '/b' }), { value: 6 });
  t.is(named(merged, 'queue.max').value, 9);
  t.is(named(merged, 'queue.min').value, -3n);
  t.is(named(merged, 'load.avg').value, 2);
  // `last`: the file with the latest heartbeat, here the first.
  t.is(named(merged, 'config').value, 'config of 1');
  t.like(named(merged, 'state'), { value: undefined, notMerged: 'merge rule none' });
  t.deepEqual(named(merged, 'state').perFile.map((p) => p.value), ['state 1', 'state 2', 'state 3']);
  t.like(named(merged, 'pid'), { kind: 'info', value: undefined });
  t.deepEqual(named(merged, 'batch').value, { sum: 6, count: 3 });

  const latency = named(merged, 'latency');
  const histogram = latency.value as HistogramValue;
  t.is(histogram.count, 300);
  t.is(histogram.min, 0.001);
  t.is(histogram.max, 0.3);
  t.deepEqual(latency.percentiles, { p50: histogramQuantile(histogram, 0.5), p99: histogramQuantile(histogram, 0.99) });
  t.is(latency.unit, 'seconds');

  const jobs = named(merged, 'jobs');
  t.is((jobs.value as WindowValue).slots.filter((s) => s.start !== 0).length, 2);
  t.like(jobs.window, { count: 6, sum: 12, mean: 2 });
  t.is(jobs.percentiles, undefined);
  t.is(merged.length, 11);
});

test('histograms of different parameters are not merged but shown per file', (t) => {
  const dir = tempDir(t);
  const files = [worker(dir, 1, { heartbeat: 1 }), worker(dir, 2, { heartbeat: 2, histogramK: 2 })];
  const latency = named(mergeSnapshots(files.map((f) => readStats(f.path))), 'latency');
  t.is(latency.value, undefined);
  t.regex(latency.notMerged!, /disagree/);
  t.is(latency.perFile.length, 2);
  t.is(latency.percentiles, undefined);
});

test('a value that never settled (E014) is left out of the merge and listed', (t) => {
  const stuck = validV2Fixtures('v2/edge').find((f) => f.name === 'stuck-seq')!;
  const dir = tempDir(t);
  const other = createV2File(join(dir, 'other.mmstats'), 4096, [{ label: 'latency.avg', kind: 'average' }, { label: 'requests', kind: 'counter' }]);
  addV2Average(other.file, other.records.get('latency.avg')!, 4);
  writeV2Scalar(other.file, other.records.get('requests')!, 2);
  const merged = mergeSnapshots([readStats(stuck.path), readStats(other.path)]);
  const avg = named(merged, 'latency.avg');
  t.deepEqual(avg.value, { sum: 4, count: 1 });
  t.is(avg.errors.length, 1);
  t.is(avg.errors[0]?.path, stuck.path);
  t.is(avg.errors[0]?.error.code, 'MMSTATS-E014');
  t.is(named(merged, 'requests').value, 5);
  // Only unreadable values: nothing to merge.
  const alone = named(mergeSnapshots([readStats(stuck.path)]), 'latency.avg');
  t.like(alone, { value: undefined, notMerged: 'no file has a readable value' });
});

test('v1 and v2 files merge together: a v1 Q counter with v2 counters of either encoding', (t) => {
  const dir = tempDir(t);
  const f64 = createV2File(join(dir, 'f64.mmstats'), 4096, [{ label: 'worker.jobs.done', kind: 'counter' }]);
  writeV2Scalar(f64.file, f64.records.get('worker.jobs.done')!, 5);
  const u64 = createV2File(join(dir, 'u64.mmstats'), 4096, [{ label: 'worker.jobs.done', kind: 'counter', encoding: 'u64' }]);
  writeV2Scalar(u64.file, u64.records.get('worker.jobs.done')!, 7n);
  const v1 = threads;
  const exact = named(mergeSnapshots([...v1, readStats(u64.path)]), 'worker.jobs.done');
  t.is(exact.value, 67n);
  t.deepEqual(exact.perFile.map((p) => p.version), [1, 1, 1, 2]);
  t.is(named(mergeSnapshots([...v1, readStats(f64.path)]), 'worker.jobs.done').value, 65);
  // A v1 gauge and a v2 counter of the same label disagree on kind.
  const gauge = createV2File(join(dir, 'gauge.mmstats'), 4096, [{ label: 'worker.busy', kind: 'counter' }]);
  t.regex(named(mergeSnapshots([...v1, readStats(gauge.path)]), 'worker.busy').notMerged!, /disagree/);
});

test('units: v2 records of one label with other units are not merged; a v1 field, which has none, merges with any', (t) => {
  const dir = tempDir(t);
  const counting = (name: string, unit: string): RawV2File => {
    const raw = createV2File(join(dir, `${name}.mmstats`), 4096, [{ label: 'worker.jobs.done', kind: 'counter', unit }]);
    writeV2Scalar(raw.file, raw.records.get('worker.jobs.done')!, 5);
    return raw;
  };
  const jobs = readStats(counting('jobs', 'jobs').path);
  const tasks = readStats(counting('tasks', 'tasks').path);
  const mixed = named(mergeSnapshots([jobs, tasks]), 'worker.jobs.done');
  t.is(mixed.value, undefined);
  t.regex(mixed.notMerged!, /unit/);
  // The three Python threads count 60 in all, in v1 (no unit): they join the v2 count and its unit.
  const withV1 = named(mergeSnapshots([...threads, jobs]), 'worker.jobs.done');
  t.is(withV1.value, 65);
  t.is(withV1.unit, 'jobs');
});

test('percentiles: named p + q × 100, undefined for an empty histogram or a q outside (0, 1]', (t) => {
  const buckets = new Float64Array(2 * 2 ** 2 + 2);
  const empty: HistogramValue = { params: { k: 2, minExp: 0, maxExp: 2 }, count: 0, sum: 0, min: 0, max: 0, buckets };
  t.deepEqual(percentiles(empty), { p50: undefined, p90: undefined, p99: undefined });
  const one: HistogramValue = { ...empty, count: 1, sum: 1, min: 1, max: 1, buckets: Float64Array.of(0, 1, 0, 0, 0, 0, 0, 0, 0, 0) };
  t.deepEqual(percentiles(one, [0.999, 0.25, 1, 0]), { 'p99.9': 1, p25: 1, p100: 1, p0: undefined });
});

test('collectValues and aggregate: scalar values as before, composite values only for `one`', (t) => {
  const dir = tempDir(t);
  const files = [worker(dir, 1, { heartbeat: 1 }), worker(dir, 2, { heartbeat: 2 })];
  const snapshots = files.map((f) => readStats(f.path));
  const values = collectValues(snapshots, { prefix: 'requests', exact: true });
  // Labels are matched without their dimensions: both routes of both files.
  t.deepEqual(values.get('requests'), [10, 1, 20, 2]);
  t.is(aggregate(values.get('requests')!, 'sum'), 33);
  const latency = collectValues(snapshots, { prefix: 'latency' }).get('latency')!;
  t.is(latency.length, 2);
  t.is(aggregate(latency, 'one'), latency[0]!);
  t.is(aggregate(latency, 'sum'), null);
  t.is(aggregate([...latency, 3, 4n], 'max'), 4n);
  const stuck = readStats(validV2Fixtures('v2/edge').find((f) => f.name === 'stuck-seq')!.path);
  t.deepEqual([...collectValues([stuck], { prefix: '' })], [['requests', [3]]]);
});
