/**
 * Field definitions: one factory per field, each saying what it is in a v2 file (the default:
 * a record of a kind, with unit, help, dimensions and merge rule, spec/format-v2.md#record)
 * and, where v1 has an equivalent, in a v1 file (Python mmstats 0.8.0's type signature and
 * buffering, fixtures/v1/python-0.8.0/all-types.json). A definition says what to write;
 * opening a model turns each into a live handle of the file's format.
 *
 * ```ts
 * const Jobs = defineModel({
 *   done: counter({ unit: 'jobs', help: 'jobs finished' }),  // v2 counter (f64); v1: Q
 *   latency: timer({ label: 'job.duration' }),                 // v2 timer (histogram of seconds)
 *   queued: gauge({ dims: { queue: 'mail' } }),               // v2 gauge (f64); v1: d
 *   state: text({ capacity: 32 }),                             // v2 text; v1: 32s
 * });
 * ```
 *
 * @module
 */
import {
  DEFAULT_EXP_HISTOGRAM_PARAMS,
  MmstatsError,
  DEFAULT_HISTOGRAM_PARAMS,
  DEFAULT_TEXT_CAPACITY,
  DEFAULT_WINDOW_PARAMS,
  V2_EXP_HISTOGRAM_LIMITS,
  V2_HISTOGRAM_LIMITS,
  V2_WINDOW_LIMITS,
  type V2MergeName,
} from '@mmstats/format';
import type { FieldDef, V1Def, V2Def, V2FieldSpec } from './common/field-def.js';
import { monotonicSeconds, type Clock } from './common/stopwatch.js';
import { checkedInteger, type Lazy } from './common/values.js';
import { AverageField, MovingAverageField, TimerField } from './v1/averages.js';
import { CounterField } from './v1/counter.js';
import {
  BoolField,
  ByteField,
  DoubleField,
  FloatField,
  GaugeField,
  IntField,
  ShortField,
  UInt64Field,
  UIntField,
  UShortField,
} from './v1/scalars.js';
import { StaticField } from './v1/statics.js';
import { StringField } from './v1/text.js';
import { AverageV2, ExpHistogramV2, HistogramV2, TextV2, WindowV2, unixSeconds } from './v2/composites.js';
import { ExpTimerV2, TimerV2 } from './v2/timers.js';
import {
  BigCounterV2,
  BoolV2,
  CounterV2,
  GaugeV2,
  InfoV2,
  IntGaugeV2,
  MovingAverageV2,
  NarrowGaugeV2,
  type InfoEncoding,
} from './v2/scalars.js';

/** Options every field takes. `unit`, `help`, `dims` and `merge` are written to v2 files only. */
export interface FieldOptions {
  /** The label in the file (after the model's `labelPrefix`). Default: the property name. */
  readonly label?: string;
  /** v2: Prometheus base unit, plural, lower case (`"seconds"`, `"bytes"`, `"requests"`). Default: none (`""`), `"seconds"` for timers. */
  readonly unit?: string;
  /** v2: one line saying what the value is. Default: none. */
  readonly help?: string;
  /**
   * v2: key=value dimensions, e.g. `{ method: 'GET', status: '200' }`. A record is identified
   * by its label and dimensions together, so one label may have several records. Default: none.
   */
  readonly dims?: Readonly<Record<string, string>>;
  /**
   * v2: how readers combine this record across threads and processes (spec/format-v2.md#merge).
   * Default: the kind's (`sum` for counters, gauges, histograms, timers, averages and windows;
   * `none` for text and info; `avg` for `movingAverage`).
   */
  readonly merge?: V2MergeName;
}

/** Options of a static (`info`) field. */
export interface StaticOptions<V> extends FieldOptions {
  /** The value, or a function called at each open to get it (e.g. `() => process.pid`). */
  readonly value: Lazy<V>;
}

function v2spec(options: FieldOptions | undefined, spec: V2FieldSpec): V2FieldSpec {
  const o = options ?? {};
  return {
    ...spec,
    ...(o.unit === undefined ? {} : { unit: o.unit }),
    ...(o.help === undefined ? {} : { help: o.help }),
    ...(o.dims === undefined ? {} : { dims: o.dims }),
    ...(o.merge === undefined ? {} : { merge: o.merge }),
  };
}

function def<H, H1>(options: FieldOptions | undefined, v2: V2Def<H>, v1: V1Def<H1> | undefined): FieldDef<H, H1> {
  return { label: options?.label, v2: { spec: v2spec(options, v2.spec), create: v2.create }, v1 };
}

function v1def<H1>(type: string, buffered: boolean, create: (label: string) => H1): V1Def<H1> {
  return { type, buffered, create };
}

function positiveInteger(name: string, value: number, max: number): number {
  return checkedInteger(name, value, 1, max);
}

// ---- counters and gauges -------------------------------------------------------------------

/** Options of {@link counter}. */
export interface CounterOptions extends FieldOptions {
  /**
   * v2: `f64` (the default: exact to 2^53, and `incr()` is one `+=` on a `Float64Array`
   * element) or `u64` (exact to 2^64, a `bigint` per update). v1 files always use `Q`.
   */
  readonly encoding?: 'f64' | 'u64';
}

/** A v2 `u64` counter (v1: `Q`, double-buffered): `incr(n)` and a settable `value`, exact to 2^64. */
export function counter(options: CounterOptions & { readonly encoding: 'u64' }): FieldDef<BigCounterV2, CounterField>;
/**
 * A counter: v2 `counter` (`f64`, merge `sum`), whose `incr()` is a single store into the
 * mapping; v1 `Q` (double-buffered), Python's `CounterField`. `incr(n = 1)` and a settable `value`.
 */
export function counter(options?: CounterOptions & { readonly encoding?: 'f64' }): FieldDef<CounterV2, CounterField>;
export function counter(options?: CounterOptions): FieldDef<CounterV2 | BigCounterV2, CounterField> {
  const big = options?.encoding === 'u64';
  return def(
    options,
    { spec: { kind: 'counter', encoding: big ? 'u64' : 'f64' }, create: (label) => (big ? new BigCounterV2(label) : new CounterV2(label)) },
    v1def('Q', true, (label) => new CounterField(label)),
  );
}

/** Options of {@link gauge}. */
export interface GaugeOptions extends FieldOptions {
  /** v2: `f64` (the default), or `i64` / `u64` for exact 64-bit integers (a `bigint` per update). */
  readonly encoding?: 'f64' | 'i64' | 'u64';
}

/** A v2 `i64` gauge: exact signed 64-bit values. v1 has no equivalent (refused in a v1 file). */
export function gauge(options: GaugeOptions & { readonly encoding: 'i64' }): FieldDef<IntGaugeV2>;
/** A v2 `u64` gauge: exact unsigned 64-bit values; v1 `Q` (double-buffered), like `uint64()`. */
export function gauge(options: GaugeOptions & { readonly encoding: 'u64' }): FieldDef<IntGaugeV2, UInt64Field>;
/**
 * A gauge, a value that goes up and down: v2 `gauge` (`f64`, merge `sum`) with `value`,
 * `set(x)`, `inc(n)` and `dec(n)`, each one store; v1 `d` (double-buffered), with the same methods.
 */
export function gauge(options?: GaugeOptions & { readonly encoding?: 'f64' }): FieldDef<GaugeV2, GaugeField>;
export function gauge(options?: GaugeOptions): FieldDef<GaugeV2 | IntGaugeV2, GaugeField | UInt64Field> {
  const encoding = options?.encoding ?? 'f64';
  if (encoding === 'f64') {
    return def(options, { spec: { kind: 'gauge', encoding }, create: (label) => new GaugeV2(label) }, v1def('d', true, (label) => new GaugeField(label)));
  }
  const unsigned = encoding === 'u64';
  return def(
    options,
    { spec: { kind: 'gauge', encoding }, create: (label) => new IntGaugeV2(label, unsigned) },
    unsigned ? v1def('Q', true, (label) => new UInt64Field(label)) : undefined,
  );
}

// ---- text ------------------------------------------------------------------------------------

/** Options of {@link text}. */
export interface TextOptions extends FieldOptions {
  /** Bytes of UTF-8 the value holds; longer values are cut at a character boundary. Default: 256. */
  readonly capacity?: number;
}

/** A UTF-8 text of at most `capacity` bytes: v2 `text` (seqlocked); v1 `<capacity>s` (unbuffered), like `string()`. */
export function text(options?: TextOptions): FieldDef<TextV2, StringField> {
  const capacity = positiveInteger('text capacity', options?.capacity ?? DEFAULT_TEXT_CAPACITY, 0xffff);
  return def(
    options,
    { spec: { kind: 'text', textCapacity: capacity }, create: (label) => new TextV2(label, capacity) },
    v1def(`${capacity}s`, false, (label) => new StringField(label, capacity)),
  );
}

/** Options of {@link string}. */
export interface StringOptions extends FieldOptions {
  /** Bytes of UTF-8 the field holds. Default: 255 (as in Python). */
  readonly size?: number;
}

/** A UTF-8 string of at most `size` bytes: v1 `<size>s` (unbuffered), Python's `StringField`; v2 `text` of that capacity. */
export function string(options?: StringOptions): FieldDef<TextV2, StringField> {
  const size = positiveInteger('string size', options?.size ?? 255, 0xffff);
  return def(
    options,
    { spec: { kind: 'text', textCapacity: size }, create: (label) => new TextV2(label, size) },
    v1def(`${size}s`, false, (label) => new StringField(label, size)),
  );
}

// ---- averages, histograms, timers, windows ---------------------------------------------------

/**
 * The mean of every value added: v2 `average` (sum and count, seqlocked, merging exactly);
 * v1 `d` (double-buffered, the mean itself), Python's `AverageField`. `add(x)`.
 */
export function average(options?: FieldOptions): FieldDef<AverageV2, AverageField> {
  return def(options, { spec: { kind: 'average' }, create: (label) => new AverageV2(label) }, v1def('d', true, (label) => new AverageField(label)));
}

/** Options of {@link movingAverage}. */
export interface MovingAverageOptions extends FieldOptions {
  /** How many of the latest values the mean covers. Default: 100 (as in Python). */
  readonly size?: number;
}

/**
 * The mean of the latest `size` values, Python's `MovingAverageField`: v1 `d`
 * (double-buffered); v2 a `gauge` (`f64`, merge `avg`). `add(x)`. For means over the last
 * N seconds that merge across processes, use {@link window}.
 */
export function movingAverage(options?: MovingAverageOptions): FieldDef<MovingAverageV2, MovingAverageField> {
  const size = positiveInteger('movingAverage size', options?.size ?? 100, 1 << 24);
  return def(
    { merge: 'avg', ...options },
    { spec: { kind: 'gauge' }, create: (label) => new MovingAverageV2(label, size) },
    v1def('d', true, (label) => new MovingAverageField(label, size)),
  );
}

/** Histogram bucket options (spec/format-v2.md#enc-histogram). */
export interface HistogramOptions extends FieldOptions {
  /** Sub-bucket bits, 0 to 8: relative error `2^−(k+1)`. Default: 4 (3.125 %). */
  readonly k?: number;
  /** Values below `2^minExp` go to the underflow bucket. Default: −30 (about 1 ns in seconds). */
  readonly minExp?: number;
  /** Values from `2^maxExp` up go to the overflow bucket. Default: 34 (about 500 years in seconds). */
  readonly maxExp?: number;
}

function histogramParams(options: HistogramOptions | undefined): { k: number; minExp: number; maxExp: number } {
  const d = DEFAULT_HISTOGRAM_PARAMS;
  const L = V2_HISTOGRAM_LIMITS;
  const k = checkedInteger('histogram k', options?.k ?? d.k, 0, L.maxK);
  const minExp = checkedInteger('histogram minExp', options?.minExp ?? d.minExp, L.minExp, L.maxExp - 1);
  const maxExp = checkedInteger('histogram maxExp', options?.maxExp ?? d.maxExp, minExp + 1, L.maxExp);
  return { k, minExp, maxExp };
}

/** Options of an exponential histogram (spec/format-v2.md#enc-exphistogram). */
export interface ExpHistogramOptions extends FieldOptions {
  /** `'exponential'`: base-2 buckets, OpenTelemetry's and Prometheus' native ones. */
  readonly encoding: 'exponential';
  /** The starting scale, −4 to 8: relative error `(2^(2^−scale) − 1) / 2`. Default: 8 (0.14 %), lowered in place as the values' range needs. */
  readonly scale?: number;
  /** Slots per sign, 132 to 4096. Default: 160 (OpenTelemetry's default size). */
  readonly buckets?: number;
  /** `|v|` at or below it counts in the zero bucket; finite, ≥ 0. Default: 0. */
  readonly zeroThreshold?: number;
}

function expHistogramParams(options: ExpHistogramOptions): { buckets: number; scale: number; zeroThreshold: number } {
  const d = DEFAULT_EXP_HISTOGRAM_PARAMS;
  const L = V2_EXP_HISTOGRAM_LIMITS;
  const zeroThreshold = options.zeroThreshold ?? d.zeroThreshold;
  if (!(Number.isFinite(zeroThreshold) && zeroThreshold >= 0)) throw new MmstatsError('INVALID_FIELD', `histogram zeroThreshold must be finite and at least 0, got ${zeroThreshold}`);
  return {
    buckets: checkedInteger('histogram buckets', options.buckets ?? d.buckets, L.minBuckets, L.maxBuckets),
    scale: checkedInteger('histogram scale', options.scale ?? d.scale, L.minScale, L.maxScale),
    zeroThreshold,
  };
}

/**
 * A distribution of observed values, v2 only (merge `sum`), whose percentiles readers compute
 * after merging every thread and process; `observe(v)`: one seqlocked write, no allocation.
 * The default is `histogram` (log-linear buckets from 2^−30 to 2^34, 3.125 % error wherever
 * the values lie); `{ encoding: 'exponential' }` gives an `exphistogram` (spec/format-v2.md#enc-exphistogram),
 * the buckets OpenTelemetry and Prometheus native histograms use.
 */
export function histogram(options: ExpHistogramOptions): FieldDef<ExpHistogramV2>;
/** A log-linear `histogram` (spec/format-v2.md#enc-histogram). */
export function histogram(options?: HistogramOptions): FieldDef<HistogramV2>;
export function histogram(options?: HistogramOptions | ExpHistogramOptions): FieldDef<HistogramV2> | FieldDef<ExpHistogramV2> {
  if (options !== undefined && 'encoding' in options && options.encoding === 'exponential') {
    const exponential = expHistogramParams(options);
    return def(options, { spec: { kind: 'histogram', encoding: 'exphistogram', exponential }, create: (label) => new ExpHistogramV2(label, exponential) }, undefined);
  }
  return logLinearHistogram(options as HistogramOptions | undefined);
}

function logLinearHistogram(options: HistogramOptions | undefined): FieldDef<HistogramV2> {
  const params = histogramParams(options);
  return def(options, { spec: { kind: 'histogram', histogram: params }, create: (label) => new HistogramV2(label, params) }, undefined);
}

/** Options of {@link timer}. */
export interface TimerOptions extends HistogramOptions {
  /** The clock, in seconds. Default: `performance.now() / 1000` (monotonic). */
  readonly clock?: Clock;
  /** v1 only: how many of the latest durations the published moving average covers. Default: 100. */
  readonly size?: number;
}

/** Options of an exponential timer: those of an exponential histogram, and the clock. */
export interface ExpTimerOptions extends ExpHistogramOptions {
  /** The clock, in seconds. Default: `performance.now() / 1000` (monotonic). */
  readonly clock?: Clock;
  /** v1 only: how many of the latest durations the published moving average covers. Default: 100. */
  readonly size?: number;
}

/**
 * A timer with `start()`/`stop()`, the scoped `time(fn)` and `record(seconds)`: v2 `timer`, a
 * histogram of seconds (unit `seconds` unless set), log-linear by default, `{ encoding:
 * 'exponential' }` for an `exphistogram` (spec/format-v2.md#enc-exphistogram); v1 `d`
 * (double-buffered), Python's `TimerField`, the moving average (over `size`, default 100) of the
 * durations, whatever the encoding.
 */
export function timer(options: ExpTimerOptions): FieldDef<ExpTimerV2, TimerField>;
/** A log-linear v2 `timer` (spec/format-v2.md#enc-histogram). */
export function timer(options?: TimerOptions): FieldDef<TimerV2, TimerField>;
export function timer(options?: TimerOptions | ExpTimerOptions): FieldDef<TimerV2, TimerField> | FieldDef<ExpTimerV2, TimerField> {
  const size = positiveInteger('timer size', options?.size ?? 100, 1 << 24);
  const clock = options?.clock ?? monotonicSeconds;
  const v1 = v1def('d', true, (label) => new TimerField(label, size, clock));
  if (options !== undefined && 'encoding' in options && options.encoding === 'exponential') {
    const exponential = expHistogramParams(options);
    return def({ unit: 'seconds', ...options }, { spec: { kind: 'timer', encoding: 'exphistogram', exponential }, create: (label) => new ExpTimerV2(label, exponential, clock) }, v1);
  }
  const params = histogramParams(options as TimerOptions | undefined);
  return def({ unit: 'seconds', ...options }, { spec: { kind: 'timer', histogram: params }, create: (label) => new TimerV2(label, params, clock) }, v1);
}

/** Options of {@link window}. */
export interface WindowOptions extends FieldOptions {
  /** `N`, how many slots, 1 to 3600. Default: 60. */
  readonly slots?: number;
  /** `w`, each slot's width in milliseconds. Default: 1000 (so the default window is the last minute). */
  readonly slotMs?: number;
  /** The clock `add()` uses, in Unix seconds. Default: `Date.now() / 1000` (readers use the same clock). */
  readonly clock?: Clock;
}

/**
 * Rates and recent means, v2 only: `window` (counts and sums of the last `slots` intervals of
 * `slotMs`; merge `sum`), from which readers compute values per second and the mean over the
 * last N seconds with their own clock. `add(v)`: one seqlocked write.
 */
export function window(options?: WindowOptions): FieldDef<WindowV2> {
  const L = V2_WINDOW_LIMITS;
  const slots = checkedInteger('window slots', options?.slots ?? DEFAULT_WINDOW_PARAMS.slots, L.minSlots, L.maxSlots);
  const slotMs = checkedInteger('window slotMs', options?.slotMs ?? DEFAULT_WINDOW_PARAMS.slotMillis, L.minSlotMillis, 0xffff_ffff);
  const clock = options?.clock ?? unixSeconds;
  return def(
    options,
    { spec: { kind: 'window', window: { slots, slotMillis: slotMs } }, create: (label) => new WindowV2(label, slots, slotMs, clock) },
    undefined,
  );
}

// ---- info and statics ------------------------------------------------------------------------

/** Options of {@link info}. */
export interface InfoOptions<V extends number | bigint | string> extends StaticOptions<V> {
  /**
   * v2: how the value is stored. Default: `text` for a string, `i64` for a bigint, `f64` for a
   * number or a function (give `encoding` for a function that returns a string or a bigint). v1: `text` is `256s` (`StaticText`), `i64` `q`, `u64` `Q`, `f64` `d`.
   */
  readonly encoding?: InfoEncoding;
  /** `text`: bytes of UTF-8 kept. Default: 256. */
  readonly capacity?: number;
}

/**
 * What an `info` value reads back as: a string, a number, or, for a 64-bit integer, a number
 * while exact and a `bigint` beyond.
 */
export type InfoValue<V> = V extends string ? string : V extends bigint ? number | bigint : number;

/**
 * A value fixed when the file is created (a version, a start time, a configuration value):
 * v2 `info` (merge `none`); v1 the matching static field. The value may be a function, called
 * for each opened file.
 */
export function info<V extends number | bigint | string>(options: InfoOptions<V>): FieldDef<InfoV2<InfoValue<V>>, StaticField<InfoValue<V>>> {
  const value = options.value;
  const sample = typeof value === 'function' ? undefined : value;
  const encoding: InfoEncoding = options.encoding ?? (typeof sample === 'string' ? 'text' : typeof sample === 'bigint' ? 'i64' : 'f64');
  const capacity = positiveInteger('info capacity', options.capacity ?? DEFAULT_TEXT_CAPACITY, 0xffff);
  const v1type = { f64: 'd', i64: 'q', u64: 'Q', text: '256s' }[encoding];
  return def(
    options,
    { spec: { kind: 'info', encoding, ...(encoding === 'text' ? { textCapacity: capacity } : {}) }, create: (label) => new InfoV2<InfoValue<V>>(label, encoding, value, capacity) },
    v1def(v1type, false, (label) => new StaticField<InfoValue<V>>(label, v1type, value as unknown as Lazy<InfoValue<V>>)),
  );
}

function staticDef<V extends number | bigint | string>(options: StaticOptions<V>, type: string, encoding: InfoEncoding, narrow?: (value: number) => number): FieldDef<InfoV2<V>, StaticField<V>> {
  const capacity = 256;
  return def(
    options,
    { spec: { kind: 'info', encoding, ...(encoding === 'text' ? { textCapacity: capacity } : {}) }, create: (label) => new InfoV2<V>(label, encoding, options.value, capacity, narrow) },
    v1def(type, false, (label) => new StaticField<V>(label, type, options.value)),
  );
}

/** A 32-bit float fixed at open: v1 `f` (unbuffered), Python's `StaticFloatField`; v2 `info` (`f64`, rounded to float32). */
export function staticFloat(options: StaticOptions<number>): FieldDef<InfoV2<number>, StaticField<number>> {
  return staticDef(options, 'f', 'f64', Math.fround);
}

/** A 64-bit float fixed at open: v1 `d` (unbuffered), Python's `StaticDoubleField`; v2 `info` (`f64`). */
export function staticDouble(options: StaticOptions<number>): FieldDef<InfoV2<number>, StaticField<number>> {
  return staticDef(options, 'd', 'f64');
}

/** An unsigned 32-bit integer fixed at open: v1 `I` (unbuffered), Python's `StaticUIntField`; v2 `info` (`u64`). */
export function staticUint(options: StaticOptions<number>): FieldDef<InfoV2<number>, StaticField<number>> {
  return def(
    options,
    { spec: { kind: 'info', encoding: 'u64' }, create: (label) => new InfoV2<number>(label, 'u64', () => resolve(options.value) >>> 0, 0) },
    v1def('I', false, (label) => new StaticField<number>(label, 'I', options.value)),
  );
}

/** A signed 64-bit integer fixed at open: v1 `q` (unbuffered), Python's `StaticInt64Field`; v2 `info` (`i64`). */
export function staticInt64(options: StaticOptions<number | bigint>): FieldDef<InfoV2<number | bigint>, StaticField<number | bigint>> {
  return staticDef(options, 'q', 'i64');
}

/** An unsigned 64-bit integer fixed at open: v1 `Q` (unbuffered), Python's `StaticUInt64Field`; v2 `info` (`u64`). */
export function staticUint64(options: StaticOptions<number | bigint>): FieldDef<InfoV2<number | bigint>, StaticField<number | bigint>> {
  return staticDef(options, 'Q', 'u64');
}

/** Text fixed at open, 256 bytes of UTF-8: v1 `256s` (unbuffered), Python's `StaticTextField`; v2 `info` (`text`). */
export function staticText(options: StaticOptions<string>): FieldDef<InfoV2<string>, StaticField<string>> {
  return staticDef(options, '256s', 'text');
}

function resolve<V>(value: Lazy<V>): V {
  return typeof value === 'function' ? (value as () => V)() : value;
}

// ---- the v1 scalar types ---------------------------------------------------------------------

const u32 = (v: number): number => v >>> 0;
const i32 = (v: number): number => v | 0;
const i16 = (v: number): number => (v << 16) >> 16;
const u16 = (v: number): number => v & 0xffff;
const i8 = (v: number): number => (v << 24) >> 24;

function narrow(wrap: (v: number) => number): V2Def<NarrowGaugeV2> {
  return { spec: { kind: 'gauge' }, create: (label) => new NarrowGaugeV2(label, wrap) };
}

/** An unsigned 64-bit gauge: v1 `Q` (double-buffered), Python's `UInt64Field`; v2 `gauge` (`u64`). */
export function uint64(options?: FieldOptions): FieldDef<IntGaugeV2, UInt64Field> {
  return def(options, { spec: { kind: 'gauge', encoding: 'u64' }, create: (label) => new IntGaugeV2(label, true) }, v1def('Q', true, (label) => new UInt64Field(label)));
}

/** An unsigned 32-bit gauge: v1 `I` (double-buffered), Python's `UIntField`; v2 `gauge` (`f64`, wrapped to 32 bits). */
export function uint(options?: FieldOptions): FieldDef<NarrowGaugeV2, UIntField> {
  return def(options, narrow(u32), v1def('I', true, (label) => new UIntField(label)));
}

/** A signed 32-bit gauge: v1 `i` (double-buffered), Python's `IntField`; v2 `gauge` (`f64`, wrapped to 32 bits). */
export function int(options?: FieldOptions): FieldDef<NarrowGaugeV2, IntField> {
  return def(options, narrow(i32), v1def('i', true, (label) => new IntField(label)));
}

/** A signed 16-bit gauge: v1 `h` (double-buffered), Python's `ShortField`; v2 `gauge` (`f64`, wrapped to 16 bits). */
export function short(options?: FieldOptions): FieldDef<NarrowGaugeV2, ShortField> {
  return def(options, narrow(i16), v1def('h', true, (label) => new ShortField(label)));
}

/** An unsigned 16-bit gauge: v1 `H` (double-buffered), Python's `UShortField`; v2 `gauge` (`f64`, wrapped to 16 bits). */
export function ushort(options?: FieldOptions): FieldDef<NarrowGaugeV2, UShortField> {
  return def(options, narrow(u16), v1def('H', true, (label) => new UShortField(label)));
}

/** A signed byte: v1 `b` (unbuffered: one byte cannot tear), Python's `ByteField`; v2 `gauge` (`f64`, wrapped to 8 bits). */
export function byte(options?: FieldOptions): FieldDef<NarrowGaugeV2, ByteField> {
  return def(options, narrow(i8), v1def('b', false, (label) => new ByteField(label)));
}

/** A 32-bit float: v1 `f` (double-buffered), Python's `FloatField`; v2 `gauge` (`f64`, rounded to float32). */
export function float(options?: FieldOptions): FieldDef<NarrowGaugeV2, FloatField> {
  return def(options, narrow(Math.fround), v1def('f', true, (label) => new FloatField(label)));
}

/** A 64-bit float: v1 `d` (double-buffered), Python's `DoubleField`; v2 `gauge` (`f64`). */
export function double(options?: FieldOptions): FieldDef<GaugeV2, DoubleField> {
  return def(options, { spec: { kind: 'gauge' }, create: (label) => new GaugeV2(label) }, v1def('d', true, (label) => new DoubleField(label)));
}

/** Options of {@link bool}. */
export interface BoolOptions extends FieldOptions {
  /** The value written at open. Default: `false`. */
  readonly initial?: boolean;
}

/** A boolean: v1 `?` (unbuffered, 0/1), Python's `BoolField`; v2 `gauge` (`f64`, 0 or 1). */
export function bool(options?: BoolOptions): FieldDef<BoolV2, BoolField> {
  const initial = options?.initial ?? false;
  return def(options, { spec: { kind: 'gauge' }, create: (label) => new BoolV2(label, initial) }, v1def('?', false, (label) => new BoolField(label, initial)));
}
