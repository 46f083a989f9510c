/**
 * The golden files of fixtures/v1/ts: each case writes one stats file with our writer,
 * deterministically. `fixtures/v1/ts/generate.mjs` writes them into the fixtures folder and
 * `golden.test.ts` writes them again and compares bytes. The cases repeat the Python
 * fixtures' models and updates, so where Python's file has no run-dependent values
 * (all-types, edge-values, unicode-labels, many-fields) ours is the same file.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { toJsonValue, type V1FieldLayout, type Value } from '@mmstats/format';
import { readStats } from '@mmstats/reader';
import {
  average, bool, byte, counter, defineModel, double, float, int, movingAverage, short, staticDouble,
  staticFloat, staticInt64, staticText, staticUint, staticUint64, string, timer, uint, uint64, ushort,
  type OpenOptions, type StatsFile,
} from '../index.js';

/** One golden file. */
export interface GoldenCase {
  /** File name without `.mmstats`. */
  readonly name: string;
  /** What the file shows (goes into the JSON's `note`). */
  readonly note: string;
  /** Opens the model with `options` (path, filename), makes the updates, returns the file. */
  readonly write: (options: OpenOptions<1>) => StatsFile;
}

const AllTypes = defineModel(
  {
    counter: counter(), average: average(), moving: movingAverage(), timer: timer(), u64: uint64(), u32: uint(),
    i32: int(), i16: short(), u16: ushort(), i8: byte(), f32: float(), sf32: staticFloat({ value: 1.5 }),
    f64: double(), sf64: staticDouble({ value: -2.75 }), flag: bool(), flagOn: bool({ label: 'flag_on', initial: true }),
    text: string({ size: 16 }), su32: staticUint({ value: 4_000_000_000 }), si64: staticInt64({ value: -1099511627776 }),
    su64: staticUint64({ value: 9223372036854775813n }), stext: staticText({ value: 'static ✓ text' }),
  },
  { system: false, format: 1 },
);

const WebStats = defineModel(
  {
    status2xx: counter({ label: 'status.2XX' }), status3xx: counter({ label: 'status.3XX' }),
    status4xx: counter({ label: 'status.4XX' }), status5xx: counter({ label: 'status.5XX' }),
    lastHit: double({ label: 'timers.last_hit' }),
    // The default model's fields, with fixed values so the file is the same on every run.
    pid: staticUint({ label: 'sys.pid', value: 7542 }), tid: staticInt64({ label: 'sys.tid', value: 7542 }),
    uid: staticUint64({ label: 'sys.uid', value: 0 }), gid: staticUint64({ label: 'sys.gid', value: 0 }),
    nodeVersion: staticText({ label: 'org.nodejs.version', value: 'v20.20.2' }),
    created: staticDouble({ label: 'sys.created', value: 1795605541.9792109 }),
  },
  { system: false, format: 1 },
);

const EdgeValues = defineModel(
  {
    flipOnce: counter({ label: 'flip.once' }), flipTwice: counter({ label: 'flip.twice' }), flipNever: counter({ label: 'flip.never' }),
    nan: double({ label: 'float.nan' }), inf: double({ label: 'float.inf' }), negInf: double({ label: 'float.neginf' }),
    max: counter({ label: 'counter.max' }), empty: string({ label: 'text.empty', size: 8 }), shrunk: string({ label: 'text.shrunk', size: 8 }),
    min: int({ label: 'int.min' }), intMax: int({ label: 'int.max' }),
  },
  { system: false, format: 1 },
);

const UnicodeLabels = defineModel(
  { hits: counter({ label: 'ü.café.hits' }), name: string({ label: 'ü.名前', size: 10 }), rocket: uint({ label: 'ü.emoji.🚀' }) },
  { system: false, format: 1 },
);

const ManyFields = defineModel(
  Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`m${i}`, counter({ label: `many.metric.${String(i).padStart(3, '0')}` })])),
  { system: false, format: 1 },
);

/** Every golden case, in name order. */
export const goldenCases: readonly GoldenCase[] = [
  {
    name: 'all-types',
    note: 'one field of every 0.8.0 type, updated as the Python all-types fixture was (same bytes)',
    write(options) {
      const s = AllTypes.open(options);
      for (let i = 0; i < 42; i++) s.counter.incr();
      for (const x of [1, 2, 4.5]) s.average.add(x);
      for (const x of [3.5, 5.5]) s.moving.add(x);
      s.timer.record(0.125);
      s.timer.record(0.125);
      s.u64.value = 2n ** 64n - 1n;
      s.u32.value = -100;
      s.i32.value = -9001;
      s.i16.value = -1;
      s.u16.value = 65535;
      s.i8.value = -128;
      s.f32.value = 0.1;
      s.f64.value = Math.PI;
      s.flag.value = true;
      s.text.value = 'héllo wörld, this is longer than sixteen bytes';
      return s;
    },
  },
  {
    name: 'edge-values',
    note: 'write-buffer parity (0 and 1), NaN/inf, extremes, a string overwritten by a shorter one',
    write(options) {
      const s = EdgeValues.open(options);
      s.flipOnce.value = 7;
      s.flipTwice.value = 8;
      s.flipTwice.incr();
      s.nan.value = NaN;
      s.inf.value = Infinity;
      s.negInf.value = -Infinity;
      s.max.value = 2n ** 64n - 1n;
      s.empty.value = '';
      s.shrunk.value = 'abcdefgh';
      s.shrunk.value = 'xy';
      s.min.value = -(2 ** 31);
      s.intMax.value = 2 ** 31 - 1;
      return s;
    },
  },
  {
    name: 'many-fields',
    note: '150 counters (metric i holds i*i): the file spans two pages',
    write(options) {
      const s = ManyFields.open(options);
      Object.values(s.layout).forEach((_, i) => s[`m${i}`]!.incr(i * i));
      return s;
    },
  },
  {
    name: 'unicode-labels',
    note: 'UTF-8 labels (multi-byte), a string value cut at a character boundary',
    write(options) {
      const s = UnicodeLabels.open(options);
      s.hits.incr(3);
      s.name.value = '日本語です';
      s.rocket.value = 42;
      return s;
    },
  },
  {
    name: 'webstats',
    note: 'the README example model with fixed sys.* values; status2xx incremented 17 times',
    write(options) {
      const s = WebStats.open({ ...options, labelPrefix: 'web.stats.' });
      for (let i = 0; i < 17; i++) s.status2xx.incr();
      s.status3xx.incr(3);
      s.status4xx.incr();
      s.status4xx.incr();
      s.lastHit.value = 1700000000.25;
      return s;
    },
  },
];

/** The expected-value JSON of a golden file, in the shape of the Python fixtures' JSON (fixtures/README.md). */
export function goldenJson(path: string, note: string): object {
  const bytes = readFileSync(path);
  return {
    producer: `@mmstats/writer ${writerVersion}`,
    note,
    file_size: bytes.length,
    fields: readStats(path).fields.map(({ label, type, value, layout: l }) => ({ label, type, value: value as Value, layout: l as V1FieldLayout })).map(({ label, type, value, layout }) => ({
      offset: layout.offset,
      label,
      type,
      write_buffer: bytes[layout.writeBufferOffset],
      value_offset: layout.valueOffset,
      size: layout.size,
      value: toJsonValue(value),
    })),
  };
}

const writerVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
