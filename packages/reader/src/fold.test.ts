import test from 'ava';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXP_HISTOGRAM_WORDS, ErrorCodes, V2_HEADER_OFFSETS, decodeV2, mergeExpHistograms, observeV2ExpHistogram, observeV2Histogram, writeV2Scalar, type ExpHistogramParams, type ExpHistogramValue } from '@mmstats/format';
import { archiveInfo, countedSnapshots, serviceOf } from './archive.js';
import { foldIntoArchive } from './fold.js';
import { mergeSnapshots } from './merge-snapshots.js';
import { createV2File } from './raw-writer.test.util.js';
import { readCounted } from './read-counted.js';
import { readStats } from './read-stats.js';
import { tempDir } from './test-support.js';

/** A dead worker's file of service `api`: `requests` counted `count`, latency observed `count` times, a gauge. */
function workerFile(dir: string, name: string, count: number): string {
  const path = join(dir, name);
  const raw = createV2File(path, 65536, [
    { label: 'mmstats.service', kind: 'info', encoding: 'text', textCapacity: 16 },
    { label: 'requests', kind: 'counter', dims: { code: '200' } },
    { label: 'latency', kind: 'timer', unit: 'seconds' },
    { label: 'in_flight', kind: 'gauge' },
  ]);
  raw.file.bytes.set(Buffer.from('api'), raw.records.get('mmstats.service')!.valueOffset + 8);
  raw.file.view.setUint32(raw.records.get('mmstats.service')!.valueOffset + 4, 3, true);
  writeV2Scalar(raw.file, raw.records.get('requests')!, count);
  for (let i = 1; i <= count; i++) observeV2Histogram(raw.file, raw.records.get('latency')!, i / 100);
  writeV2Scalar(raw.file, raw.records.get('in_flight')!, 7);
  return path;
}

const dead = (path: string) => ({ path, bytes: readFileSync(path) });

function merged(paths: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(mergeSnapshots(paths.map((p) => readStats(p))).map((f) => [f.label, f.value && typeof f.value === 'object' && 'count' in f.value ? f.value.count : f.value]));
}

test('a fold makes generation 1 with the counters and histograms summed, gauges dropped, and the files listed as folded', (t) => {
  const dir = tempDir(t);
  const a = workerFile(dir, 'a.mmstats', 3);
  const b = workerFile(dir, 'b.mmstats', 5);
  const before = merged([a, b]);
  const outcome = foldIntoArchive(dir, 'api', [dead(a), dead(b)]);
  t.deepEqual(outcome.archive, { path: join(dir, 'api.archive-0000000001.mmstats'), generation: 1 });
  t.deepEqual(outcome.folded, [a, b]);
  t.deepEqual(outcome.superseded, []);
  const archive = readStats(outcome.archive!.path);
  t.is(serviceOf(archive), 'api');
  const info = archiveInfo(archive)!;
  t.is(info.generation, 1);
  t.deepEqual([...info.folded.keys()].sort(), [readStats(a).header!.fileId, readStats(b).header!.fileId].sort());
  t.deepEqual(merged([outcome.archive!.path]), { requests: 8, latency: 8 });
  // Before the dead files are removed, a reader counts them once, from the archive (their gauges are gone).
  t.deepEqual(merged([a, b, outcome.archive!.path]), { requests: before['requests'], latency: before['latency'] });
  t.deepEqual(countedSnapshots([a, b, outcome.archive!.path].map((p) => readStats(p))).uncounted.map((u) => u.reason), ['folded', 'folded']);
});

test('a merge of some labels only still counts by the archive: filtering fields keeps what the archive holds', (t) => {
  const dir = tempDir(t);
  const a = workerFile(dir, 'a.mmstats', 3);
  const b = workerFile(dir, 'b.mmstats', 5);
  const live = workerFile(dir, 'live.mmstats', 7);
  const archive = foldIntoArchive(dir, 'api', [dead(a), dead(b)]).archive!.path;
  unlinkSync(b); // a is folded but not removed yet; b is gone
  const snapshots = [a, live, archive].map((p) => readStats(p));
  // What `mmstats get --merge requests` and mmash's /merged/requests do: keep some labels, then merge.
  const requestsOnly = snapshots.map((s) => ({ ...s, fields: s.fields.filter((f) => f.label.startsWith('requests')) }));
  t.is(archiveInfo(requestsOnly[2]!)?.generation, 1);
  t.deepEqual(mergeSnapshots(requestsOnly).map((f) => [f.label, f.value]), [['requests', 15]]);
  t.deepEqual(countedSnapshots(requestsOnly).uncounted.map((u) => [u.path, u.reason]), [[a, 'folded']]);
});

test('the next fold builds on the newest generation and supersedes it; a file folded already is only reported', (t) => {
  const dir = tempDir(t);
  const a = workerFile(dir, 'a.mmstats', 2);
  foldIntoArchive(dir, 'api', [dead(a)]);
  const c = workerFile(dir, 'c.mmstats', 4);
  const second = foldIntoArchive(dir, 'api', [dead(a), dead(c)]);
  t.is(second.archive!.generation, 2);
  t.deepEqual(second.superseded, [join(dir, 'api.archive-0000000001.mmstats')]);
  t.deepEqual(merged([second.archive!.path]), { requests: 6, latency: 6 });
  // Both generations in the directory: only the newest counts.
  const snapshots = [a, c, join(dir, 'api.archive-0000000001.mmstats'), second.archive!.path].map((p) => readStats(p));
  t.deepEqual(countedSnapshots(snapshots).counted.map((s) => s.path), [second.archive!.path]);
  const again = foldIntoArchive(dir, 'api', [dead(c)]);
  t.is(again.archive!.generation, 2, 'nothing new: no new generation');
  t.deepEqual(again.folded, [c]);
});

test('a dead record that cannot be combined with the archive\'s is dropped and said; the rest folds', (t) => {
  const dir = tempDir(t);
  const a = workerFile(dir, 'a.mmstats', 2);
  foldIntoArchive(dir, 'api', [dead(a)]);
  const odd = join(dir, 'odd.mmstats');
  const raw = createV2File(odd, 65536, [
    { label: 'requests', kind: 'counter', unit: 'bytes', dims: { code: '200' } },
    { label: 'errors', kind: 'counter' },
  ]);
  writeV2Scalar(raw.file, raw.records.get('errors')!, 4);
  const outcome = foldIntoArchive(dir, undefined, [dead(odd)]);
  t.is(outcome.archive!.path, join(dir, 'archive-0000000001.mmstats'), 'the unnamed service has its own archive');
  t.deepEqual(outcome.dropped, []);
  const into = foldIntoArchive(dir, 'api', [{ path: odd, bytes: readFileSync(odd) }]);
  t.deepEqual(into.dropped.map((d) => d.label), ['requests']);
  t.regex(into.dropped[0]!.why, /differs from the archive's record/);
});

test('a file with an archive\'s name but no ARCHIVE flag stops the fold instead of being built on', (t) => {
  const dir = tempDir(t);
  const a = workerFile(dir, 'a.mmstats', 2);
  writeFileSync(join(dir, 'api.archive-0000000001.mmstats'), readFileSync(a));
  t.throws(() => foldIntoArchive(dir, 'api', [dead(a)]), { message: /has an archive's name but is no archive/ });
});

test('an archive of minor 1 is none (its ARCHIVE bit means nothing there): the fold stops instead of building on it', (t) => {
  const dir = tempDir(t);
  const a = workerFile(dir, 'a.mmstats', 2);
  const first = foldIntoArchive(dir, 'api', [dead(a)]);
  const bytes = readFileSync(first.archive!.path);
  bytes[V2_HEADER_OFFSETS.minor] = 1;
  writeFileSync(first.archive!.path, bytes);
  t.throws(() => foldIntoArchive(dir, 'api', [dead(workerFile(dir, 'b.mmstats', 1))]), { message: /has an archive's name but is no archive/ });
});

/** A worker's file of service `api` whose exponential histogram `rpc` (a timer unless `kind` says) recorded `values`. */
function expWorkerFile(dir: string, name: string, exponential: ExpHistogramParams, values: readonly number[], kind: 'timer' | 'histogram' = 'timer'): string {
  const path = join(dir, name);
  const raw = createV2File(path, 131072, [
    { label: 'mmstats.service', kind: 'info', encoding: 'text', textCapacity: 16 },
    { label: 'rpc', kind, encoding: 'exphistogram', unit: 'seconds', exponential },
    { label: 'requests', kind: 'counter' },
  ]);
  raw.file.bytes.set(Buffer.from('api'), raw.records.get('mmstats.service')!.valueOffset + 8);
  raw.file.view.setUint32(raw.records.get('mmstats.service')!.valueOffset + 4, 3, true);
  for (const v of values) observeV2ExpHistogram(raw.file, raw.records.get('rpc')!, v);
  writeV2Scalar(raw.file, raw.records.get('requests')!, values.length);
  return path;
}

/** The merged `rpc` of what `readCounted` counts in `dir`, each side trimmed to its non-empty buckets. */
async function mergedRpc(dir: string): Promise<ExpHistogramValue> {
  const read = await readCounted([dir]);
  const rpc = mergeSnapshots(read.snapshots).find((f) => f.label === 'rpc')!;
  return mergeExpHistograms([rpc.value as ExpHistogramValue])!;
}

test('exponential histograms fold: the merged value reads the same before the writers died and after, over two folds', async (t) => {
  const dir = tempDir(t);
  // Values that are sums of powers of two, so that every sum is exact in any order.
  const a = expWorkerFile(dir, 'a.mmstats', { buckets: 160, scale: 8, zeroThreshold: 0 }, [0, 0.25, 0.5, 1.5, -2, 3, 1024]);
  const b = expWorkerFile(dir, 'b.mmstats', { buckets: 200, scale: 3, zeroThreshold: 0 }, [0.125, 6, -0.75]);
  const c = expWorkerFile(dir, 'c.mmstats', { buckets: 132, scale: 8, zeroThreshold: 0 }, [1.25, 1.375]);
  const live = expWorkerFile(dir, 'live.mmstats', { buckets: 160, scale: 8, zeroThreshold: 0 }, [2.5, 0]);
  const before = await mergedRpc(dir);
  t.is(before.count, 14);

  const first = foldIntoArchive(dir, 'api', [dead(a)]);
  unlinkSync(a);
  const second = foldIntoArchive(dir, 'api', [dead(b), dead(c)]);
  t.deepEqual(second.dropped, []);
  t.deepEqual(second.folded, [b, c]);
  unlinkSync(b);
  unlinkSync(c);
  unlinkSync(first.archive!.path);
  t.deepEqual(await mergedRpc(dir), before, 'every count in the same bucket, at the same scale');

  // The archive's record: the largest n of those merged (200), the merged scale, the threshold.
  const archive = decodeV2(readFileSync(second.archive!.path));
  const rpc = archive.ok ? archive.value.records.find((r) => r.label === 'rpc') : undefined;
  t.like(rpc, { encodingName: 'exphistogram', params: [200, 0, 0], kindName: 'timer', unit: 'seconds' });
  const folded = rpc!.value as ExpHistogramValue;
  t.is(folded.scale, before.scale);
  t.is(folded.count, 12);
  t.deepEqual(mergeExpHistograms([folded, readStats(live).fields.find((f) => f.label === 'rpc')!.value as ExpHistogramValue]), before);
});

test('a dead file whose exponential histogram has another zero threshold is not folded at all: kept, ARCHIVE_CONFLICT', async (t) => {
  const dir = tempDir(t);
  const a = expWorkerFile(dir, 'a.mmstats', { buckets: 160, scale: 8, zeroThreshold: 0 }, [1, 2]);
  const wide = expWorkerFile(dir, 'wide.mmstats', { buckets: 160, scale: 8, zeroThreshold: 0.5 }, [0.25, 4]);
  const b = expWorkerFile(dir, 'b.mmstats', { buckets: 160, scale: 8, zeroThreshold: 0 }, [8]);
  const outcome = foldIntoArchive(dir, 'api', [dead(a), dead(wide), dead(b)]);
  t.deepEqual(outcome.folded, [a, b]);
  t.deepEqual(outcome.conflicting.map((f) => [f.path, f.error.code]), [[wide, ErrorCodes.ARCHIVE_CONFLICT]]);
  t.regex(outcome.conflicting[0]!.error.message, /zero threshold 0\.5, the archive's 0/);
  // Its counts are still counted, from its own bytes: the requests counter too, not only rpc.
  unlinkSync(a);
  unlinkSync(b);
  const read = await readCounted([dir]);
  t.deepEqual(read.snapshots.map((s) => s.path).sort(), [outcome.archive!.path, wide].sort());
  t.is(mergeSnapshots(read.snapshots).find((f) => f.label === 'requests')!.value, 5);
  const again = foldIntoArchive(dir, 'api', [dead(wide)]);
  t.is(again.archive!.generation, 1, 'nothing folded: no new generation');
  t.deepEqual(again.folded, []);
  t.is(again.conflicting.length, 1);
});

test('a dead exponential histogram of another kind is dropped, not a conflict, even with another zero threshold: the rest of its file folds', (t) => {
  const dir = tempDir(t);
  const a = expWorkerFile(dir, 'a.mmstats', { buckets: 160, scale: 8, zeroThreshold: 0 }, [1, 2]);
  foldIntoArchive(dir, 'api', [dead(a)]);
  const other = expWorkerFile(dir, 'other.mmstats', { buckets: 160, scale: 8, zeroThreshold: 0.5 }, [0.25, 4, 8], 'histogram');
  const outcome = foldIntoArchive(dir, 'api', [dead(other)]);
  t.deepEqual(outcome.conflicting, []);
  t.deepEqual(outcome.folded, [other]);
  t.deepEqual(outcome.dropped.map((d) => [d.path, d.label]), [[other, 'rpc']]);
  t.regex(outcome.dropped[0]!.why, /differs from the archive's record/);
  t.deepEqual(merged([outcome.archive!.path]), { rpc: 2, requests: 5 });
});

/** Writes an out-of-range scale into the `rpc` exponential histogram of the file at `path` (its value then reads as `MMSTATS-E013`). */
function breakRpcScale(path: string): void {
  const bytes = readFileSync(path);
  const decoded = decodeV2(bytes);
  const rpc = decoded.ok ? decoded.value.records.find((r) => r.label === 'rpc') : undefined;
  bytes.writeInt32LE(99, rpc!.valueOffset + 8 * EXP_HISTOGRAM_WORDS.scale);
  writeFileSync(path, bytes);
}

test('a dead record whose value cannot be read is dropped and said with its code; the rest of its file folds', (t) => {
  const dir = tempDir(t);
  const a = expWorkerFile(dir, 'a.mmstats', { buckets: 160, scale: 8, zeroThreshold: 0 }, [1, 2]);
  breakRpcScale(a);
  const outcome = foldIntoArchive(dir, 'api', [dead(a)]);
  t.deepEqual(outcome.folded, [a]);
  t.deepEqual(outcome.dropped.map((d) => [d.path, d.label, d.error?.code]), [[a, 'rpc', ErrorCodes.BAD_RECORD]]);
  t.regex(outcome.dropped[0]!.why, /cannot be read \(MMSTATS-E013 value of record "rpc" is invalid/);
  t.deepEqual(merged([outcome.archive!.path]), { requests: 2 });
});

test('an archive record whose value cannot be read is dropped from the next generation and said', (t) => {
  const dir = tempDir(t);
  const a = expWorkerFile(dir, 'a.mmstats', { buckets: 160, scale: 8, zeroThreshold: 0 }, [1, 2]);
  const first = foldIntoArchive(dir, 'api', [dead(a)]);
  breakRpcScale(first.archive!.path);
  const b = expWorkerFile(dir, 'b.mmstats', { buckets: 160, scale: 8, zeroThreshold: 0 }, [4]);
  const second = foldIntoArchive(dir, 'api', [dead(b)]);
  t.is(second.archive!.generation, 2);
  t.deepEqual(second.dropped.map((d) => [d.path, d.label, d.error?.code]), [[first.archive!.path, 'rpc', ErrorCodes.BAD_RECORD]]);
  t.deepEqual(merged([second.archive!.path]), { rpc: 1, requests: 3 });
});

test('a folded entry older than the retention stays listed while its file is still in the directory', (t) => {
  const dir = tempDir(t);
  const a = workerFile(dir, 'a.mmstats', 2);
  const aId = readStats(a).header!.fileId;
  const now = Date.now() / 1000;
  foldIntoArchive(dir, 'api', [dead(a)], { now });
  // The cleaner was killed before removing a; the next fold comes two minutes later.
  const b = workerFile(dir, 'b.mmstats', 3);
  const later = foldIntoArchive(dir, 'api', [dead(b)], { now: now + 120 });
  t.true(archiveInfo(readStats(later.archive!.path))!.folded.has(aId), 'a is still listed: a reader must not count it as well as the archive');
  t.deepEqual(merged(countedSnapshots([a, b, later.archive!.path].map((p) => readStats(p))).counted.map((s) => s.path)), { requests: 5, latency: 5 });
  // Once a is removed, its old entry may go; b's, folded less than 60 s before, stays.
  unlinkSync(a);
  const c = workerFile(dir, 'c.mmstats', 1);
  const after = archiveInfo(readStats(foldIntoArchive(dir, 'api', [dead(c)], { now: now + 150 }).archive!.path))!;
  t.false(after.folded.has(aId));
  t.true(after.folded.has(readStats(b).header!.fileId));
});
