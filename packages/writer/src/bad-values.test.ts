import test, { type ExecutionContext } from 'ava';
import { setImmediate as tick } from 'node:timers/promises';
import { average, bool, byte, counter, defineModel, double, float, gauge, histogram, int, movingAverage, short, string, text, timer, uint, uint64, ushort, window } from './index.js';
import { REJECTED_VALUE_WARNING, REJECTED_VALUES_LABEL } from './index.js';
import { readBack, readV2, tempDir } from './common/test-support.test.util.js';

// spec/files.md#bad-values: an update with a value its field cannot take is ignored (the file
// reads exactly as before), counted on the handle (and, in v2, in mmstats.rejected_values),
// warned about once per field, and never throws into the app.

/** A value of the wrong type, as plain JavaScript callers pass them (TypeScript would refuse). */
const wrong = <T>(value: unknown): T => value as T;

const fields = {
  hits: counter(),
  load: gauge(),
  flag: bool(),
  note: text({ capacity: 16 }),
  mean: average(),
  recent: movingAverage({ size: 4 }),
  wrapped: uint(),
  timing: timer(),
};
const V2 = defineModel({ ...fields, big: counter({ encoding: 'u64' }), exact: gauge({ encoding: 'i64' }), sizes: histogram(), rate: window() }, { system: false });
const V1 = defineModel({ ...fields, ratio: double(), f32: float(), i32: int(), i16: short(), u16: ushort(), i8: byte(), u64: uint64(), name: string({ size: 8 }) }, { system: false, format: 1 });

/** A field handle by name, for the tables of bad updates below. */
function handle(stats: object, name: string): { readonly rejected: number } {
  return (stats as Record<string, { readonly rejected: number }>)[name]!;
}

/** The rejected-value warnings about the file at `path` from now on (tests in this file run concurrently). */
function collectWarnings(t: ExecutionContext, path: string): string[] {
  const seen: string[] = [];
  const listener = (warning: Error & { code?: string }) => {
    if (warning.code === REJECTED_VALUE_WARNING && warning.message.startsWith(`${path}: `)) seen.push(warning.message);
  };
  process.on('warning', listener);
  t.teardown(() => process.off('warning', listener));
  return seen;
}

test('v2: every update ignores NaN, ±Infinity, non-numbers and negative counts, counts them and warns once per field', async (t) => {
  const s = V2.open({ path: tempDir(t) });
  const warnings = collectWarnings(t, s.path);
  // Good values first, so "unchanged" is not just "still zero".
  s.hits.incr(2);
  s.big.incr(5n);
  s.load.set(1.5);
  s.exact.set(7n);
  s.wrapped.value = 9;
  s.flag.value = true;
  s.note.value = 'ok';
  s.mean.add(2);
  s.recent.add(3);
  s.sizes.observe(0.25);
  s.timing.record(0.5);
  s.rate.add(1);
  const before = readV2(s.path).values;
  const bad: Record<string, Array<() => void>> = {
    hits: [() => s.hits.incr(NaN), () => s.hits.incr(Infinity), () => s.hits.incr(-3), () => s.hits.incr(wrong('5')), () => (s.hits.value = -1), () => (s.hits.value = NaN)],
    big: [() => s.big.incr(-1n), () => s.big.incr(NaN), () => (s.big.value = wrong('3'))],
    load: [() => s.load.set(wrong('5')), () => s.load.inc(NaN), () => s.load.dec(Infinity), () => (s.load.value = wrong(undefined))],
    exact: [() => s.exact.set(NaN), () => s.exact.inc(wrong('1')), () => (s.exact.value = Infinity)],
    wrapped: [() => (s.wrapped.value = NaN), () => s.wrapped.set(Infinity), () => (s.wrapped.value = wrong('7'))],
    flag: [() => (s.flag.value = wrong(1)), () => (s.flag.value = wrong('false'))],
    note: [() => (s.note.value = wrong(123)), () => (s.note.value = wrong(undefined)), () => (s.note.value = wrong({ toString: () => { throw new Error('never called'); } }))],
    mean: [() => s.mean.add(NaN), () => s.mean.add(wrong('2'))],
    recent: [() => s.recent.add(NaN), () => s.recent.add(-Infinity)],
    sizes: [() => s.sizes.observe(NaN), () => s.sizes.observe(Infinity), () => s.sizes.observe(-Infinity), () => s.sizes.observe(wrong('1'))],
    timing: [() => s.timing.record(NaN), () => s.timing.record(Infinity)],
    rate: [() => s.rate.add(NaN), () => s.rate.add(1, NaN), () => s.rate.add(wrong('1'))],
  };
  for (const updates of Object.values(bad)) for (const update of updates) t.notThrows(update);
  await tick();

  const after = readV2(s.path).values;
  const total = Object.values(bad).reduce((n, updates) => n + updates.length, 0);
  t.is(after.get(REJECTED_VALUES_LABEL), total);
  after.delete(REJECTED_VALUES_LABEL);
  t.deepEqual(after, before, 'the file reads exactly as before the bad values');
  for (const [name, updates] of Object.entries(bad)) t.is(handle(s, name).rejected, updates.length, name);
  t.is(warnings.length, Object.keys(bad).length, 'one warning per field');
  t.true(warnings.every((w) => w.startsWith(`${s.path}: ${REJECTED_VALUE_WARNING} field "`)));
  // And the fields go on taking good values.
  s.hits.incr();
  s.note.value = 'fine';
  t.like(Object.fromEntries(readV2(s.path).values), { hits: 3, note: 'fine' });
});

test('v1: the same for every v1 field type, counted on the handles (the Python layout has no room for a count)', async (t) => {
  const s = V1.open({ path: tempDir(t) });
  const warnings = collectWarnings(t, s.path);
  s.hits.incr(2);
  s.load.set(1.5);
  s.ratio.value = 0.5;
  s.i32.value = -4;
  s.u64.value = 10n;
  s.name.value = 'ok';
  s.mean.add(2);
  s.timing.record(0.5);
  const before = readBack(s.path);
  const bad: Record<string, Array<() => void>> = {
    hits: [() => s.hits.incr(NaN), () => s.hits.incr(-3), () => s.hits.incr(wrong('5')), () => s.hits.incr(-1n), () => (s.hits.value = Infinity)],
    load: [() => s.load.inc(NaN), () => s.load.set(wrong('1'))],
    ratio: [() => (s.ratio.value = wrong('x'))],
    f32: [() => (s.f32.value = wrong(null))],
    i32: [() => (s.i32.value = NaN), () => (s.i32.value = Infinity)],
    i16: [() => (s.i16.value = wrong('1'))],
    u16: [() => (s.u16.value = -Infinity)],
    i8: [() => (s.i8.value = NaN)],
    wrapped: [() => (s.wrapped.value = NaN)],
    u64: [() => (s.u64.value = NaN), () => (s.u64.value = wrong('2'))],
    flag: [() => (s.flag.value = wrong(0))],
    name: [() => (s.name.value = wrong(5))],
    note: [() => (s.note.value = wrong(undefined))],
    mean: [() => s.mean.add(NaN)],
    recent: [() => s.recent.add(Infinity)],
    timing: [() => s.timing.record(NaN)],
  };
  for (const updates of Object.values(bad)) for (const update of updates) t.notThrows(update);
  await tick();
  t.deepEqual(readBack(s.path), before, 'the file reads exactly as before the bad values');
  for (const [name, updates] of Object.entries(bad)) t.is(handle(s, name).rejected, updates.length, name);
  t.is(warnings.length, Object.keys(bad).length, 'one warning per field');
});

test('NaN and ±Infinity stay what a float gauge can be set to (the next value replaces them)', (t) => {
  for (const format of [1, 2] as const) {
    const s = defineModel({ g: gauge() }, { system: false, format }).open({ path: tempDir(t) });
    s.g.set(NaN);
    t.true(Number.isNaN(s.g.value));
    s.g.set(-Infinity);
    t.is(s.g.value, -Infinity);
    t.is(s.g.rejected, 0);
  }
});
