/**
 * Field definitions: one factory per mmstats 0.8.0 field type, with the same type signature
 * and buffering as Python's (fixtures/v1/python-0.8.0/all-types.json). A definition says
 * what to write; opening a model turns each into a live handle.
 *
 * ```ts
 * const Jobs = defineModel({
 *   done: counter(),                       // label "done", type Q, double-buffered
 *   latency: timer({ label: 'latency.s' }), // moving average of 100 durations, type d
 *   state: string({ size: 32 }),           // type 32s, unbuffered
 * });
 * ```
 *
 * @module
 */
import { AverageField, MovingAverageField, TimerField, monotonicSeconds, type Clock } from './averages.js';
import { CounterField } from './counter.js';
import { MmstatsError } from '@mmstats/format';
import {
  BoolField,
  ByteField,
  DoubleField,
  FloatField,
  IntField,
  ShortField,
  UInt64Field,
  UIntField,
  UShortField,
} from './scalars.js';
import { StaticField, type Lazy } from './statics.js';
import { StringField } from './text.js';

/**
 * What one field will be: its type signature, its buffering, and how to make its handle.
 * `H` is the handle type a model exposes for it.
 */
export interface FieldDef<H> {
  /** The label without the model's prefix; `undefined` means "the property name". */
  readonly label: string | undefined;
  /** The v1 type signature, e.g. `"Q"` (spec/format-v1.md#type-signatures). */
  readonly type: string;
  /** Double-buffered (spec/format-v1.md#buffering) or written in place. */
  readonly buffered: boolean;
  /** Makes the handle for one opened instance, with its full label. Called by models and builders. */
  readonly create: (label: string) => H;
}

/** Options every field takes. */
export interface FieldOptions {
  /** The label in the file (after the model's `labelPrefix`). Default: the property name. */
  readonly label?: string;
}

/** Options of a static field. */
export interface StaticOptions<V> extends FieldOptions {
  /** The value, or a function called at each open to get it (e.g. `() => process.pid`). */
  readonly value: Lazy<V>;
}

function def<H>(options: FieldOptions | undefined, type: string, buffered: boolean, create: (label: string) => H): FieldDef<H> {
  return { label: options?.label, type, buffered, create };
}

function positiveInteger(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new MmstatsError('INVALID_FIELD', `${name} must be an integer from 1 to ${max}, got ${value}`);
  }
  return value;
}

/** A counter (`Q`, double-buffered), Python's `CounterField`: `incr(n = 1)` and a settable `value`. */
export function counter(options?: FieldOptions): FieldDef<CounterField> {
  return def(options, 'Q', true, (label) => new CounterField(label));
}

/** The mean of all values added (`d`, double-buffered), Python's `AverageField`: `add(x)`. */
export function average(options?: FieldOptions): FieldDef<AverageField> {
  return def(options, 'd', true, (label) => new AverageField(label));
}

/** Options of {@link movingAverage}. */
export interface MovingAverageOptions extends FieldOptions {
  /** How many of the latest values the mean covers. Default: 100 (as in Python). */
  readonly size?: number;
}

/** The mean of the latest `size` values (`d`, double-buffered), Python's `MovingAverageField`: `add(x)`. */
export function movingAverage(options?: MovingAverageOptions): FieldDef<MovingAverageField> {
  const size = positiveInteger('movingAverage size', options?.size ?? 100, 1 << 24);
  return def(options, 'd', true, (label) => new MovingAverageField(label, size));
}

/** Options of {@link timer}. */
export interface TimerOptions extends MovingAverageOptions {
  /** The clock, in seconds. Default: `performance.now() / 1000` (monotonic). */
  readonly clock?: Clock;
}

/**
 * A timer (`d`, double-buffered), Python's `TimerField`: the moving average (default over 100)
 * of durations in seconds, with `start()`/`stop()`, `time(fn)` and `last`.
 */
export function timer(options?: TimerOptions): FieldDef<TimerField> {
  const size = positiveInteger('timer size', options?.size ?? 100, 1 << 24);
  const clock = options?.clock ?? monotonicSeconds;
  return def(options, 'd', true, (label) => new TimerField(label, size, clock));
}

/** An unsigned 64-bit gauge (`Q`, double-buffered), Python's `UInt64Field`. */
export function uint64(options?: FieldOptions): FieldDef<UInt64Field> {
  return def(options, 'Q', true, (label) => new UInt64Field(label));
}

/** An unsigned 32-bit gauge (`I`, double-buffered), Python's `UIntField`. */
export function uint(options?: FieldOptions): FieldDef<UIntField> {
  return def(options, 'I', true, (label) => new UIntField(label));
}

/** A signed 32-bit gauge (`i`, double-buffered), Python's `IntField`. */
export function int(options?: FieldOptions): FieldDef<IntField> {
  return def(options, 'i', true, (label) => new IntField(label));
}

/** A signed 16-bit gauge (`h`, double-buffered), Python's `ShortField`. */
export function short(options?: FieldOptions): FieldDef<ShortField> {
  return def(options, 'h', true, (label) => new ShortField(label));
}

/** An unsigned 16-bit gauge (`H`, double-buffered), Python's `UShortField`. */
export function ushort(options?: FieldOptions): FieldDef<UShortField> {
  return def(options, 'H', true, (label) => new UShortField(label));
}

/** A signed byte (`b`, unbuffered: one byte cannot tear), Python's `ByteField`. */
export function byte(options?: FieldOptions): FieldDef<ByteField> {
  return def(options, 'b', false, (label) => new ByteField(label));
}

/** A 32-bit float (`f`, double-buffered), Python's `FloatField`. */
export function float(options?: FieldOptions): FieldDef<FloatField> {
  return def(options, 'f', true, (label) => new FloatField(label));
}

/** A 64-bit float (`d`, double-buffered), Python's `DoubleField`. */
export function double(options?: FieldOptions): FieldDef<DoubleField> {
  return def(options, 'd', true, (label) => new DoubleField(label));
}

/** Options of {@link bool}. */
export interface BoolOptions extends FieldOptions {
  /** The value written at open. Default: `false`. */
  readonly initial?: boolean;
}

/** A boolean (`?`, unbuffered, stored as 0/1), Python's `BoolField`. */
export function bool(options?: BoolOptions): FieldDef<BoolField> {
  const initial = options?.initial ?? false;
  return def(options, '?', false, (label) => new BoolField(label, initial));
}

/** Options of {@link string}. */
export interface StringOptions extends FieldOptions {
  /** Bytes of UTF-8 the field holds. Default: 255 (as in Python). */
  readonly size?: number;
}

/** A UTF-8 string of at most `size` bytes (`<size>s`, unbuffered), Python's `StringField`. */
export function string(options?: StringOptions): FieldDef<StringField> {
  const size = positiveInteger('string size', options?.size ?? 255, 0xffff);
  return def(options, `${size}s`, false, (label) => new StringField(label, size));
}

/** A 32-bit float fixed at open (`f`, unbuffered), Python's `StaticFloatField`. */
export function staticFloat(options: StaticOptions<number>): FieldDef<StaticField<number>> {
  return def(options, 'f', false, (label) => new StaticField<number>(label, 'f', options.value));
}

/** A 64-bit float fixed at open (`d`, unbuffered), Python's `StaticDoubleField`. */
export function staticDouble(options: StaticOptions<number>): FieldDef<StaticField<number>> {
  return def(options, 'd', false, (label) => new StaticField<number>(label, 'd', options.value));
}

/** An unsigned 32-bit integer fixed at open (`I`, unbuffered), Python's `StaticUIntField`. */
export function staticUint(options: StaticOptions<number>): FieldDef<StaticField<number>> {
  return def(options, 'I', false, (label) => new StaticField<number>(label, 'I', options.value));
}

/** A signed 64-bit integer fixed at open (`q`, unbuffered), Python's `StaticInt64Field`. */
export function staticInt64(options: StaticOptions<number | bigint>): FieldDef<StaticField<number | bigint>> {
  return def(options, 'q', false, (label) => new StaticField<number | bigint>(label, 'q', options.value));
}

/** An unsigned 64-bit integer fixed at open (`Q`, unbuffered), Python's `StaticUInt64Field`. */
export function staticUint64(options: StaticOptions<number | bigint>): FieldDef<StaticField<number | bigint>> {
  return def(options, 'Q', false, (label) => new StaticField<number | bigint>(label, 'Q', options.value));
}

/** Text fixed at open, 256 bytes of UTF-8 (`256s`, unbuffered), Python's `StaticTextField`. */
export function staticText(options: StaticOptions<string>): FieldDef<StaticField<string>> {
  return def(options, '256s', false, (label) => new StaticField<string>(label, '256s', options.value));
}
