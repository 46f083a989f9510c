#!/usr/bin/env node
// Writes fixtures/derived/: what a reader computes from v2 values, which decoding fixtures do
// not pin (spec/expected-json.md#derived-fixture-json). Each case is a folder of hand-made v2
// files and a JSON beside it: the groups of records merged over the files by their merge rules
// (spec/format-v2.md#merge), those a reader must refuse to merge, and for each merged value
// what is derived from it: histogram quantiles at fixed q (spec/format-v2.md#enc-histogram),
// exponential histogram quantiles and merges across scales (spec/format-v2.md#enc-exphistogram),
// a window's rate and mean at a fixed now (spec/format-v2.md#enc-window), an average's mean.
//
// The expected values come from this script's own arithmetic of those rules, not from
// @mmstats/format or the reader. Run `node scripts/make-derived-fixtures.mjs` after changing a
// case; commit the output. It replaces fixtures/derived/ whole.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENC, KIND, MERGE, expHistogramBytes, f64, file, record, u32, u64 } from './handmade-v2-bytes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'derived');
const PRODUCER = 'hand-made (scripts/make-derived-fixtures.mjs)';
const SEQ = [...u32(2), ...u32(0)]; // an even, settled sequence word and its padding

// ---- values, as bytes and as the spec computes with them ----

/** A histogram of `values` with bucket parameters `[k, minExp, maxExp]`. */
function histogram(values, [k, minExp, maxExp]) {
  const n = (maxExp - minExp) * 2 ** k + 2;
  const buckets = new Array(n).fill(0);
  for (const v of values) buckets[bucketOf(v, k, minExp, maxExp)] += 1;
  const count = values.length;
  return {
    params: [k, minExp, maxExp],
    count,
    sum: values.reduce((a, b) => a + b, 0),
    min: count === 0 ? 0 : Math.min(...values),
    max: count === 0 ? 0 : Math.max(...values),
    buckets,
  };
}

/** The bucket of `v` by the table of spec/format-v2.md#enc-histogram (exact for the values used here, which sit on no edge). */
function bucketOf(v, k, minExp, maxExp) {
  if (v < 2 ** minExp) return 0;
  if (v >= 2 ** maxExp) return (maxExp - minExp) * 2 ** k + 1;
  const e = Math.floor(Math.log2(v));
  const m = Math.floor((v / 2 ** e - 1) * 2 ** k);
  return 1 + (e - minExp) * 2 ** k + m;
}

const histogramBytes = (h) => [...SEQ, ...f64(h.count), ...f64(h.sum), ...f64(h.min), ...f64(h.max), ...h.buckets.flatMap(f64)];

/** The q-quantile estimate of spec/format-v2.md#enc-histogram: the midpoint of the bucket of rank ⌈q × count⌉, clamped to [min, max]. */
function quantile(h, q) {
  if (h.count === 0) return null;
  const [k, minExp] = h.params;
  const rank = Math.ceil(q * h.count);
  let running = 0;
  let i = 0;
  for (; i < h.buckets.length; i++) {
    running += h.buckets[i];
    if (running >= rank) break;
  }
  if (i === 0) return h.min;
  if (i === h.buckets.length - 1) return h.max;
  const j = i - 1;
  const e = minExp + Math.floor(j / 2 ** k);
  const m = j % 2 ** k;
  const mid = 2 ** e * (1 + (m + 0.5) / 2 ** k);
  return Math.min(Math.max(mid, h.min), h.max);
}

/**
 * An exponential histogram of `values` at `scale` (spec/format-v2.md#enc-exphistogram): the
 * bucket of |v| by a logarithm, `⌊log2(|v|) × 2^scale⌋`, exact for the values used here, which
 * sit on no bucket edge; `positive` and `negative` map bucket index to count.
 */
function expHistogram(values, scale, zeroThreshold = 0) {
  const positive = {};
  const negative = {};
  let zeroCount = 0;
  for (const v of values) {
    if (Math.abs(v) <= zeroThreshold) {
      zeroCount++;
      continue;
    }
    const side = v > 0 ? positive : negative;
    const i = Math.floor(Math.log2(Math.abs(v)) * 2 ** scale);
    side[i] = (side[i] ?? 0) + 1;
  }
  const count = values.length;
  return {
    scale, zeroThreshold, zeroCount, count,
    sum: values.reduce((a, b) => a + b, 0),
    min: count === 0 ? 0 : Math.min(...values),
    max: count === 0 ? 0 : Math.max(...values),
    positive, negative,
  };
}

/** b^i as spec/format-v2.md#exp-bounds computes it: 2^(i >> s) times the s-fold square root of 2^(i mod 2^s). */
function expBound(i, s) {
  if (s <= 0) return 2 ** (i * 2 ** -s);
  let r = 2 ** (i & (2 ** s - 1));
  for (let k = 0; k < s; k++) r = Math.sqrt(r);
  return r * 2 ** Math.floor(i / 2 ** s);
}

/** Rank ⌈q × count⌉ walking negative buckets from the highest index, the zero bucket, positive ones from the lowest; midpoint clamped. */
function expQuantile(h, q) {
  if (h.count === 0) return null;
  const rank = Math.ceil(q * h.count);
  const clamp = (x) => Math.min(Math.max(x, h.min), h.max);
  const mid = (i) => (expBound(i, h.scale) + expBound(i + 1, h.scale)) / 2;
  let running = 0;
  for (const i of Object.keys(h.negative).map(Number).sort((a, b) => b - a)) {
    running += h.negative[i];
    if (running >= rank) return clamp(-mid(i));
  }
  running += h.zeroCount;
  if (running >= rank) return clamp(0);
  for (const i of Object.keys(h.positive).map(Number).sort((a, b) => a - b)) {
    running += h.positive[i];
    if (running >= rank) return clamp(mid(i));
  }
  return h.max;
}

/** At the smallest scale, bucket i of a finer histogram moved to ⌊i / 2^(s − smallest)⌋; everything else adds. */
function mergeExpHistograms(hs) {
  const scale = Math.min(...hs.map((h) => h.scale));
  const seen = hs.filter((h) => h.count > 0);
  const side = (pick) => {
    const out = {};
    for (const h of hs) {
      for (const [i, c] of Object.entries(pick(h))) {
        const j = Math.floor(Number(i) / 2 ** (h.scale - scale));
        out[j] = (out[j] ?? 0) + c;
      }
    }
    return out;
  };
  return {
    scale, zeroThreshold: hs[0].zeroThreshold,
    zeroCount: hs.reduce((a, h) => a + h.zeroCount, 0),
    count: hs.reduce((a, h) => a + h.count, 0),
    sum: hs.reduce((a, h) => a + h.sum, 0),
    min: seen.length === 0 ? 0 : Math.min(...seen.map((h) => h.min)),
    max: seen.length === 0 ? 0 : Math.max(...seen.map((h) => h.max)),
    positive: side((h) => h.positive),
    negative: side((h) => h.negative),
  };
}

/** A window of `n` slots of `w` ms, slot i counting interval `slots[i].interval` (0: never used). */
function windowOf(n, w, slots) {
  return {
    n,
    w,
    slots: Array.from({ length: n }, (_, i) => {
      const slot = slots[i];
      return slot === undefined ? { start: 0, count: 0, sum: 0 } : { start: (slot.interval * w) / 1000, count: slot.count, sum: slot.sum };
    }),
  };
}
const windowBytes = (win) => [...SEQ, ...win.slots.flatMap((s) => [...f64(s.start), ...f64(s.count), ...f64(s.sum)])];
const intervalOf = (slot, w) => Math.round((slot.start * 1000) / w);

/** Slot by slot: the same interval adds, different intervals give the later one (spec/format-v2.md#merge). */
function mergeWindows(wins) {
  const { n, w } = wins[0];
  const slots = wins[0].slots.map((_, i) => {
    let best = { start: 0, count: 0, sum: 0 };
    for (const win of wins) {
      const slot = win.slots[i];
      if (slot.start === 0) continue;
      if (best.start === 0 || intervalOf(slot, w) > intervalOf(best, w)) best = { ...slot };
      else if (intervalOf(slot, w) === intervalOf(best, w)) best = { start: best.start, count: best.count + slot.count, sum: best.sum + slot.sum };
    }
    return best;
  });
  return { n, w, slots };
}

/** Rate and mean at `now` over the slots of the current interval and the N − 1 before it (spec/format-v2.md#enc-window). */
function windowStats(win, now) {
  const s = Math.floor((now * 1000) / win.w);
  let count = 0;
  let sum = 0;
  for (const slot of win.slots) {
    if (slot.start === 0) continue;
    const interval = intervalOf(slot, win.w);
    if (interval < s - win.n + 1 || interval > s) continue;
    count += slot.count;
    sum += slot.sum;
  }
  const elapsed = ((win.n - 1) * win.w) / 1000 + (now - (s * win.w) / 1000);
  return { rate: elapsed > 0 ? count / elapsed : 0, mean: count > 0 ? sum / count : null, count, sum, elapsed };
}

function mergeHistograms(hs) {
  const seen = hs.filter((h) => h.count > 0);
  return {
    params: hs[0].params,
    count: hs.reduce((a, h) => a + h.count, 0),
    sum: hs.reduce((a, h) => a + h.sum, 0),
    min: seen.length === 0 ? 0 : Math.min(...seen.map((h) => h.min)),
    max: seen.length === 0 ? 0 : Math.max(...seen.map((h) => h.max)),
    buckets: hs[0].buckets.map((_, i) => hs.reduce((a, h) => a + h.buckets[i], 0)),
  };
}

// ---- the JSON forms (spec/expected-json.md#values, #v2-values) ----

function numberJson(x) {
  if (typeof x === 'bigint') return x >= -(2n ** 53n - 1n) && x <= 2n ** 53n - 1n ? Number(x) : x.toString();
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return x;
}
const histogramJson = (h) => ({
  count: h.count,
  sum: numberJson(h.sum),
  min: numberJson(h.min),
  max: numberJson(h.max),
  buckets: Object.fromEntries(h.buckets.flatMap((c, i) => (c === 0 ? [] : [[String(i), c]]))),
});
const expHistogramJson = (h) => ({
  count: h.count,
  sum: numberJson(h.sum),
  min: numberJson(h.min),
  max: numberJson(h.max),
  scale: h.scale,
  zero_threshold: h.zeroThreshold,
  zero_count: h.zeroCount,
  positive: Object.fromEntries(Object.entries(h.positive).filter(([, c]) => c !== 0)),
  negative: Object.fromEntries(Object.entries(h.negative).filter(([, c]) => c !== 0)),
});
const windowJson = (win) => ({
  slot_ms: win.w,
  slots: win.slots.flatMap((s, i) => (s.start === 0 ? [] : [{ slot: i, start: numberJson(s.start), count: s.count, sum: numberJson(s.sum) }])),
});

// ---- records ----

const scalar = (label, kind, encoding, merge, v, unit = '') => {
  const bytes = encoding === ENC.f64 ? f64(v) : u64(BigInt.asUintN(64, BigInt(v)));
  return record({ label, unit, kind, encoding, merge, value: bytes });
};
const histogramRecord = (label, h, unit = 'seconds') => record({ label, unit, kind: KIND.histogram, encoding: ENC.histogram, params: h.params, value: histogramBytes(h) });
/** An exphistogram record of 132 slots a sign; each side's slots start at bucket 0, or at its lowest bucket when that is below 0. */
const expHistogramRecord = (label, h, unit = 'seconds') => {
  const lowest = (side) => Math.min(0, ...Object.keys(side).map(Number));
  const bytes = expHistogramBytes({ n: 132, ...h, positiveOffset: lowest(h.positive), negativeOffset: lowest(h.negative) });
  return record({ label, unit, kind: KIND.timer, encoding: ENC.exphistogram, params: [132, 0, 0], value: bytes });
};
const windowRecord = (label, win) => record({ label, kind: KIND.window, encoding: ENC.window, params: [win.n, 0, win.w], value: windowBytes(win) });
const averageRecord = (label, sum, count) => record({ label, kind: KIND.average, encoding: ENC.average, value: [...SEQ, ...f64(sum), ...f64(count)] });
const textRecord = (label, text, merge) => {
  const bytes = [...Buffer.from(text, 'utf8')];
  return record({ label, kind: KIND.text, encoding: ENC.text, merge, params: [16, 0, 0], value: [...u32(2), ...u32(bytes.length), ...bytes, ...new Array(16 - bytes.length).fill(0)] });
};

const cases = [];

{
  // Three workers' latency histograms: one never recorded anything (its min and max, 0, are
  // ignored); the values reach the underflow and overflow buckets. A second histogram whose
  // bucket parameters differ between two files must not be merged.
  const params = [1, -2, 2];
  const a = histogram([0.1, 0.4, 0.45, 5], params);
  const b = histogram([0.3, 0.7, 1.5, 1.6, 3], params);
  const c = histogram([], params);
  const waitA = histogram([0.5], params);
  const waitB = histogram([0.5], [2, -2, 2]);
  const quantiles = [0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1];
  const merged = mergeHistograms([a, b, c]);
  cases.push({
    name: 'histograms',
    note: 'http.duration in three files (k 1, 2^-2 to 2^2; one file empty) merges bucket by bucket, its min and max ignoring the empty file, and its quantiles are bucket midpoints clamped to [min, max] (min in the underflow bucket, max in the overflow one); queue.wait has other bucket parameters in one file, so it is not merged',
    files: [
      file([histogramRecord('http.duration', a), histogramRecord('queue.wait', waitA)], { fileId: 1n }),
      file([histogramRecord('http.duration', b), histogramRecord('queue.wait', waitB)], { fileId: 2n }),
      file([histogramRecord('http.duration', c)], { fileId: 3n }),
    ],
    quantiles,
    groups: [
      { label: 'http.duration', dims: {}, merged: true, value: histogramJson(merged), quantiles: quantiles.map((q) => quantile(merged, q)) },
      { label: 'queue.wait', dims: {}, merged: false },
    ],
  });
}

{
  // Exponential histograms of three workers at different scales: the merge downscales the
  // finer ones to scale 0 (base 2), bucket by bucket; negative values, the zero bucket and an
  // empty file take part. rpc.size has another zero threshold in one file: not merged.
  const a = expHistogram([0.3, 0.7, 1.5, 1.6, -0.2, 0, 6.5], 2);
  const b = expHistogram([0.1, 0.45, 3, 12, -5, 0], 0);
  const c = expHistogram([], 3);
  const quantiles = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1];
  const merged = mergeExpHistograms([a, b, c]);
  const mergedA = mergeExpHistograms([a]);
  cases.push({
    name: 'exphistograms',
    note: 'rpc.duration (exphistogram timers) at scales 2, 0 and 3 (one file empty) merges at scale 0, each bucket i of scale 2 going to floor(i / 4); its quantiles walk the negative buckets from the most negative, the zero bucket, then the positive ones, each the midpoint of the bucket clamped to [min, max]; rpc.fine is one file only (scale 2, its bucket edges square roots of square roots of 2); rpc.size has zero threshold 0 in one file and 0.5 in the other, so it is not merged',
    files: [
      file([expHistogramRecord('rpc.duration', a), expHistogramRecord('rpc.fine', a), expHistogramRecord('rpc.size', expHistogram([1, 2], 1), 'bytes')], { fileId: 31n, minor: 2, capacity: 16384 }),
      file([expHistogramRecord('rpc.duration', b), expHistogramRecord('rpc.size', expHistogram([1, 2], 1, 0.5), 'bytes')], { fileId: 32n, minor: 2, capacity: 8192 }),
      file([expHistogramRecord('rpc.duration', c)], { fileId: 33n, minor: 2, capacity: 4096 }),
    ],
    quantiles,
    groups: [
      { label: 'rpc.duration', dims: {}, merged: true, value: expHistogramJson(merged), quantiles: quantiles.map((q) => expQuantile(merged, q)) },
      { label: 'rpc.fine', dims: {}, merged: true, value: expHistogramJson(mergedA), quantiles: quantiles.map((q) => expQuantile(mergedA, q)) },
      { label: 'rpc.size', dims: {}, merged: false },
    ],
  });
}

{
  // Windows of 4 slots of 500 ms (not a whole second: slots are told apart by interval
  // number, never by comparing starts). now = 1000.3 s is interval 2000: intervals 1997 to
  // 2000 count. Slot 0: 2000 in a, 1996 in b (the later wins); slot 1: 1997 in both (they
  // add); slot 2: 1998 in a, 2002 in b (a clock that went back: the later wins, then it is
  // ignored as being after now); slot 3: only b, 1999. recent.small has 3 slots in one file.
  const now = 1000.3;
  const a = windowOf(4, 500, [{ interval: 2000, count: 2, sum: 1 }, { interval: 1997, count: 1, sum: 0.5 }, { interval: 1998, count: 4, sum: 2 }]);
  const b = windowOf(4, 500, [{ interval: 1996, count: 8, sum: 8 }, { interval: 1997, count: 3, sum: 1.5 }, { interval: 2002, count: 5, sum: 5 }, { interval: 1999, count: 1, sum: 0.25 }]);
  const merged = mergeWindows([a, b]);
  const stats = windowStats(merged, now);
  cases.push({
    name: 'windows',
    note: 'recent (4 slots of 500 ms) merged slot by slot by interval number, its rate and mean at now = 1000.3; recent.small has another slot count in one file, so it is not merged',
    files: [
      file([windowRecord('recent', a), windowRecord('recent.small', windowOf(3, 500, []))], { fileId: 11n }),
      file([windowRecord('recent', b), windowRecord('recent.small', windowOf(4, 500, []))], { fileId: 12n }),
    ],
    now,
    groups: [
      { label: 'recent', dims: {}, merged: true, value: windowJson(merged), window: { rate: stats.rate, mean: stats.mean, count: stats.count, sum: stats.sum, elapsed: stats.elapsed } },
      { label: 'recent.small', dims: {}, merged: false },
    ],
  });
}

{
  // Scalars by their rules, averages and their means, and the groups a reader must refuse.
  const big = 2n ** 60n;
  cases.push({
    name: 'scalars-and-averages',
    note: 'gauges merged by min, max, avg and last (the file with the latest heartbeat, else created); a u64 and an i64 counter add to an exact integer past 2^53; an f64 and a u64 counter add to a binary64 number; averages add, and their mean is null while empty; a counter whose unit differs between files, and text with merge none, are not merged',
    files: [
      file(
        [
          scalar('pool.low', KIND.gauge, ENC.f64, MERGE.min, 4),
          scalar('pool.high', KIND.gauge, ENC.f64, MERGE.max, 4),
          scalar('pool.mean', KIND.gauge, ENC.f64, MERGE.avg, 4),
          scalar('config.version', KIND.gauge, ENC.f64, MERGE.last, 7),
          scalar('bytes.total', KIND.counter, ENC.u64, MERGE.sum, big),
          scalar('requests', KIND.counter, ENC.f64, MERGE.sum, 2),
          scalar('sent', KIND.counter, ENC.f64, MERGE.sum, 1, 'bytes'),
          averageRecord('job.load', 3, 2),
          averageRecord('idle', 0, 0),
          textRecord('state', 'up', MERGE.none),
        ],
        { fileId: 21n, heartbeat: 1000 },
      ),
      file(
        [
          scalar('pool.low', KIND.gauge, ENC.f64, MERGE.min, 1),
          scalar('pool.high', KIND.gauge, ENC.f64, MERGE.max, 9),
          scalar('pool.mean', KIND.gauge, ENC.f64, MERGE.avg, 5),
          scalar('config.version', KIND.gauge, ENC.f64, MERGE.last, 8),
          scalar('bytes.total', KIND.counter, ENC.i64, MERGE.sum, 5),
          scalar('requests', KIND.counter, ENC.u64, MERGE.sum, 3),
          scalar('sent', KIND.counter, ENC.f64, MERGE.sum, 1, 'octets'),
          averageRecord('job.load', 0, 0),
          averageRecord('idle', 0, 0),
          textRecord('state', 'down', MERGE.none),
        ],
        // No heartbeat: its time is created, 1001, later than the first file's heartbeat.
        { fileId: 22n, heartbeat: 0, created: 1001 },
      ),
    ],
    groups: [
      { label: 'bytes.total', dims: {}, merged: true, value: numberJson(big + 5n) },
      { label: 'config.version', dims: {}, merged: true, value: 8 },
      { label: 'idle', dims: {}, merged: true, value: { sum: 0, count: 0 }, mean: null },
      { label: 'job.load', dims: {}, merged: true, value: { sum: 3, count: 2 }, mean: 1.5 },
      { label: 'pool.high', dims: {}, merged: true, value: 9 },
      { label: 'pool.low', dims: {}, merged: true, value: 1 },
      { label: 'pool.mean', dims: {}, merged: true, value: 4.5 },
      { label: 'requests', dims: {}, merged: true, value: 5 },
      { label: 'sent', dims: {}, merged: false },
      { label: 'state', dims: {}, merged: false },
    ],
  });
}

{
  // A service's directory with its archive (spec/files.md#archive-reading): a live worker;
  // a dead one whose counts generation 2 of the archive folded already (not counted again);
  // generation 1, superseded by 2 (not counted); and a file with the ARCHIVE flag whose name
  // says generation 3 while its record says 4 (no archive: not counted at all). What counts:
  // the live worker and generation 2, which holds generation 1's counts and the dead worker's.
  // rpc, an exponential histogram (spec/files.md#archive-exphistogram), is in each: generation
  // 2 holds generation 1's (scale 0) merged with the dead worker's (scale 1), at scale 0, and
  // merges with the live worker's (scale 2) at scale 0. Values of few binary digits, so that
  // every sum is exact in any order.
  const params = [1, -2, 2];
  const ARCHIVE = 1 | 4 | 8; // READY | CLOSED | ARCHIVE (minor 2)
  const service = textRecord('mmstats.service', 'api', MERGE.none);
  const info = (label, kind, encoding, v, dims = []) => record({ label, kind, encoding, merge: MERGE.none, dims, value: encoding === ENC.f64 ? f64(v) : u64(v) });
  const requests = (n) => record({ label: 'requests', kind: KIND.counter, encoding: ENC.f64, merge: MERGE.sum, dims: [['code', '200']], value: f64(n) });
  const folded = (id) => info('mmstats.archive.folded', KIND.info, ENC.f64, 1700000100, [['file_id', id.toString(16).padStart(16, '0')]]);
  const archive = (generation, recordGeneration, ids, n, h, rpc) => file([service, info('mmstats.archive.generation', KIND.info, ENC.u64, recordGeneration), ...ids.map(folded), requests(n), histogramRecord('latency', h), expHistogramRecord('rpc', rpc)], { fileId: 900n + BigInt(generation), flags: ARCHIVE, pid: 77, minor: 2, capacity: 8192 });
  const live = histogram([0.1, 0.3], params);
  const dead = histogram([0.4, 0.6], params);
  const first = histogram([0.2], params);
  const second = mergeHistograms([first, dead]);
  const merged = mergeHistograms([live, second]);
  const rpcLive = expHistogram([0.375, 1.5, -0.625, 0, 6.5], 2);
  const rpcDead = expHistogram([0.75, 3, 12.5], 1);
  const rpcFirst = expHistogram([0.875, 6.25, -5.5], 0);
  const rpcSecond = mergeExpHistograms([rpcFirst, rpcDead]);
  const rpcMerged = mergeExpHistograms([rpcLive, rpcSecond]);
  cases.push({
    name: 'archive',
    note: 'service api: a live worker (requests 5), a dead worker (requests 7) folded into archive generation 2 already, generation 1 (requests 3) superseded by generation 2 (requests 10 = 3 + 7), and a file flagged ARCHIVE whose name and generation record disagree: requests merge to 15 over the live worker and generation 2 only; the exponential histogram rpc likewise (generation 2 holds generation 1 at scale 0 merged with the dead worker at scale 1; with the live worker at scale 2 it merges at scale 0); the service and archive records are no groups',
    names: ['api-101.mmstats', 'api-102.mmstats', 'api.archive-0000000001.mmstats', 'api.archive-0000000002.mmstats', 'api.archive-0000000003.mmstats'],
    files: [
      file([service, requests(5), histogramRecord('latency', live), scalar('in_flight', KIND.gauge, ENC.f64, MERGE.sum, 2), expHistogramRecord('rpc', rpcLive)], { fileId: 101n, minor: 2, capacity: 8192 }),
      file([service, requests(7), histogramRecord('latency', dead), scalar('in_flight', KIND.gauge, ENC.f64, MERGE.sum, 1), expHistogramRecord('rpc', rpcDead)], { fileId: 102n, minor: 2, capacity: 8192 }),
      archive(1, 1, [100n], 3, first, rpcFirst),
      archive(2, 2, [100n, 102n], 10, second, rpcSecond),
      archive(3, 4, [101n], 99, live, rpcLive),
    ],
    uncounted: [
      { file: 'api-102.mmstats', reason: 'folded' },
      { file: 'api.archive-0000000001.mmstats', reason: 'superseded' },
      { file: 'api.archive-0000000003.mmstats', reason: 'bad-archive' },
    ],
    quantiles: [0.5, 1],
    groups: [
      { label: 'requests', dims: { code: '200' }, merged: true, value: 15 },
      { label: 'latency', dims: {}, merged: true, value: histogramJson(merged), quantiles: [0.5, 1].map((q) => quantile(merged, q)) },
      { label: 'in_flight', dims: {}, merged: true, value: 2 },
      { label: 'rpc', dims: {}, merged: true, value: expHistogramJson(rpcMerged), quantiles: [0.5, 1].map((q) => expQuantile(rpcMerged, q)) },
    ],
  });
}

rmSync(root, { recursive: true, force: true });
for (const c of cases) {
  const dir = join(root, c.name);
  mkdirSync(dir, { recursive: true });
  const names = c.names ?? c.files.map((_, i) => `file-${i}.mmstats`);
  c.files.forEach((made, i) => writeFileSync(join(dir, names[i]), made.bytes));
  const groups = [...c.groups].sort((x, y) => (x.label < y.label ? -1 : x.label > y.label ? 1 : 0));
  const json = { producer: PRODUCER, note: c.note, files: names, ...(c.now === undefined ? {} : { now: c.now }), ...(c.quantiles === undefined ? {} : { quantiles: c.quantiles }), ...(c.uncounted === undefined ? {} : { uncounted: c.uncounted }), groups };
  writeFileSync(join(root, `${c.name}.json`), `${JSON.stringify(json, null, 1)}\n`);
}
console.log(`wrote ${cases.length} derived-value fixtures under ${root}`);
