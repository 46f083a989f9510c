import test from 'ava';
import { readFileSync } from 'node:fs';
import type { V1FieldLayout } from '@mmstats/format';
import { readStats } from '@mmstats/reader';
import {
  average,
  bool,
  byte,
  counter,
  defineModel,
  double,
  float,
  int,
  movingAverage,
  short,
  staticDouble,
  staticFloat,
  staticInt64,
  staticText,
  staticUint,
  staticUint64,
  string,
  timer,
  uint,
  uint64,
  ushort,
} from '../index.js';
import { readBack, tempDir } from '../common/test-support.test.util.js';

const MAX_U64 = 2n ** 64n - 1n;

const Everything = defineModel(
  {
    counter: counter(),
    average: average(),
    moving: movingAverage({ size: 2 }),
    timer: timer({ clock: () => 0 }),
    u64: uint64(),
    u32: uint(),
    i32: int(),
    i16: short(),
    u16: ushort(),
    i8: byte(),
    f32: float(),
    sf32: staticFloat({ value: 1.5 }),
    f64: double(),
    sf64: staticDouble({ value: -2.75 }),
    flag: bool(),
    flagOn: bool({ label: 'flag_on', initial: true }),
    text: string({ size: 16 }),
    su32: staticUint({ value: 4_000_000_000 }),
    si64: staticInt64({ value: -(2 ** 40) }),
    su64: staticUint64({ value: 9223372036854775813n }),
    stext: staticText({ value: 'static ✓ text' }),
  },
  { system: false, format: 1 },
);

test('every 0.8.0 field type has the type signature and buffering of Python’s', (t) => {
  const stats = Everything.open({ path: tempDir(t) });
  const types = readStats(stats.path).fields.map((f) => `${f.label}:${f.type}:${(f.layout as V1FieldLayout).buffered ? 'buffered' : 'unbuffered'}`);
  // The same as fixtures/v1/python-0.8.0/all-types.json.
  t.deepEqual(types, [
    'counter:Q:buffered', 'average:d:buffered', 'moving:d:buffered', 'timer:d:buffered',
    'u64:Q:buffered', 'u32:I:buffered', 'i32:i:buffered', 'i16:h:buffered', 'u16:H:buffered',
    'i8:b:unbuffered', 'f32:f:buffered', 'sf32:f:unbuffered', 'f64:d:buffered', 'sf64:d:unbuffered',
    'flag:?:unbuffered', 'flag_on:?:unbuffered', 'text:16s:unbuffered', 'su32:I:unbuffered',
    'si64:q:unbuffered', 'su64:Q:unbuffered', 'stext:256s:unbuffered',
  ]);
});

test('every field type round-trips through the reader', (t) => {
  const stats = Everything.open({ path: tempDir(t) });
  stats.counter.incr(41);
  stats.counter.incr();
  stats.average.add(1);
  stats.average.add(4);
  stats.moving.add(1);
  stats.moving.add(2);
  stats.moving.add(6); // the window holds 2 values: (2 + 6) / 2
  stats.timer.record(0.25);
  stats.u64.value = 123;
  stats.u32.value = 7;
  stats.i32.value = -9001;
  stats.i16.value = -1;
  stats.u16.value = 65535;
  stats.i8.value = -128;
  stats.f32.value = 0.1;
  stats.f64.value = Math.PI;
  stats.flag.value = true;
  stats.text.value = 'héllo';

  const read = readBack(stats.path);
  t.deepEqual(Object.fromEntries(read), {
    counter: 42n, average: 2.5, moving: 4, timer: 0.25, u64: 123n, u32: 7, i32: -9001, i16: -1,
    u16: 65535, i8: -128, f32: Math.fround(0.1), sf32: 1.5, f64: Math.PI, sf64: -2.75, flag: true,
    flag_on: true, text: 'héllo', su32: 4_000_000_000, si64: -(2n ** 40n), su64: 9223372036854775813n,
    stext: 'static ✓ text',
  });
  // What the writer's handles read is what the reader reads.
  t.is(stats.counter.value, 42);
  t.is(stats.u64.value, 123);
  t.is(stats.su64.value, 9223372036854775813n);
  t.is(stats.si64.value, -(2 ** 40));
  t.is(stats.stext.value, 'static ✓ text');
});

test('64-bit fields are exact over their whole range: numbers up to 2^53 - 1, bigint beyond', (t) => {
  const stats = Everything.open({ path: tempDir(t) });
  stats.u64.value = MAX_U64;
  stats.counter.value = MAX_U64;
  t.is(stats.u64.value, MAX_U64);
  t.is(stats.counter.value, MAX_U64);
  const read = readBack(stats.path);
  t.is(read.get('u64'), MAX_U64);
  t.is(read.get('counter'), MAX_U64);

  stats.u64.value = Number.MAX_SAFE_INTEGER;
  t.is(stats.u64.value, Number.MAX_SAFE_INTEGER);
  stats.u64.value = 2 ** 53;
  t.is(typeof stats.u64.value, 'bigint');
  t.is(stats.u64.bigint, 2n ** 53n);
  t.is(readBack(stats.path).get('u64'), 2n ** 53n);
});

test('unsigned fields wrap like Python’s ctypes: -100 in a UInt reads 4294967196', (t) => {
  const stats = Everything.open({ path: tempDir(t) });
  stats.u32.value = -100;
  stats.u16.value = -1;
  stats.u64.value = -1;
  stats.i16.value = 40000; // wraps into the signed range too
  stats.i8.value = 200;
  stats.counter.value = MAX_U64;
  const read = readBack(stats.path);
  t.is(read.get('u32'), 4294967196);
  t.is(read.get('u16'), 65535);
  t.is(read.get('u64'), MAX_U64);
  t.is(read.get('i16'), 40000 - 65536);
  t.is(read.get('i8'), 200 - 256);
  t.is(read.get('counter'), MAX_U64);
  stats.counter.incr(); // and on past the top back to 0
  t.is(readBack(stats.path).get('counter'), 0n);
});

test('NaN and infinities survive float and double fields', (t) => {
  const stats = Everything.open({ path: tempDir(t) });
  stats.f64.value = NaN;
  stats.f32.value = -Infinity;
  stats.average.value = Infinity;
  const read = readBack(stats.path);
  t.true(Number.isNaN(read.get('f64')));
  t.is(read.get('f32'), -Infinity);
  t.is(read.get('average'), Infinity);
});

test('a shorter string over a longer one reads back short; the old bytes stay after its NUL, as in Python', (t) => {
  const stats = Everything.open({ path: tempDir(t) });
  stats.text.value = 'abcdefgh';
  stats.text.value = 'xy';
  t.is(stats.text.value, 'xy');
  t.is(readBack(stats.path).get('text'), 'xy');
  const field = readStats(stats.path).fields.find((f) => f.label === 'text')!;
  const bytes = readFileSync(stats.path).subarray(field.layout.valueOffset, field.layout.valueOffset + 8);
  t.deepEqual([...bytes], [...Buffer.from('xy\0defgh')]);
});

test('a string longer than its field is cut before the first character that does not fit whole', (t) => {
  const stats = Everything.open({ path: tempDir(t) });
  // 16 bytes: "héllo wörld, t" is 16 bytes of UTF-8, the "h" after it would be the 17th.
  stats.text.value = 'héllo wörld, this is long';
  t.is(readBack(stats.path).get('text'), 'héllo wörld, t');
  // A 3-byte character that would straddle byte 16 is left out entirely.
  stats.text.value = 'aaaaaaaaaaaaaa€'; // 14 + 3 bytes
  t.is(readBack(stats.path).get('text'), 'aaaaaaaaaaaaaa');
  stats.text.value = '🚀🚀🚀🚀🚀'; // 4 bytes each: four fit exactly
  t.is(readBack(stats.path).get('text'), '🚀🚀🚀🚀');
});
