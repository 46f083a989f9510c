/**
 * v2 handles of one-word values (spec/format-v2.md#enc-scalar): counters, gauges, the v1
 * scalar types as gauges, and `info` values fixed at open. Every update is one aligned
 * 8-byte store, which readers cannot see torn, so there is no double buffer and no sequence
 * word: a counter's `incr()` is a single `Float64Array` element `+=` into the mapping.
 *
 * @module
 */
import { encodeUtf8Within, type V2KindName } from '@mmstats/format';
import { MovingMean } from '../common/moving-mean.js';
import { TAKES, isFiniteNumber } from '../common/rejected-values.js';
import { isCount, isInteger64, toBigInt, type Lazy } from '../common/values.js';
import { RecordHandle } from './handle.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A bigint as a number when that is exact, as the v1 handles read 64-bit values. */
function exact(value: bigint): number | bigint {
  return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/**
 * A v2 `counter` (`f64`): a count that only goes up while the writer lives, exact to 2^53.
 * `incr()` is one `+=` on a `Float64Array` element of the mapping: no allocation, no syscall.
 * A step or count that is negative, NaN, ±Infinity or not a number is ignored and counted
 * (`rejected`, spec/files.md#bad-values).
 */
export class CounterV2 extends RecordHandle {
  /** @internal */
  constructor(label: string) {
    super(label, 'counter', 8);
  }
  /** Adds `n` (default 1): a finite number ≥ 0, else it is ignored and counted. */
  incr(n = 1): void {
    // One compare pair, measured within noise of the bare `+=` (bench/writer.mjs).
    if (typeof n === 'number' && n >= 0 && n < Infinity) this.f64[this.w]! += n;
    else this.rejections.reject(n, TAKES.count);
  }
  /** The count readers see now. */
  get value(): number {
    return this.f64[this.w]!;
  }
  /** Sets the count (readers merging by `sum` expect it not to go down while the writer lives); a negative, NaN, infinite or non-number value is ignored and counted. */
  set value(value: number) {
    if (!isFiniteNumber(value) || value < 0) {
      this.rejections.reject(value, TAKES.count);
      return;
    }
    this.f64[this.w] = value;
  }
}

/**
 * A v2 `counter` stored as `u64` (`counter({ encoding: 'u64' })`): exact over the whole
 * 64-bit range, at the cost of a `bigint` per update. Steps wrap modulo 2^64.
 */
export class BigCounterV2 extends RecordHandle {
  /** @internal */
  constructor(label: string) {
    super(label, 'counter', 8);
  }
  /** Adds `n` (default 1), wrapping modulo 2^64; a negative, NaN, infinite or non-number `n` is ignored and counted. */
  incr(n: number | bigint = 1): void {
    if (!isCount(n)) {
      this.rejections.reject(n, TAKES.count);
      return;
    }
    Atomics.store(this.i64, this.w, BigInt.asIntN(64, Atomics.load(this.i64, this.w) + toBigInt(n)));
  }
  /** The count readers see now: a `number` up to 2^53 − 1, a `bigint` beyond (always exact). */
  get value(): number | bigint {
    return exact(this.bigint);
  }
  /** Sets the count, wrapping modulo 2^64; a negative, NaN, infinite or non-number value is ignored and counted. */
  set value(value: number | bigint) {
    if (!isCount(value)) {
      this.rejections.reject(value, TAKES.count);
      return;
    }
    Atomics.store(this.i64, this.w, BigInt.asIntN(64, toBigInt(value)));
  }
  /** The count as a `bigint`, always. */
  get bigint(): bigint {
    return BigInt.asUintN(64, Atomics.load(this.i64, this.w));
  }
}

/** A v2 `gauge` (`f64`): a value that goes up and down. `set`, `inc` and `dec` are one store each. */
export class GaugeV2 extends RecordHandle {
  /** @internal */
  constructor(label: string, kind: V2KindName = 'gauge') {
    super(label, kind, 8);
  }
  /** The value readers see now. */
  get value(): number {
    return this.f64[this.w]!;
  }
  /** Publishes a new value. NaN and ±Infinity are stored (an `f64` holds them, and the next value replaces them); a non-number is ignored and counted (spec/files.md#bad-values). */
  set value(value: number) {
    if (typeof value !== 'number') {
      this.rejections.reject(value, TAKES.float);
      return;
    }
    this.f64[this.w] = value;
  }
  /** Publishes a new value (the same as `value = x`). */
  set(value: number): void {
    this.value = value;
  }
  /** Adds `n` (default 1); NaN, ±Infinity or a non-number is ignored and counted (it would stay in the sum). */
  inc(n = 1): void {
    if (isFiniteNumber(n)) this.value = this.value + n;
    else this.rejections.reject(n, TAKES.number);
  }
  /** Subtracts `n` (default 1); NaN, ±Infinity or a non-number is ignored and counted. */
  dec(n = 1): void {
    if (isFiniteNumber(n)) this.value = this.value - n;
    else this.rejections.reject(n, TAKES.number);
  }
}

/**
 * A v1 scalar type written as a v2 `gauge` (`f64`): `uint`, `int`, `short`, `ushort`, `byte`
 * and `float` keep their v1 range, so a value wraps (or rounds to float32) exactly as it does
 * in a v1 file (e.g. −100 in a `uint` reads back 4294967196).
 */
export class NarrowGaugeV2 extends GaugeV2 {
  readonly #narrow: (value: number) => number;
  /** @internal */
  constructor(label: string, narrow: (value: number) => number) {
    super(label);
    this.#narrow = narrow;
  }
  /** The value readers see now. */
  override get value(): number {
    return this.f64[this.w]!;
  }
  /** Publishes a new value, wrapped to the type's range (or rounded to float32); NaN, ±Infinity or a non-number is ignored and counted. */
  override set value(value: number) {
    if (!isFiniteNumber(value)) {
      this.rejections.reject(value, TAKES.number);
      return;
    }
    this.f64[this.w] = this.#narrow(value);
  }
}

/** A v2 `gauge` of a boolean (`bool()` in a v2 file): stored as 0 or 1. */
export class BoolV2 extends RecordHandle {
  readonly #initial: boolean;
  /** @internal */
  constructor(label: string, initial: boolean) {
    super(label, 'gauge', 8);
    this.#initial = initial;
  }
  /** The value readers see now: any non-zero value reads as `true`. */
  get value(): boolean {
    return this.f64[this.w] !== 0;
  }
  /** Publishes a new value (1 or 0); a non-boolean is ignored and counted. */
  set value(value: boolean) {
    if (typeof value !== 'boolean') {
      this.rejections.reject(value, TAKES.boolean);
      return;
    }
    this.f64[this.w] = value ? 1 : 0;
  }
  protected override initialize(): void {
    if (this.#initial) this.f64[this.w] = 1;
  }
}

/**
 * A v2 `gauge` stored as `i64` or `u64` (`gauge({ encoding })`, `uint64()`): exact 64-bit
 * integers, one aligned 8-byte store per update. Values wrap to the encoding's range.
 */
export class IntGaugeV2 extends RecordHandle {
  readonly #unsigned: boolean;
  /** @internal */
  constructor(label: string, unsigned: boolean) {
    super(label, 'gauge', 8);
    this.#unsigned = unsigned;
  }
  /** The value readers see now: a `number` while it is a safe integer, else a `bigint`. */
  get value(): number | bigint {
    return exact(this.bigint);
  }
  /** Publishes a new value (fractions truncated, wrapping modulo 2^64); NaN, ±Infinity or a value neither number nor bigint is ignored and counted. */
  set value(value: number | bigint) {
    if (!isInteger64(value)) {
      this.rejections.reject(value, TAKES.integer);
      return;
    }
    Atomics.store(this.i64, this.w, BigInt.asIntN(64, toBigInt(value)));
  }
  /** The value as a `bigint`, always. */
  get bigint(): bigint {
    const word = Atomics.load(this.i64, this.w);
    return this.#unsigned ? BigInt.asUintN(64, word) : word;
  }
  /** Publishes a new value (the same as `value = x`). */
  set(value: number | bigint): void {
    this.value = value;
  }
  /** Adds `n` (default 1); a bad `n` is ignored and counted. */
  inc(n: number | bigint = 1): void {
    if (!isInteger64(n)) {
      this.rejections.reject(n, TAKES.integer);
      return;
    }
    this.value = this.bigint + toBigInt(n);
  }
  /** Subtracts `n` (default 1); a bad `n` is ignored and counted. */
  dec(n: number | bigint = 1): void {
    if (!isInteger64(n)) {
      this.rejections.reject(n, TAKES.integer);
      return;
    }
    this.value = this.bigint - toBigInt(n);
  }
}

/**
 * A v2 moving average (`movingAverage()` in a v2 file): the mean of the latest `size` values,
 * kept by the writer and published as a `gauge` (`f64`, merge `avg` by default), one store per
 * `add`. For means over time that readers compute themselves, use `window()`.
 */
export class MovingAverageV2 extends GaugeV2 {
  readonly #mean: MovingMean;

  /** @internal */
  constructor(label: string, size: number) {
    super(label);
    this.#mean = new MovingMean(size);
  }

  /** How many values the mean covers. */
  get size(): number {
    return this.#mean.size;
  }

  /** Adds a value, dropping the oldest once `size` have come, and publishes the mean; NaN, ±Infinity or a non-number is ignored and counted. */
  add(value: number): void {
    if (!isFiniteNumber(value)) {
      this.rejections.reject(value, TAKES.number);
      return;
    }
    this.f64[this.w] = this.#mean.push(value);
  }
}

/** How an `info` value is stored (spec/format-v2.md#kinds: `f64`, `i64`, `u64` or `text`). */
export type InfoEncoding = 'f64' | 'i64' | 'u64' | 'text';

/**
 * A v2 `info` record: a value set once when the file is created (a version, a start time, a
 * configuration value). `V` is what `value` reads back as. A function value is called for
 * each opened file.
 */
export class InfoV2<V extends number | bigint | string> extends RecordHandle {
  /** How the value is stored. */
  readonly encoding: InfoEncoding;
  readonly #initial: Lazy<V | number | bigint | string>;
  readonly #capacity: number;
  readonly #narrow: ((value: number) => number) | undefined;

  /** @internal */
  constructor(label: string, encoding: InfoEncoding, initial: Lazy<V | number | bigint | string>, capacity: number, narrow?: (value: number) => number) {
    super(label, 'info', encoding === 'text' ? 8 + Math.ceil(capacity / 8) * 8 : 8);
    this.encoding = encoding;
    this.#initial = initial;
    this.#capacity = capacity;
    this.#narrow = narrow;
  }

  /** The value written at open (64-bit integers as a `number` when exact, else a `bigint`). */
  get value(): V {
    switch (this.encoding) {
      case 'f64':
        return this.f64[this.w]! as V;
      case 'i64':
        return exact(Atomics.load(this.i64, this.w)) as V;
      case 'u64':
        return exact(BigInt.asUintN(64, Atomics.load(this.i64, this.w))) as V;
      case 'text': {
        const at = this.w << 3;
        const length = this.i32[this.s + 1]!;
        return decoder.decode(this.bytes.subarray(at + 8, at + 8 + length)) as V;
      }
    }
  }

  protected override initialize(): void {
    const initial = this.#initial;
    const value = typeof initial === 'function' ? initial() : initial;
    switch (this.encoding) {
      case 'f64': {
        const n = Number(value);
        this.f64[this.w] = this.#narrow === undefined ? n : this.#narrow(n);
        return;
      }
      case 'i64':
      case 'u64':
        Atomics.store(this.i64, this.w, BigInt.asIntN(64, typeof value === 'string' ? BigInt(value) : toBigInt(value)));
        return;
      case 'text': {
        const encoded = encodeUtf8Within(String(value), this.#capacity);
        this.begin();
        this.i32[this.s + 1] = encoded.length;
        this.bytes.set(encoded, (this.w << 3) + 8);
        this.end();
        return;
      }
    }
  }
}

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
