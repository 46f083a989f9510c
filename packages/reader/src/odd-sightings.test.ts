/**
 * A file whose writer died in the middle of writing every composite value (issue 10): each
 * record's `seq` stays odd for good. The spec asks for a 10 ms watch before a value is called
 * stuck; these tests check that the watch is paid once per file (all its odd records watched
 * together) and then remembered, not paid per record on every read.
 */
import test from 'ava';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ErrorCodes, beginV2Write, endV2Write } from '@mmstats/format';
import { LiveStatsFile } from './live-stats-file.js';
import { createV2File, type RawV2File } from './raw-writer.test.util.js';
import { readStats } from './read-stats.js';
import { tempDir } from './test-support.js';

const AVERAGES = 700;

/** A file of 700 averages and a counter, every average left mid-write (odd `seq`). */
function stuckFile(path: string): RawV2File {
  const specs = Array.from({ length: AVERAGES }, (_, i) => ({ label: `latency.${i}.avg`, kind: 'average' as const }));
  const raw = createV2File(path, 256 * 1024, [...specs, { label: 'requests', kind: 'counter' }]);
  for (const spec of specs) beginV2Write(raw.file, raw.records.get(spec.label)!.valueOffset);
  return raw;
}

function millis(read: () => void): number {
  const start = performance.now();
  read();
  return performance.now() - start;
}

test('700 stuck averages: one-shot reads cost one watch, then none; each record is E014 stuck', (t) => {
  const raw = stuckFile(join(tempDir(t), 'stuck.mmstats'));
  // The old reader watched each record 10 ms on every read: 7 s a read.
  const first = millis(() => readStats(raw.path));
  const again = Array.from({ length: 5 }, () => millis(() => readStats(raw.path)));
  t.log(`first read ${first.toFixed(1)} ms, then ${again.map((ms) => ms.toFixed(1)).join(', ')} ms`);
  t.true(first < 1000, `first read took ${first} ms`);
  for (const ms of again) t.true(ms < 500, `a later read took ${ms} ms`);
  const snapshot = readStats(raw.path);
  const averages = snapshot.fields.filter((f) => f.kind === 'average');
  t.is(averages.length, AVERAGES);
  t.true(averages.every((f) => f.error?.code === ErrorCodes.VALUE_UNSTABLE && /odd and unchanged/.test(f.error.detail)));
  t.is(snapshot.fields.at(-1)?.value, 0, 'the counter after them reads');
});

test('700 stuck averages in a live view: every snapshot answers fast; a record whose write ends reads again', (t) => {
  const raw = stuckFile(join(tempDir(t), 'live-stuck.mmstats'));
  const live = LiveStatsFile.open(raw.path);
  t.teardown(() => live.close());
  const times = Array.from({ length: 10 }, () => millis(() => live.snapshot()));
  t.log(`snapshots: ${times.map((ms) => ms.toFixed(1)).join(', ')} ms`);
  for (const ms of times) t.true(ms < 500, `a snapshot took ${ms} ms`);
  t.true(live.snapshot().fields.slice(0, AVERAGES).every((f) => f.error?.code === ErrorCodes.VALUE_UNSTABLE));

  // The writer was only off the CPU: it finishes one write, and that value reads at once.
  const first = raw.records.get('latency.0.avg')!;
  const seq = raw.file.i32[first.valueOffset >> 2]!;
  raw.file.f64[(first.valueOffset >> 3) + 1] = 6;
  raw.file.f64[(first.valueOffset >> 3) + 2] = 3;
  endV2Write(raw.file, first.valueOffset, seq - 1);
  const [value] = live.readAll();
  t.deepEqual(value, { sum: 6, count: 3 });
});

test('an odd seq is not called stuck before it stayed so 10 ms', (t) => {
  const path = join(tempDir(t), 'fresh-odd.mmstats');
  const raw = createV2File(path, 4096, [{ label: 'latency.avg', kind: 'average' }]);
  const record = raw.records.get('latency.avg')!;
  beginV2Write(raw.file, record.valueOffset);
  const start = performance.now();
  const [field] = readStats(path).fields;
  t.true(performance.now() - start >= 10, 'the first sighting is watched for the full 10 ms');
  t.is(field?.error?.code, ErrorCodes.VALUE_UNSTABLE);
});
