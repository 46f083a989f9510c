/**
 * Cross-process stress tests (issue 6): a writer process (stress-writer.test.child.ts) changes
 * a file through its own shared mapping while this process reads it through `LiveStatsFile`.
 *
 * - torn reads: v2's sequence words must give zero inconsistent reads of a histogram and an
 *   average (and count the reads that got the view's last good copy because the writer was
 *   too busy to copy, spec/format-v2.md#seqlock); the same harness on v1 double-buffered
 *   fields reports its rate for contrast;
 * - runtime records: 1000 records added while a reader polls, which never errors and ends
 *   seeing all of them with their values;
 * - merged percentiles: three writers' histograms merged, p50/p90/p99 within the spec's
 *   relative error of the exact quantiles of all values (spec/format-v2.md#enc-histogram).
 *
 * Loops are bounded by time and by count, never asserted on speed: the machine may be busy.
 */
import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { AverageValue, HistogramValue } from '@mmstats/format';
import type { FieldValue } from './fields.js';
import { LiveStatsFile } from './live-stats-file.js';
import { mergeSnapshots } from './merge-snapshots.js';
import { PERCENTILE_DISTRIBUTIONS, runtimeSpec, sampleValues } from './raw-writer.test.util.js';
import { readStats } from './read-stats.js';
import { tempDir } from './test-support.js';

const CHILD = fileURLToPath(new URL('./stress-writer.test.child.js', import.meta.url));

/** How long the torn-read loops read at least, and the fewest reads they accept. */
const READ_MILLIS = 3000;
const MIN_READS = 100_000;
/** No loop runs longer than this, however slow the machine. */
const LOOP_DEADLINE_MILLIS = 60_000;

interface Writer {
  /** Resolves once the child printed `ready` (its file is complete). */
  readonly ready: Promise<void>;
  /** Resolves with the child's last JSON line when it exits with status 0. */
  readonly done: Promise<Record<string, number>>;
  /** Asks the child to stop (it checks for the stop file every few thousand writes). */
  stop(): void;
}

function startWriter(t: ExecutionContext, mode: string, path: string, arg?: string): Writer {
  const stopFile = `${path}.stop`;
  const child = spawn(process.execPath, [CHILD, mode, path, stopFile, ...(arg === undefined ? [] : [arg])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.startsWith('ready\n')) onReady();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<Record<string, number>>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`writer ${mode} exited with ${code ?? signal}: ${stderr}`));
        return;
      }
      const lines = stdout.trim().split('\n');
      resolve(JSON.parse(lines[lines.length - 1]!) as Record<string, number>);
    });
  });
  // A child that failed before `ready` must fail the test rather than hang it.
  const readyOrFailed = Promise.race([ready, done.then(() => Promise.reject(new Error(`writer ${mode} exited before it was ready`)))]);
  const stop = (): void => writeFileSync(stopFile, '');
  t.teardown(() => {
    stop();
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return { ready: readyOrFailed, done, stop };
}

/** Changes of the written value a torn-read loop waits to have seen (the writer may be starved of CPU for a while). */
const MIN_CHANGES = 2000;

/**
 * Loops `step` for at least READ_MILLIS, MIN_READS times, and until `step` has seen
 * MIN_CHANGES changes (it returns the count so far), but never past LOOP_DEADLINE_MILLIS.
 */
function readLoop(step: () => number): { reads: number; millis: number } {
  const start = performance.now();
  let reads = 0;
  for (;;) {
    const changes = step();
    reads++;
    if ((reads & 255) === 0) {
      const millis = performance.now() - start;
      if ((millis >= READ_MILLIS && reads >= MIN_READS && changes >= MIN_CHANGES) || millis >= LOOP_DEADLINE_MILLIS) return { reads, millis };
    }
  }
}

/** Why a histogram read is inconsistent, or `undefined` when it is consistent (values 1..1000). */
function histogramProblem(h: HistogramValue): string | undefined {
  let total = 0;
  for (const count of h.buckets) total += count;
  if (total !== h.count) return `buckets add up to ${total}, count is ${h.count}`;
  if (h.count === 0) return h.sum === 0 ? undefined : `sum ${h.sum} with count 0`;
  if (!(h.min <= h.max) || h.min < 1 || h.max > 1000) return `min ${h.min}, max ${h.max}`;
  if (!(h.count * h.min <= h.sum && h.sum <= h.count * h.max)) return `sum ${h.sum} outside count × [min, max] = ${h.count} × [${h.min}, ${h.max}]`;
  return undefined;
}

function rate(bad: number, reads: number): string {
  return reads === 0 ? 'n/a' : `${((bad / reads) * 100).toPrecision(3)}%`;
}

test.serial('torn reads, v2: zero inconsistent reads of a histogram and an average another process hammers', async (t) => {
  const path = join(tempDir(t), 'torn-v2.mmstats');
  const writer = startWriter(t, 'torn-v2', path);
  await writer.ready;
  const live = LiveStatsFile.open(path);
  t.teardown(() => live.close());
  const hist = live.fields.findIndex((f) => f.label === 'stress.hist');
  const avg = live.fields.findIndex((f) => f.label === 'stress.avg');
  const values: (FieldValue | undefined)[] = [];
  const counts = { histogram: 0, average: 0, inconsistent: 0, stale: 0, unsettled: 0, changes: 0, backwards: 0 };
  const problems: string[] = [];
  let firstCount: number | undefined;
  let lastCount = 0;
  let lastAvgCount = 0;
  // Every consistent read is a new copy; a value that is the previous read's object is the
  // last good copy the view kept while the writer was too busy to copy (spec/format-v2.md#seqlock).
  let lastH: HistogramValue | undefined;
  let lastA: AverageValue | undefined;
  const { reads, millis } = readLoop(() => {
    live.readAll(values);
    const h = values[hist] as HistogramValue | undefined;
    const a = values[avg] as AverageValue | undefined;
    if (h !== undefined && h === lastH) counts.stale++;
    if (a !== undefined && a === lastA) counts.stale++;
    lastH = h;
    lastA = a;
    if (h === undefined) counts.unsettled++;
    else {
      counts.histogram++;
      const problem = histogramProblem(h);
      if (problem !== undefined) {
        counts.inconsistent++;
        if (problems.length < 5) problems.push(`histogram: ${problem}`);
      }
      if (h.count !== lastCount) counts.changes++;
      // The writer only adds, and each read is later than the last: counts never go back.
      if (h.count < lastCount) counts.backwards++;
      firstCount ??= h.count;
      lastCount = h.count;
    }
    if (a === undefined) counts.unsettled++;
    else {
      counts.average++;
      if (a.sum !== a.count) {
        counts.inconsistent++;
        if (problems.length < 5) problems.push(`average: sum ${a.sum} ≠ count ${a.count}`);
      }
      if (a.count < lastAvgCount) counts.backwards++;
      lastAvgCount = a.count;
    }
    return counts.changes;
  });
  writer.stop();
  const { ops } = await writer.done;
  const valueReads = counts.histogram + counts.average;
  t.log(
    `v2 torn-read: ${reads} reads in ${(millis / 1000).toFixed(1)} s (${counts.histogram} histogram + ${counts.average} average values), ` +
      `${counts.inconsistent} inconsistent (rate ${rate(counts.inconsistent, valueReads)}), ${counts.stale} stale (last good copy, rate ${rate(counts.stale, valueReads)}), ` +
      `${counts.unsettled} unsettled (E014), ` +
      `${counts.changes} changes seen; writer ${ops} observe+add pairs`,
  );
  t.deepEqual(problems, []);
  t.is(counts.inconsistent, 0);
  t.is(counts.backwards, 0, 'a count read went back');
  t.true(reads >= MIN_READS, `only ${reads} reads`);
  // The writer has stopped: the view reads exactly what it wrote.
  live.readAll(values);
  t.like(values[hist], { count: ops });
  t.deepEqual(values[avg], { sum: ops, count: ops });
  // The writer really wrote while we read, and the reads saw it.
  t.true(lastCount > (firstCount ?? 0), `histogram count went from ${firstCount} to ${lastCount}`);
  t.true(counts.changes > 100, `${counts.changes} changes seen`);
  t.true(counts.histogram > 0 && counts.average > 0);
});

test.serial('torn reads, v1: the same harness over double-buffered fields reports its rate', async (t) => {
  const path = join(tempDir(t), 'torn-v1.mmstats');
  const writer = startWriter(t, 'torn-v1', path);
  await writer.ready;
  const live = LiveStatsFile.open(path);
  t.teardown(() => live.close());
  const [q, sum, count] = ['stress.q', 'stress.sum', 'stress.count'].map((label) => live.fields.findIndex((f) => f.label === label)) as [number, number, number];
  const values: (FieldValue | undefined)[] = [];
  const counts = { tornHalves: 0, pairs: 0, changes: 0 };
  let last = 0n;
  const { reads, millis } = readLoop(() => {
    live.readAll(values);
    const v = values[q] as bigint;
    if (v >> 32n !== (v & 0xffffffffn)) counts.tornHalves++;
    if (values[sum] !== Number(values[count] as bigint)) counts.pairs++;
    if (v !== last) counts.changes++;
    last = v;
    return counts.changes;
  });
  writer.stop();
  const { ops } = await writer.done;
  t.log(
    `v1 torn-read: ${reads} reads in ${(millis / 1000).toFixed(1)} s, ${counts.tornHalves} torn u64 (high half ≠ low half, rate ${rate(counts.tornHalves, reads)}), ` +
      `${counts.pairs} inconsistent sum/count pairs (rate ${rate(counts.pairs, reads)}), ${counts.changes} changes seen; writer ${ops} updates`,
  );
  // Whatever the rates (they may be 0 on a quiet machine), the harness must have read enough.
  t.true(reads >= MIN_READS, `only ${reads} reads`);
  t.true(counts.changes > 100, `${counts.changes} changes seen`);
  // The writer has stopped: the double-buffer rule gives exactly the values it wrote last.
  live.readAll(values);
  t.is(values[q], BigInt(ops!) * 0x1_0000_0001n);
  t.is(values[sum], ops);
  t.is(values[count], BigInt(ops!));
});

/**
 * Whether `value` is what record `i` of the runtime test holds: `final`, or (before the writer
 * set it) empty, or (while polling) not read yet: a composite first seen while its writer is
 * mid-write has no good copy to give (`LiveStatsFile.readAll`), which a loaded machine makes
 * happen.
 */
function runtimeValueOk(i: number, value: FieldValue | undefined, final: boolean): boolean {
  if (value === undefined) return !final;
  const v = i + 1;
  switch (i % 4) {
    case 0:
      return value === v || (!final && value === 0);
    case 1:
      return value === BigInt(v) || (!final && value === 0n);
    case 2: {
      const a = value as AverageValue;
      return (a.sum === v && a.count === 1) || (!final && a.sum === 0 && a.count === 0);
    }
    default: {
      const h = value as HistogramValue;
      return (h.count === 1 && h.sum === v && h.min === v && h.max === v) || (!final && h.count === 0);
    }
  }
}

test.serial('runtime records: a reader polling while a writer adds 1000 records never errors and ends seeing all of them', async (t) => {
  const path = join(tempDir(t), 'runtime.mmstats');
  const writer = startWriter(t, 'runtime', path);
  await writer.ready;
  const live = LiveStatsFile.open(path);
  t.teardown(() => live.close());
  const values: (FieldValue | undefined)[] = [];
  const seenCounts = new Set<number>();
  let polls = 0;
  let previous = 0;
  let wrong = 0;
  const start = performance.now();
  // Poll until every record is seen: any error thrown here fails the test.
  while (live.fields.length < 1001 && performance.now() - start < LOOP_DEADLINE_MILLIS) {
    live.readAll(values);
    polls++;
    const records = live.fields.length - 1;
    if (records < previous) wrong++;
    previous = records;
    seenCounts.add(records);
    for (let i = 0; i < records; i++) {
      if (live.fields[i + 1]!.label !== runtimeSpec(i).label || !runtimeValueOk(i, values[i + 1], false)) wrong++;
    }
  }
  const { records: written } = await writer.done;
  const snapshot = live.snapshot();
  t.log(`runtime records: ${polls} polls saw ${seenCounts.size} different record counts, ended with ${snapshot.fields.length - 1} of ${written! - 1} added, 0 errors, ${wrong} wrong values`);
  t.is(written, 1001);
  t.is(wrong, 0);
  t.is(snapshot.fields.length, 1001);
  t.is(snapshot.header?.recordCount, 1001);
  snapshot.fields.slice(1).forEach((field, i) => {
    t.is(field.label, runtimeSpec(i).label);
    t.true(runtimeValueOk(i, field.value, true), `${field.label}: ${String(field.value)}`);
  });
  t.deepEqual(snapshot.fields[2]?.dims, { index: '1' });
  // The reader saw the file grow, not only its final state.
  t.true(seenCounts.size > 2, `saw record counts ${[...seenCounts].slice(0, 10).join(', ')}`);
});

test.serial('merged percentiles: three writer processes, p50/p90/p99 of the merged histogram within 2^-(k+1) of the exact quantiles', async (t) => {
  const dir = tempDir(t);
  const paths = PERCENTILE_DISTRIBUTIONS.map((_, i) => join(dir, `writer-${i}.mmstats`));
  const writers = paths.map((path, i) => startWriter(t, 'percentiles', path, String(i)));
  const results = await Promise.all(writers.map((w) => w.done));
  t.deepEqual(results, PERCENTILE_DISTRIBUTIONS.map(() => ({ observed: 20_000 })));

  const merged = mergeSnapshots(paths.map((path) => readStats(path)), { quantiles: [0.5, 0.9, 0.99] });
  const latency = merged.find((m) => m.label === 'latency')!;
  const requests = merged.find((m) => m.label === 'requests')!;
  t.is(requests.value, 60_000);
  t.is(latency.perFile.length, 3);
  t.is(latency.kind, 'timer');
  t.is(latency.unit, 'seconds');
  const histogram = latency.value as HistogramValue;
  const exact = PERCENTILE_DISTRIBUTIONS.flatMap((d, i) => [...sampleValues(d, 1000 + i, 20_000)]).sort((a, b) => a - b);
  t.is(histogram.count, exact.length);
  t.is(histogram.min, exact[0]!);
  t.is(histogram.max, exact[exact.length - 1]!);
  const bound = 2 ** -(histogram.params.k + 1);
  const errors: string[] = [];
  for (const [name, q] of [['p50', 0.5], ['p90', 0.9], ['p99', 0.99]] as const) {
    const want = exact[Math.ceil(q * exact.length) - 1]!;
    const got = latency.percentiles![name]!;
    const error = Math.abs(got - want) / want;
    errors.push(`${name} ${got.toPrecision(6)} vs exact ${want.toPrecision(6)} (${(error * 100).toFixed(2)}%)`);
    t.true(error <= bound, `${name}: ${got} vs ${want}, relative error ${error} > ${bound}`);
  }
  t.log(`merged percentiles (3 processes × 20000 values, k = ${histogram.params.k}, bound ${(bound * 100).toFixed(3)}%): ${errors.join(', ')}`);
});
