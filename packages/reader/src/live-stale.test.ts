/**
 * A live view's last good copies (spec/format-v2.md#seqlock): a composite value whose sequence
 * word keeps moving is shown as the record's last consistent copy, marked `stale`; a sequence
 * word stuck odd stays `MMSTATS-E014`; one-shot reads (`readStats`) keep reporting E014.
 *
 * "Busy" is made deterministic: a test hook bumps the sequence word (by 2, so it stays even)
 * through the writer's own mapping whenever the reader reads it, so no copy ever settles: it
 * wraps `fs.readSync`, and bumps before every positioned read whose range covers the word
 * (reads A and C of a snapshot, and each try of a retry). The hook is global, so these tests
 * run serially; each ava test file has its own process.
 */
import test, { type ExecutionContext } from 'ava';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import {
  ErrorCodes,
  beginV2Write,
  endV2Write,
  observeV2Histogram,
  writeV2Average,
  type AverageValue,
  type HistogramValue,
  type V2RecordLayout,
} from '@mmstats/format';
import type { FieldValue, V2StatsField } from './fields.js';
import { LiveStatsFile } from './live-stats-file.js';
import { createV2File, type RawV2File } from './raw-writer.test.util.js';
import { readStats } from './read-stats.js';
import { tempDir } from './test-support.js';
import { LIVE_STUCK_MILLIS } from './v2-view.js';

/** Makes `record`'s sequence word move (by 2) every time a reader loads it, until `settle()`. */
function keepBusy(t: ExecutionContext, raw: RawV2File, record: V2RecordLayout): { settle(): void } {
  const word = record.valueOffset >> 2;
  const writerWords = raw.file.i32;
  const bump = (): void => void Atomics.add(writerWords, word, 2);
  const realReadSync = fs.readSync;
  const hookedReadSync = ((...args: Parameters<typeof fs.readSync>): number => {
    const [, , , length, position] = args as unknown as [number, unknown, number, number, number | bigint | null];
    const start = Number(position);
    if (start <= record.valueOffset && start + length > record.valueOffset) bump();
    return (realReadSync as (...a: unknown[]) => number)(...args);
  }) as typeof fs.readSync;
  fs.readSync = hookedReadSync;
  syncBuiltinESMExports();
  const settle = (): void => {
    fs.readSync = realReadSync;
    syncBuiltinESMExports();
  };
  t.teardown(settle);
  return { settle };
}

function setUp(t: ExecutionContext): { raw: RawV2File; live: LiveStatsFile; hist: V2RecordLayout; avg: V2RecordLayout } {
  const path = join(tempDir(t), 'busy.mmstats');
  const raw = createV2File(path, 64 * 1024, [
    { label: 'busy.hist', kind: 'histogram', histogram: { k: 2, minExp: 0, maxExp: 10 } },
    { label: 'quiet.avg', kind: 'average' },
    { label: 'requests', kind: 'counter' },
  ]);
  const live = LiveStatsFile.open(path);
  t.teardown(() => live.close());
  return { raw, live, hist: raw.records.get('busy.hist')!, avg: raw.records.get('quiet.avg')! };
}

function fieldOf(live: LiveStatsFile, label: string): V2StatsField {
  return live.snapshot().fields.find((f) => f.label === label) as V2StatsField;
}

test.serial(`a busy histogram is its last good copy, marked stale, until the writer settles`, (t) => {
  const { raw, live, hist, avg } = setUp(t);
  observeV2Histogram(raw.file, hist, 3);
  writeV2Average(raw.file, avg, 6, 2);
  t.false('stale' in fieldOf(live, 'busy.hist'));
  const values: (FieldValue | undefined)[] = [];
  live.readAll(values);
  // Every consistent read is a new copy; the last one is what the view keeps.
  const good = values[0] as HistogramValue;
  t.is(good.count, 1);

  // The writer records another value, then keeps the sequence word moving.
  observeV2Histogram(raw.file, hist, 5);
  const busy = keepBusy(t, raw, hist);
  live.readAll(values);
  t.is(values[0], good, 'readAll returns the last good copy itself');
  t.deepEqual(values[1], { sum: 6, count: 2 }, 'the quiet average reads as usual');
  const field = fieldOf(live, 'busy.hist');
  t.is(field.value, good);
  t.is(field.stale, true);
  t.is(field.error, undefined);
  t.false('stale' in fieldOf(live, 'quiet.avg'));
  t.is(live.read(hist), good, 'read(field) gives the last good copy too');

  // One-shot reads have no earlier copy: still E014, saying the value was still changing.
  const once = readStats(raw.path).fields[0]!;
  t.is(once.value, undefined);
  t.is(once.stale, undefined);
  t.is(once.error?.code, ErrorCodes.VALUE_UNSTABLE);
  t.regex(once.error?.detail ?? '', /still changing/);

  busy.settle();
  live.readAll(values);
  const fresh = values[0] as HistogramValue;
  t.not(fresh, good);
  t.is(fresh.count, 2);
  const settled = fieldOf(live, 'busy.hist');
  t.false('stale' in settled);
  t.is((settled.value as HistogramValue).count, 2);
  t.is((live.read(hist) as HistogramValue).count, 2);
});

test.serial(`a busy value with no earlier good copy is E014 (still changing)`, (t) => {
  const { raw, live, hist } = setUp(t);
  keepBusy(t, raw, hist);
  // Opening reads the values once: reopened while busy, the view has no good copy.
  live.reopen();
  t.is(live.readAll()[0], undefined);
  const field = fieldOf(live, 'busy.hist');
  t.is(field.value, undefined);
  t.is(field.stale, undefined);
  t.is(field.error?.code, ErrorCodes.VALUE_UNSTABLE);
  t.is(field.error?.path, raw.path);
  t.regex(field.error?.detail ?? '', /did not settle in \d+ tries \(seq \d+, still changing/);
  t.throws(() => live.read(hist), { code: ErrorCodes.VALUE_UNSTABLE });
});

test.serial(`a sequence word odd for a second is stuck: E014 without a value, even with a good copy; never waited on`, (t) => {
  const { raw, live, avg } = setUp(t);
  writeV2Average(raw.file, avg, 1, 1);
  const good = live.readAll()[1] as AverageValue;
  t.deepEqual(good, { sum: 1, count: 1 });
  // A writer that dies in the middle of a write leaves seq odd for good. Until a second has
  // passed it may as well be a writer off the CPU: the view shows the last good copy.
  const s = beginV2Write(raw.file, avg.valueOffset);
  // Had the read watched the word for 10 ms, it would have called it stuck (no value).
  t.is(live.readAll()[1], good, 'a live view does not wait on it');
  t.true(fieldOf(live, 'quiet.avg').stale);
  // Still busy well past the spec's 10 ms floor (a writer descheduled that long is common)...
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  t.is(live.readAll()[1], good);
  // ...and stuck once LIVE_STUCK_MILLIS have passed.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, LIVE_STUCK_MILLIS);
  const all = live.readAll();
  t.is(all[1], undefined);
  t.is(all[2], 0, 'the file\'s other values read as usual');
  const field = fieldOf(live, 'quiet.avg');
  t.is(field.value, undefined);
  t.is(field.stale, undefined);
  t.is(field.error?.code, ErrorCodes.VALUE_UNSTABLE);
  t.regex(field.error?.detail ?? '', /\(seq \d*[13579], odd and unchanged: a writer stopped mid-write\)/);
  t.throws(() => live.read(avg), { code: ErrorCodes.VALUE_UNSTABLE });
  // Once the write ends, the value is read fresh again.
  raw.file.f64[(avg.valueOffset >> 3) + 1] = 4;
  raw.file.f64[(avg.valueOffset >> 3) + 2] = 2;
  endV2Write(raw.file, avg.valueOffset, s);
  t.deepEqual(live.readAll()[1], { sum: 4, count: 2 });
  const settled = fieldOf(live, 'quiet.avg');
  t.deepEqual(settled.value, { sum: 4, count: 2 });
  t.false('stale' in settled);
});

test.serial(`reopen() forgets the last good copies`, (t) => {
  const { raw, live, hist } = setUp(t);
  observeV2Histogram(raw.file, hist, 3);
  t.is((live.readAll()[0] as HistogramValue).count, 1);
  keepBusy(t, raw, hist);
  live.reopen();
  t.is(live.readAll()[0], undefined);
  t.is(fieldOf(live, 'busy.hist').error?.code, ErrorCodes.VALUE_UNSTABLE);
});
