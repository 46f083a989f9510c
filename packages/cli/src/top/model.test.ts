import test from 'ava';
import { readStats, type WriterJudgement } from '@mmstats/reader';
import { counter, defineModel, histogram, timer, uint } from '@mmstats/writer';
import { tempDir } from '../test-files.test.util.js';
import { TopModel, workerName, type TopFile } from './model.js';

const alive: WriterJudgement = { gone: false, reason: 'running', because: 'pid is running' };
const gone: WriterJudgement = { gone: true, reason: 'not-running', because: 'pid 7 is not running' };

/** Two writers' files of one worker (pid 10) and one of another (pid 20), with a counter, a gauge and a timer. */
function service(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t, 'top-model');
  const model = defineModel({ requests: counter({ label: 'requests' }), workers: uint({ label: 'workers' }), latency: timer({ label: 'latency' }) }, { system: false });
  const open = (name: string, pid: number) => model.open({ path: dir, filename: name, heartbeatMs: 0, internal: { pid } });
  const writers = [open('a.mmstats', 10), open('b.mmstats', 10), open('c.mmstats', 20)];
  for (const w of writers) w.workers.value = 1;
  const read = (judgements: readonly WriterJudgement[] = [alive, alive, alive]): TopFile[] =>
    writers.map((w, i) => ({ id: w.path, path: w.path, snapshot: readStats(w.path), judgement: judgements[i]! }));
  return { writers, read };
}

test('merged: each record over every file by its merge rule; counters as a rate over the interval', (t) => {
  const { writers, read } = service(t);
  const top = new TopModel();
  writers[0]!.requests.incr(100);
  top.update(read(), 1000, undefined);
  const first = top.rows('merged').find((row) => row.name === 'requests')!;
  t.like(first, { source: '', kind: 'counter', value: 100, rate: null }, 'no rate before a second reading');
  writers[0]!.requests.incr(10);
  writers[2]!.requests.incr(30);
  top.update(read(), 1002, 2);
  const rows = top.rows('merged');
  t.like(rows.find((row) => row.name === 'requests'), { value: 140, rate: 20 });
  t.like(rows.find((row) => row.name === 'workers'), { kind: 'gauge', value: 3, rate: null });
  t.deepEqual(rows.find((row) => row.name === 'requests')!.history, [undefined, 20]);
});

test("percentiles are those of the last interval's values, from the growth of the buckets", (t) => {
  const { writers, read } = service(t);
  const top = new TopModel();
  for (let i = 0; i < 100; i++) writers[0]!.latency.record(0.001);
  top.update(read(), 1000, undefined);
  t.true(Math.abs(top.rows('merged').find((row) => row.name === 'latency')!.p99! - 0.001) < 0.001 * 0.04, 'the first reading: since start');
  for (let i = 0; i < 10; i++) writers[1]!.latency.record(0.5);
  top.update(read(), 1001, 1);
  const latency = top.rows('merged').find((row) => row.name === 'latency')!;
  // Since start, p50 would be 1 ms (100 of 110 values); in the interval every value is 0.5 s.
  t.true(Math.abs(latency.p50! - 0.5) < 0.5 * 0.04, `p50 ${latency.p50}`);
  t.like(latency, { kind: 'timer', value: 110, rate: 10 });
  top.update(read(), 1002, 1);
  t.like(top.rows('merged').find((row) => row.name === 'latency'), { p50: null, p99: null, rate: 0 }, 'nothing recorded: no percentiles');
});

test('an exponential histogram (what OpenTelemetry Histograms write) gets the same interval percentiles and rate', (t) => {
  const dir = tempDir(t, 'top-model-exp');
  const model = defineModel({ latency: histogram({ label: 'rpc.latency', unit: 'seconds', encoding: 'exponential' }) }, { system: false });
  const writers = [10, 20].map((pid) => model.open({ path: dir, filename: `${pid}.mmstats`, heartbeatMs: 0, internal: { pid } }));
  const read = (): TopFile[] => writers.map((w) => ({ id: w.path, path: w.path, snapshot: readStats(w.path), judgement: alive }));
  const top = new TopModel();
  for (let i = 0; i < 100; i++) writers[0]!.latency.observe(0.001);
  top.update(read(), 1000, undefined);
  // Then values from 2 ms to 20 s: the writer downscales between the readings.
  for (let i = 0; i < 10; i++) writers[1]!.latency.observe(0.5);
  for (let i = 0; i < 5; i++) writers[0]!.latency.observe(0.002 * 10 ** i);
  top.update(read(), 1001, 1);
  const latency = top.rows('merged').find((row) => row.name === 'rpc.latency')!;
  const bound = (v: number): number => v * (2 ** (2 ** -writers[0]!.latency.scale) - 1);
  t.true(writers[0]!.latency.scale < 8, `downscaled to ${writers[0]!.latency.scale}`);
  // Since start p50 would be 1 ms (100 of 115 values); in the interval 0.5 s (10 of 15).
  t.true(Math.abs(latency.p50! - 0.5) <= bound(0.5), `p50 ${latency.p50}`);
  t.like(latency, { kind: 'histogram', value: 115, rate: 15 });
});

test('per worker groups the files by writer pid; per file has a row per file; gone writers are left out of the rows', (t) => {
  const { writers, read } = service(t);
  const top = new TopModel();
  writers[0]!.requests.incr(1);
  writers[1]!.requests.incr(2);
  writers[2]!.requests.incr(4);
  top.update(read([alive, alive, gone]), 1000, undefined);
  const requests = (view: 'worker' | 'file') => top.rows(view).filter((row) => row.name === 'requests').map((row) => [row.source, row.value]);
  t.deepEqual(requests('worker'), [['pid 10', 3]]);
  t.deepEqual(requests('file'), [['a.mmstats', 1], ['b.mmstats', 2]]);
  t.deepEqual(top.writers.map((writer) => [writer.worker, writer.judgement.gone]), [['pid 10', false], ['pid 10', false], ['pid 20', true]]);
  t.is(workerName(read()[2]!.snapshot), 'pid 20');
});

test("a file replaced under its path (a new id) starts over: its count is no burst of traffic", (t) => {
  const { writers, read } = service(t);
  const top = new TopModel();
  writers[0]!.requests.incr(1000);
  top.update(read(), 1000, undefined);
  writers[1]!.requests.incr(5);
  top.update(read().map((file, i) => (i === 0 ? { ...file, id: `${file.id}#2` } : file)), 1001, 1);
  t.is(top.rows('merged').find((row) => row.name === 'requests')!.rate, 5);
});
