/**
 * The golden files of fixtures/v2/ts: each case writes one v2 stats file with our writer,
 * deterministically (fixed pid, tid, file_id, process start and clock, no heartbeat timer).
 * `fixtures/v2/generate.mjs` writes them into the fixtures folder and `golden.test.ts`
 * writes them again and compares bytes. Each case also says, by its own arithmetic (bucket
 * indices by `Math.log2`, window slots by the spec's formulas), what some records must
 * decode to, so a wrong writer cannot bless its own output.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { decodeV2, toJsonV2File, type JsonData } from '@mmstats/format';
import { average, counter, defineModel, gauge, histogram, info, text, timer, window, type StatsFileV2 } from '../index.js';
import type { InternalHooks } from '../common/file-options.js';
import { beat } from './stats.js';

/** One golden file. */
export interface GoldenV2Case {
  /** File name without `.mmstats`. */
  readonly name: string;
  /** What the file shows (goes into the JSON's `note`). */
  readonly note: string;
  /** Opens the model in `path` as `filename`, makes the updates, returns the file (open, or closed). */
  readonly write: (options: { readonly path: string; readonly filename: string }) => StatsFileV2;
  /** Values some records must decode to, by label, in the JSON form of spec/expected-json.md#v2. */
  readonly expected: Readonly<Record<string, JsonData>>;
}

/** The fixed clock of the cases: `created` at open, then whatever a case sets. Unix seconds. */
let now = 0;
const CREATED = 1700000002.5;
/** The clock of the window cases, Unix seconds. */
const NOW = 1700000100;

/** Fixed identity, so the files do not change between runs (the same as the earlier primitive-made files). */
const hooks: InternalHooks = {
  clock: () => now,
  pid: 31337,
  tid: 31338,
  fileId: 0x5eed0000cafe0001n,
  processStart: 1700000000.25,
  pidNs: 4026532512n,
  bootId: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b',
  heartbeatTimer: false,
};

function options(o: { readonly path: string; readonly filename: string }, capacity: number, heartbeatMs = 0) {
  now = CREATED;
  return { ...o, capacity, heartbeatMs, internal: hooks };
}

const AllKinds = defineModel(
  {
    requests: counter({ label: 'http.requests', unit: 'requests', help: 'HTTP requests served', dims: { status: '200', method: 'GET' } }),
    sent: counter({ label: 'bytes.sent', encoding: 'u64', unit: 'bytes', help: 'bytes written to sockets' }),
    temperature: gauge({ unit: 'celsius', merge: 'avg', help: 'coldest possible' }),
    nan: gauge({ label: 'gauge.nan', merge: 'max' }),
    inf: gauge({ label: 'gauge.inf', merge: 'min' }),
    balance: gauge({ encoding: 'i64', unit: 'cents' }),
    u64: gauge({ label: 'gauge.u64', encoding: 'u64', merge: 'last' }),
    state: text({ capacity: 9, help: 'cut at a character boundary' }),
    responseSize: histogram({ label: 'response.size', unit: 'bytes', k: 2, minExp: 0, maxExp: 20 }),
    duration: timer({ label: 'request.duration', dims: { route: '/api/é' } }),
    batch: average({ label: 'batch.size', unit: 'items' }),
    events: window({ slots: 10, slotMs: 1000 }),
    start: info({ label: 'process.start', unit: 'seconds', value: 1700000000.25 }),
    version: info({ label: 'node.version', value: 'v22.3.0', capacity: 16 }),
    pid: info({ value: 31337, encoding: 'i64' }),
  },
  { system: false },
);

const HistogramKnown = defineModel(
  { query: timer({ label: 'db.query', help: 'query latency', k: 3, minExp: -10, maxExp: 0 }) },
  { system: false },
);

const ExpHistogramKnown = defineModel(
  { rows: histogram({ label: 'db.rows', unit: 'seconds', help: 'row fetch time', encoding: 'exponential' }) },
  { system: false },
);

const WindowFixedClock = defineModel({ jobs: window({ label: 'jobs.done', unit: 'jobs', help: 'jobs finished in the last minute' }) }, { system: false });

const RuntimeRecords = defineModel({ startup: counter({ label: 'startup.records' }) }, { system: false });

const Empty = defineModel({}, { system: false });

const knownValues: number[] = [];
for (let ms = 1; ms <= 1000; ms++) knownValues.push(ms / 1000);
knownValues.push(0, -1, 5, 1e300, Infinity, Number.NaN); // underflow, underflow, overflow, overflow, then two values ignored and counted
const knownRecorded = knownValues.filter((v) => Number.isFinite(v));

// 1 ms ... 1000 ms span 10 powers of two: at the starting scale 8 that is 2560 buckets, so the
// writer downscales to 4, the finest scale at which they fit in 160 slots. Then the zero bucket,
// two negative values, and two values ignored and counted.
const expValues: number[] = knownValues.slice(0, 1000);
expValues.push(0, -0.5, -3, Infinity, Number.NaN);
const expRecorded = expValues.filter((v) => Number.isFinite(v));

const windowAdds: Array<[number, number]> = [];
for (let i = 0; i < 90; i += 7) windowAdds.push([NOW - 89 + i, i % 5]); // the first ones are overwritten or age out
windowAdds.push([NOW + 0.75, 10]);

const empty = { count: 0, sum: 0, min: 0, max: 0, buckets: {} };

/** Every golden case, in name order. */
export const goldenV2Cases: readonly GoldenV2Case[] = [
  {
    name: 'all-kinds',
    note: 'one record of every kind and encoding: units, help, dimensions, big and non-finite scalars, a cut text, histograms, an average and a window (clock fixed at 1700000100)',
    write(o) {
      const s = AllKinds.open(options(o, 16384));
      s.requests.incr(12345);
      s.sent.value = 2n ** 64n - 1n;
      s.temperature.set(-273.15);
      s.nan.set(Number.NaN);
      s.inf.set(Infinity);
      s.balance.value = -(2n ** 63n);
      s.u64.value = 2n ** 53n;
      s.state.value = 'héllo wörld, cut'; // 9 bytes end inside "ö": cut before it
      for (const v of [1, 1.5, 3, 1000, 0.5, 2 ** 20]) s.responseSize.observe(v);
      for (const v of [0.001, 0.002, 0.25]) s.duration.record(v);
      for (const v of [10, 20, 33]) s.batch.add(v);
      for (const [t, v] of [[NOW - 12, 100], [NOW - 3, 1], [NOW - 3, 2], [NOW, 4]] as const) s.events.add(v, t);
      return s;
    },
    expected: {
      'http.requests': 12345, 'bytes.sent': '18446744073709551615', temperature: -273.15, 'gauge.nan': 'NaN', 'gauge.inf': 'Infinity',
      balance: '-9223372036854775808', 'gauge.u64': '9007199254740992', state: 'héllo w',
      'response.size': { count: 6, sum: 1 + 1.5 + 3 + 1000 + 0.5 + 2 ** 20, min: 0.5, max: 2 ** 20, buckets: ownBuckets([1, 1.5, 3, 1000, 0.5, 2 ** 20], 2, 0, 20) },
      'batch.size': { sum: 63, count: 3 },
      events: { slot_ms: 1000, slots: [{ slot: 0, start: NOW, count: 1, sum: 4 }, { slot: 7, start: NOW - 3, count: 2, sum: 3 }, { slot: 8, start: NOW - 12, count: 1, sum: 100 }] },
      'process.start': 1700000000.25, 'node.version': 'v22.3.0', pid: 31337,
    },
  },
  {
    name: 'exphistogram-known',
    note: 'an exponential histogram (histogram({ encoding: \'exponential\' }): 160 slots a sign, scale 8 to start) that observed 1 ms, 2 ms ... 1000 ms, downscaling in place to scale 4, then 0 (the zero bucket), -0.5 and -3, then +Infinity and NaN (ignored, counted in mmstats.rejected_values)',
    write(o) {
      const s = ExpHistogramKnown.open(options(o, 8192));
      for (const v of expValues) s.rows.observe(v);
      return s;
    },
    expected: {
      'db.rows': ownExpHistogram(expRecorded, 160, 8),
      'mmstats.rejected_values': 2,
    },
  },
  {
    name: 'full',
    note: 'eight 760-byte histogram records (k = 1, 82 buckets) added to an open 4096-byte file: five fit, three are dropped (FULL, dropped_records 3); then CLOSED',
    write(o) {
      const s = Empty.open(options(o, 4096));
      for (let i = 0; i < 8; i++) s.add(`latency.${i}`, timer({ k: 1, minExp: -20, maxExp: 20 }));
      s.close();
      return s;
    },
    expected: { 'latency.0': empty, 'latency.1': empty, 'latency.2': empty, 'latency.3': empty, 'latency.4': empty },
  },
  {
    name: 'histogram-known',
    note: 'a timer (k = 3, 2^-10 to 2^0) that observed 1 ms, 2 ms ... 1000 ms, then 0, -1, 5, 1e300 (outside the range), then +Infinity and NaN (ignored, counted in mmstats.rejected_values)',
    write(o) {
      const s = HistogramKnown.open(options(o, 4096));
      for (const v of knownValues) s.query.record(v);
      return s;
    },
    expected: {
      'db.query': { count: knownRecorded.length, sum: knownRecorded.reduce((a, b) => a + b, 0), min: -1, max: 1e300, buckets: ownBuckets(knownRecorded, 3, -10, 0) },
      'mmstats.rejected_values': 2,
    },
  },
  {
    name: 'runtime-records',
    note: 'one record at creation, three gauges added after READY, heartbeat set (interval 1000 ms)',
    write(o) {
      const s = RuntimeRecords.open(options(o, 4096, 1000));
      s.startup.incr();
      ['runtime.a', 'runtime.b', 'runtime.c'].forEach((label, i) => s.add(label, gauge({ dims: { index: String(i) } })).set(i + 0.5));
      now = 1700000050.5;
      s[beat]();
      return s;
    },
    expected: { 'startup.records': 1, 'runtime.a': 0.5, 'runtime.b': 1.5, 'runtime.c': 2.5 },
  },
  {
    name: 'window-fixed-clock',
    note: 'a 60 x 1000 ms window (the TypeScript default) written at 1700000011, +7 s ... 1700000095, then 1700000100.75: 13 slots used, some from more than 60 s before the last write',
    write(o) {
      const s = WindowFixedClock.open(options(o, 4096));
      for (const [t, v] of windowAdds) s.jobs.add(v, t);
      return s;
    },
    expected: { 'jobs.done': ownWindow(windowAdds, 60, 1000) },
  },
];

/** What wrote the golden files, as their JSON says. */
export const goldenV2Producer = `@mmstats/writer ${(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version} (fixtures/v2/generate.mjs)`;

/** The expected-value JSON of a v2 golden file (spec/expected-json.md#v2-fixture-json), from decoding it. */
export function goldenV2Json(bytes: Uint8Array, note: string): JsonData {
  const decoded = decodeV2(bytes);
  if (!decoded.ok) throw decoded.error;
  return toJsonV2File(decoded.value, { producer: goldenV2Producer, note, fileSize: bytes.length });
}

/**
 * The records of `json` whose values `golden.expected` names, as `[label, found, wanted]`,
 * for the ones that differ (an empty list when all match).
 */
export function unexpectedValues(golden: GoldenV2Case, json: JsonData): Array<[string, JsonData | undefined, JsonData]> {
  const records = (json as { records: Array<{ label: string; value?: JsonData }> }).records;
  const values = new Map(records.map((r) => [r.label, r.value]));
  return Object.entries(golden.expected).flatMap(([label, want]): Array<[string, JsonData | undefined, JsonData]> => {
    const got = values.get(label);
    return JSON.stringify(got) === JSON.stringify(want) ? [] : [[label, got, want]];
  });
}

/** Bucket counts of `values` by the table of spec/format-v2.md#enc-histogram, with Math.log2 instead of bits. */
function ownBuckets(values: readonly number[], k: number, minExp: number, maxExp: number): Record<string, number> {
  const n = (maxExp - minExp) * 2 ** k + 2;
  const counts: Record<string, number> = {};
  for (const v of values) {
    let i: number;
    if (v < 2 ** minExp) i = 0;
    else if (v >= 2 ** maxExp) i = n - 1;
    else {
      const e = Math.floor(Math.log2(v));
      const m = Math.floor((v / 2 ** e - 1) * 2 ** k);
      i = 1 + (e - minExp) * 2 ** k + m;
    }
    counts[i] = (counts[i] ?? 0) + 1;
  }
  // JSON objects list integer keys in ascending order, as the decoder's JSON does.
  return counts;
}

/**
 * The JSON of an exponential histogram of `values` (spec/format-v2.md#enc-exphistogram), with
 * Math.log2 instead of bits: the scale is the finest from `start` down at which each sign's
 * buckets fit in `n` slots (where in-place downscaling ends), a power of two `2^e` is in
 * bucket `e × 2^s − 1`, another `v` in `⌊log2(v) × 2^s⌋` (at s ≤ 0, `⌊log2(v) / 2^−s⌋`).
 */
function ownExpHistogram(values: readonly number[], n: number, start: number): JsonData {
  const index = (m: number, s: number): number => {
    const log = Math.log2(m);
    return Number.isInteger(log) ? Math.ceil(log * 2 ** s) - 1 : Math.floor(log * 2 ** s);
  };
  const sideAt = (sign: number, s: number): Map<number, number> => {
    const out = new Map<number, number>();
    for (const v of values.filter((x) => Math.sign(x) === sign)) out.set(index(Math.abs(v), s), (out.get(index(Math.abs(v), s)) ?? 0) + 1);
    return out;
  };
  const fits = (side: Map<number, number>): boolean => side.size === 0 || Math.max(...side.keys()) - Math.min(...side.keys()) < n;
  let scale = start;
  while (!fits(sideAt(1, scale)) || !fits(sideAt(-1, scale))) scale--;
  const json = (side: Map<number, number>): Record<string, number> => Object.fromEntries([...side].sort((a, b) => a[0] - b[0]).map(([i, c]) => [String(i), c]));
  return {
    count: values.length, sum: values.reduce((a, b) => a + b, 0), min: Math.min(...values), max: Math.max(...values),
    scale, zero_threshold: 0, zero_count: values.filter((v) => v === 0).length,
    positive: json(sideAt(1, scale)), negative: json(sideAt(-1, scale)),
  };
}

/** The JSON of a window after adding `adds` ([t, v]) in order, by the rules of spec/format-v2.md#enc-window. */
function ownWindow(adds: ReadonlyArray<readonly [number, number]>, n: number, w: number): JsonData {
  const slots = Array.from({ length: n }, () => ({ start: 0, count: 0, sum: 0 }));
  for (const [t, v] of adds) {
    const s = Math.floor((t * 1000) / w);
    const slot = slots[s % n]!;
    if (slot.start !== (s * w) / 1000) Object.assign(slot, { start: (s * w) / 1000, count: 0, sum: 0 });
    slot.count += 1;
    slot.sum += v;
  }
  return { slot_ms: w, slots: slots.flatMap((slot, i) => (slot.start === 0 ? [] : [{ slot: i, ...slot }])) };
}
