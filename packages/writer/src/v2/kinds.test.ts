import test from 'ava';
import { expBucketIndex, expHistogramQuantile, histogramBucketIndex, histogramQuantile, windowStats, type ExpHistogramValue, type HistogramValue, type WindowValue } from '@mmstats/format';
import {
  average, bool, byte, counter, defineModel, double, float, gauge, histogram, info, int, movingAverage, short, staticDouble,
  staticFloat, staticInt64, staticText, staticUint, staticUint64, string, text, timer, uint, uint64, ushort, window,
  MmstatsError, ErrorCodes,
} from '../index.js';
import { readV2, tempDir } from '../common/test-support.test.util.js';

let clock = 0;
const Everything = defineModel(
  {
    hits: counter({ unit: 'requests', help: 'requests served', dims: { method: 'GET', status: '200' } }),
    bytes: counter({ encoding: 'u64', unit: 'bytes' }),
    load: gauge({ merge: 'avg' }),
    balance: gauge({ encoding: 'i64' }),
    big: gauge({ encoding: 'u64', merge: 'max' }),
    state: text({ capacity: 9 }),
    name: string({ size: 16 }),
    mean: average({ unit: 'items' }),
    sizes: histogram({ k: 2, minExp: 0, maxExp: 20, unit: 'bytes' }),
    latency: timer({ clock: () => clock }),
    events: window({ slots: 10, slotMs: 1000 }),
    recent: movingAverage({ size: 2 }),
    version: info({ value: 'v1.2.3' }),
    started: info({ value: 1700000000.5, unit: 'seconds' }),
    id: info({ value: -5n }),
    u64: uint64(),
    u32: uint(),
    i32: int(),
    i16: short(),
    u16: ushort(),
    i8: byte(),
    f32: float(),
    f64: double(),
    flag: bool(),
    on: bool({ initial: true }),
    sf32: staticFloat({ value: 0.1 }),
    sf64: staticDouble({ value: -2.75 }),
    su32: staticUint({ value: 4_000_000_000 }),
    si64: staticInt64({ value: -(2n ** 40n) }),
    su64: staticUint64({ value: 2n ** 64n - 1n }),
    stext: staticText({ value: 'static ✓' }),
  },
  { system: false },
);

test('every v2 kind is written with its kind, encoding, merge rule, unit, help and dimensions', (t) => {
  const stats = Everything.open({ path: tempDir(t) });
  const { records } = readV2(stats.path);
  const described = Object.fromEntries(records.map((r) => [r.label, `${r.kindName}/${r.encodingName}/${r.mergeName}/${r.unit}`]));
  t.deepEqual(described, {
    hits: 'counter/f64/sum/requests', bytes: 'counter/u64/sum/bytes', load: 'gauge/f64/avg/', balance: 'gauge/i64/sum/',
    big: 'gauge/u64/max/', state: 'text/text/none/', name: 'text/text/none/', mean: 'average/average/sum/items',
    sizes: 'histogram/histogram/sum/bytes', latency: 'timer/histogram/sum/seconds', events: 'window/window/sum/',
    recent: 'gauge/f64/avg/', version: 'info/text/none/', started: 'info/f64/none/seconds', id: 'info/i64/none/',
    u64: 'gauge/u64/sum/', u32: 'gauge/f64/sum/', i32: 'gauge/f64/sum/', i16: 'gauge/f64/sum/', u16: 'gauge/f64/sum/',
    i8: 'gauge/f64/sum/', f32: 'gauge/f64/sum/', f64: 'gauge/f64/sum/', flag: 'gauge/f64/sum/', on: 'gauge/f64/sum/',
    sf32: 'info/f64/none/', sf64: 'info/f64/none/', su32: 'info/u64/none/', si64: 'info/i64/none/', su64: 'info/u64/none/',
    stext: 'info/text/none/',
  });
  const hits = records.find((r) => r.label === 'hits')!;
  t.is(hits.help, 'requests served');
  t.deepEqual(hits.dims, [['method', 'GET'], ['status', '200']]);
  // Every value is 8-byte aligned (spec/format-v2.md#alignment).
  t.true(records.every((r) => r.valueOffset % 8 === 0 && r.offset % 8 === 0));
});

test('the values of every kind round-trip through @mmstats/format’s decodeV2', (t) => {
  const s = Everything.open({ path: tempDir(t) });
  s.hits.incr();
  s.hits.incr(41);
  s.bytes.value = 2n ** 64n - 1n;
  s.load.set(2);
  s.load.inc(0.5);
  s.load.dec();
  s.balance.value = -(2n ** 63n);
  s.big.value = 2 ** 53;
  s.state.value = 'héllo wörld'; // 9 bytes end inside "ö": cut before it
  s.name.value = 'short';
  for (const x of [10, 20, 33]) s.mean.add(x);
  for (const v of [1, 1.5, 3, 1000, 0.5, 2 ** 20, NaN]) s.sizes.observe(v);
  clock = 10;
  s.latency.start();
  clock = 10.25;
  t.is(s.latency.stop(), 0.25);
  s.latency.record(0.002);
  t.is(s.latency.time(() => 'done'), 'done');
  s.events.add(4, 1700000100);
  s.events.add(1, 1700000097.5);
  s.events.add(2, 1700000097.9);
  s.recent.add(3);
  s.recent.add(5);
  s.recent.add(9);
  s.u64.value = 2n ** 64n - 2n;
  s.u32.value = -100;
  s.i32.value = 2 ** 31;
  s.i16.value = 40000;
  s.u16.value = -1;
  s.i8.value = 200;
  s.f32.value = 0.1;
  s.f64.value = Math.PI;
  s.flag.value = true;

  const { values } = readV2(s.path);
  t.is(values.get('hits{method=GET,status=200}'), 42);
  t.is(values.get('bytes'), 2n ** 64n - 1n);
  t.is(values.get('load'), 1.5);
  t.is(values.get('balance'), -(2n ** 63n));
  t.is(values.get('big'), 2n ** 53n);
  t.is(values.get('state'), 'héllo w');
  t.is(values.get('name'), 'short');
  t.deepEqual(values.get('mean'), { sum: 63, count: 3 });
  const sizes = values.get('sizes') as HistogramValue;
  t.like(sizes, { count: 6, sum: 1 + 1.5 + 3 + 1000 + 0.5 + 2 ** 20, min: 0.5, max: 2 ** 20 });
  const params = { k: 2, minExp: 0, maxExp: 20 };
  const want = new Float64Array(sizes.buckets.length);
  for (const v of [1, 1.5, 3, 1000, 0.5, 2 ** 20]) want[histogramBucketIndex(v, params)]! += 1;
  t.deepEqual([...sizes.buckets], [...want]);
  const latency = values.get('latency') as HistogramValue;
  t.like(latency, { count: 3, min: 0, max: 0.25 });
  const events = values.get('events') as WindowValue;
  t.like(windowStats(events, 1700000100.5), { count: 3, sum: 7 });
  t.is(values.get('recent'), 7);
  t.is(values.get('version'), 'v1.2.3');
  t.is(values.get('started'), 1700000000.5);
  t.is(values.get('id'), -5n);
  t.is(values.get('u64'), 2n ** 64n - 2n);
  t.is(values.get('u32'), 4294967196);
  t.is(values.get('i32'), -(2 ** 31));
  t.is(values.get('i16'), 40000 - 65536);
  t.is(values.get('u16'), 65535);
  t.is(values.get('i8'), -56);
  t.is(values.get('f32'), Math.fround(0.1));
  t.is(values.get('f64'), Math.PI);
  t.is(values.get('flag'), 1);
  t.is(values.get('on'), 1);
  t.is(values.get('sf32'), Math.fround(0.1));
  t.is(values.get('sf64'), -2.75);
  t.is(values.get('su32'), 4_000_000_000n);
  t.is(values.get('si64'), -(2n ** 40n));
  t.is(values.get('su64'), 2n ** 64n - 1n);
  t.is(values.get('stext'), 'static ✓');

  // What the handles say is what readers see.
  t.is(s.hits.value, 42);
  t.is(s.bytes.value, 2n ** 64n - 1n);
  t.is(s.balance.value, -(2n ** 63n));
  t.is(s.big.value as number | bigint, 2n ** 53n); // past 2^53 − 1: a bigint, exact
  t.is(s.state.value, 'héllo w');
  t.is(s.mean.mean, 21);
  t.like(s.sizes, { count: 6, min: 0.5, max: 2 ** 20 });
  t.is(s.latency.last, 0);
  t.like(s.events.read(1700000100.5), { count: 3, sum: 7 });
  t.is(s.version.value, 'v1.2.3');
  t.is(s.id.value, -5);
  t.is(s.su64.value, 2n ** 64n - 1n);
  t.is(s.u32.value, 4294967196);
  t.true(s.flag.value);
});

test('histogram observe finds the bucket from the value’s bits, as histogramBucketIndex does', (t) => {
  const Model = defineModel({ h: histogram({ k: 3, minExp: -10, maxExp: 0 }) }, { system: false });
  const stats = Model.open({ path: tempDir(t) });
  const values: number[] = [0, -0, -1, 5, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** -10, 2 ** -10 - 1e-12, 1, 1 - 1e-16, Number.MIN_VALUE, 2 ** -1074];
  for (let i = 0; i < 2000; i++) values.push(Math.random() * 2 ** (Math.random() * 14 - 12));
  for (const v of values) stats.h.observe(v);
  const h = readV2(stats.path).values.get('h') as HistogramValue;
  const want = new Float64Array(h.buckets.length);
  for (const v of values) want[histogramBucketIndex(v, { k: 3, minExp: -10, maxExp: 0 })]! += 1;
  t.deepEqual([...h.buckets], [...want]);
  t.is(h.count, values.length);
  t.is(h.min, -Number.MAX_VALUE);
  t.is(h.max, Number.MAX_VALUE);
});

test('merged percentiles of timers written by the writer are within the stated error', (t) => {
  const Model = defineModel({ t: timer() }, { system: false });
  const stats = Model.open({ path: tempDir(t) });
  const observed: number[] = [];
  for (let ms = 1; ms <= 1000; ms++) {
    stats.t.record(ms / 1000);
    observed.push(ms / 1000);
  }
  const h = readV2(stats.path).values.get('t') as HistogramValue;
  for (const q of [0.5, 0.9, 0.99]) {
    const exact = observed[Math.ceil(q * observed.length) - 1]!;
    t.true(Math.abs(histogramQuantile(h, q)! - exact) <= exact / 32, `p${q * 100}`);
  }
});

test('an exponential histogram keeps every value in its bucket, downscaling in place as the range grows', (t) => {
  const Model = defineModel({ h: histogram({ encoding: 'exponential', scale: 6, buckets: 140, zeroThreshold: 1e-9, unit: 'seconds' }) }, { system: false });
  const stats = Model.open({ path: tempDir(t) });
  const values: number[] = [0, -0, 5e-10, NaN, Infinity, 1, 2, -3];
  for (let i = 0; i < 2000; i++) values.push((Math.random() < 0.1 ? -1 : 1) * 2 ** (Math.random() * 40 - 20));
  for (const v of values) stats.h.observe(v);
  t.is(stats.h.rejected, 2);
  const h = readV2(stats.path).values.get('h') as ExpHistogramValue;
  t.true(h.scale < 6, `scale ${h.scale}`);
  t.is(h.scale, stats.h.scale);
  const recordedValues = values.filter(Number.isFinite);
  t.is(h.count, recordedValues.length);
  t.is(h.zeroCount, 3);
  // Every value's bucket at the final scale, as the file has them, on each side.
  const bucketCounts = (magnitudes: number[]): [number, number][] => {
    const counts = new Map<number, number>();
    for (const m of magnitudes) counts.set(expBucketIndex(m, h.scale), (counts.get(expBucketIndex(m, h.scale)) ?? 0) + 1);
    return [...counts].sort((a, b) => a[0] - b[0]);
  };
  const stored = (side: ExpHistogramValue['positive']): [number, number][] => [...side.counts].flatMap((c, j): [number, number][] => (c === 0 ? [] : [[side.offset + j, c]]));
  t.deepEqual(stored(h.positive), bucketCounts(recordedValues.filter((v) => v > 1e-9)));
  t.deepEqual(stored(h.negative), bucketCounts(recordedValues.filter((v) => v < -1e-9).map((v) => -v)));
  const sorted = [...recordedValues].sort((a, b) => a - b);
  t.is(h.min, sorted[0]!);
  t.is(h.max, sorted.at(-1)!);
  t.is(h.sum, recordedValues.reduce((a, b) => a + b, 0));
  const exact = sorted[Math.ceil(0.9 * sorted.length) - 1]!;
  t.true(Math.abs(expHistogramQuantile(h, 0.9)! - exact) <= ((2 ** (2 ** -h.scale) - 1) / 2) * exact);
});

test('bad exponential histogram options are INVALID_FIELD', (t) => {
  t.throws(() => histogram({ encoding: 'exponential', scale: 9 }), { code: ErrorCodes.INVALID_FIELD });
  t.throws(() => histogram({ encoding: 'exponential', buckets: 131 }), { code: ErrorCodes.INVALID_FIELD });
  t.throws(() => histogram({ encoding: 'exponential', zeroThreshold: -1 }), { code: ErrorCodes.INVALID_FIELD });
});

test('windows reset a slot that still counts an older interval, with the clock given or the default one', (t) => {
  const Model = defineModel({ w: window({ slots: 3, slotMs: 500 }), d: window() }, { system: false });
  const stats = Model.open({ path: tempDir(t) });
  stats.w.add(1, 100.1);
  stats.w.add(2, 100.2);
  stats.w.add(5, 101.6); // slot of 100.0 again (3 slots of 0.5 s later): reset first
  const w = readV2(stats.path).values.get('w') as WindowValue;
  t.deepEqual(w.slots.filter((s) => s.start !== 0), [{ start: 101.5, count: 1, sum: 5 }]);
  const before = Date.now() / 1000;
  stats.d.add(3);
  const d = stats.d.read();
  t.is(d.count, 1);
  t.is(d.mean, 3);
  t.true(d.elapsed >= 59 && d.elapsed <= 60 + (Date.now() / 1000 - before));
});

test('bad field options are INVALID_FIELD when the field is defined or opened', (t) => {
  t.throws(() => histogram({ k: 9 }), { code: ErrorCodes.INVALID_FIELD });
  t.throws(() => histogram({ minExp: 3, maxExp: 3 }), { code: ErrorCodes.INVALID_FIELD });
  t.throws(() => window({ slots: 0 }), { code: ErrorCodes.INVALID_FIELD });
  t.throws(() => window({ slotMs: 0.5 }), { code: ErrorCodes.INVALID_FIELD });
  t.throws(() => text({ capacity: 0 }), { code: ErrorCodes.INVALID_FIELD });
  const EmptyKey = defineModel({ a: counter({ dims: { '': 'x' } }) }, { system: false });
  const error = t.throws(() => EmptyKey.open({ path: tempDir(t) }), { instanceOf: MmstatsError });
  t.is(error.code, ErrorCodes.INVALID_FIELD);
  t.regex(error.message, /empty dimension key/);
});

test('one label may have several records with different dimensions, but not the same twice', (t) => {
  const Ok = defineModel({ get: counter({ label: 'req', dims: { method: 'GET' } }), put: counter({ label: 'req', dims: { method: 'PUT' } }) }, { system: false });
  const stats = Ok.open({ path: tempDir(t) });
  stats.get.incr();
  stats.put.incr(2);
  t.deepEqual([...readV2(stats.path).values], [['req{method=GET}', 1], ['req{method=PUT}', 2]]);
  const Twice = defineModel({ a: gauge({ label: 'x', dims: { k: 'v' } }), b: gauge({ label: 'x', dims: { k: 'v' } }) }, { system: false });
  t.throws(() => Twice.open({ path: tempDir(t) }), { code: ErrorCodes.INVALID_FIELD, message: /two fields have the label "x" and dimensions k=v/ });
});

test('handles are fully typed from the definitions, per format', (t) => {
  const Model = defineModel({ c: counter(), h: histogram(), g: gauge({ encoding: 'i64' }) }, { system: false });
  const v2 = Model.open({ path: tempDir(t) });
  const n: number = v2.c.value;
  v2.h.observe(1);
  const big: number | bigint = v2.g.value;
  // @ts-expect-error a counter has no observe()
  t.throws(() => v2.c.observe(1));
  const Plain = defineModel({ c: counter() }, { system: false });
  const v1 = Plain.open({ path: tempDir(t), format: 1 });
  const count: number | bigint = v1.c.value;
  // @ts-expect-error a v1 file has no add()
  t.is(typeof v1.add, 'undefined');
  t.is(v1.format, 1);
  t.is(v2.format, 2);
  t.deepEqual([n, big, count], [0, 0, 0]);
});
