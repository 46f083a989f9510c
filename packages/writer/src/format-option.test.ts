import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import { readStats } from '@mmstats/reader';
import type { V1FieldLayout } from '@mmstats/format';
import {
  counter, defineModel, gauge, histogram, info, StatsBuilder, timer, uint64, window, MmstatsError, ErrorCodes, StatsFile, StatsFileV2,
} from './index.js';
import { readBack, readV2, tempDir } from './common/test-support.test.util.js';

const Portable = defineModel({ hits: counter(), load: gauge(), big: uint64(), bytes: counter({ encoding: 'u64' }), version: info({ value: 'x' }) }, { system: false });

test('open() writes format 2 by default and format 1 when asked, from the same model', (t) => {
  const dir = tempDir(t);
  const v2 = Portable.open({ path: dir, filename: 'v2.mmstats' });
  const v1 = Portable.open({ path: dir, filename: 'v1.mmstats', format: 1 });
  t.true(v2 instanceof StatsFileV2);
  t.true(v1 instanceof StatsFile);
  t.is(readFileSync(v2.path)[0], 0x02);
  t.is(readFileSync(v1.path)[0], 0x01);
  v1.hits.incr(3);
  v1.load.inc(2.5);
  v1.load.dec();
  v1.big.value = 2n ** 64n - 1n;
  v1.bytes.incr(2n);
  t.deepEqual(Object.fromEntries(readBack(v1.path)), { hits: 3n, load: 1.5, big: 2n ** 64n - 1n, bytes: 2n, version: 'x' });
  // The v1 records have Python's types: a gauge is a double-buffered d, a u64 counter a Q.
  t.deepEqual(readStats(v1.path).fields.map((f) => `${f.type}:${(f.layout as V1FieldLayout).buffered}`), ['Q:true', 'd:true', 'Q:true', 'Q:true', '256s:false']);
  v2.hits.incr(3);
  t.deepEqual([...readV2(v2.path).values.keys()], ['hits', 'load', 'big', 'bytes', 'version']);
});

test('a model defined with format 1 opens v1 files by default, and v2 when asked', (t) => {
  const ForPython = defineModel({ hits: counter() }, { format: 1, system: false });
  t.is(ForPython.format, 1);
  const dir = tempDir(t);
  t.is(readFileSync(ForPython.open({ path: dir, filename: 'a' }).path)[0], 0x01);
  t.is(readFileSync(ForPython.open({ path: dir, filename: 'b', format: 2 }).path)[0], 0x02);
});

test('a field only v2 has is refused in a v1 model when it is defined, naming the field and the way out', (t) => {
  for (const [name, def, what] of [['h', histogram(), 'histogram'], ['w', window(), 'window'], ['g', gauge({ encoding: 'i64' }), 'gauge (i64)']] as const) {
    const error = t.throws(() => defineModel({ [name]: def }, { format: 1 }), { instanceOf: MmstatsError });
    t.is(error.code, ErrorCodes.INVALID_FIELD);
    t.is(error.detail, `field "${name}" is a ${what}, which only format v2 has: open it with format 2 (the default), or leave it out of the v1 (Python-compatible) file`);
  }
});

test('a field only v2 has is refused when a v2 model is opened as v1, and no file is made', (t) => {
  const dir = tempDir(t);
  const Model = defineModel({ hits: counter(), latency: histogram({ label: 'latency' }) });
  const error = t.throws(() => Model.open({ path: dir, format: 1 }), { instanceOf: MmstatsError });
  t.is(error.code, ErrorCodes.INVALID_FIELD);
  t.regex(error.message, /field "latency" is a histogram, which only format v2 has/);
  t.deepEqual(readdirSync(dir), []);
  // A timer has a v1 form: Python's moving average of durations.
  t.notThrows(() => defineModel({ t: timer() }, { format: 1 }).open({ path: dir }).remove());
});

test('a v1 builder refuses fields only v2 has, and adding after open()', (t) => {
  const builder = new StatsBuilder({ format: 1, system: false });
  t.throws(() => builder.add('w', window()), { code: ErrorCodes.INVALID_FIELD, message: /only format v2 has/ });
  builder.add('hits', counter()).incr();
  const file = builder.open({ path: tempDir(t) });
  t.is(file.format, 1);
  t.throws(() => builder.add('more', counter()), { code: ErrorCodes.INVALID_FIELD, message: /v1 files cannot grow/ });
});

test('a format other than 1 or 2 is refused', (t) => {
  t.throws(() => defineModel({}, { format: 3 as 2 }), { code: ErrorCodes.INVALID_FIELD });
  t.throws(() => defineModel({}).open({ format: 0 as 1 }), { code: ErrorCodes.INVALID_FIELD });
  t.throws(() => new StatsBuilder({ format: 4 as 1 }), { code: ErrorCodes.INVALID_FIELD });
});
