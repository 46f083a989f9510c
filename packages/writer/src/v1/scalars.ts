/**
 * Handles of the plain value fields: `value` reads what a reader would read and `value = x`
 * writes it under the double-buffer rule (spec/format-v1.md#buffering).
 *
 * Integer stores wrap modulo 2^bits the way Python's ctypes does (so -100 in a `UInt` reads
 * back 4294967196) and fractional numbers are truncated toward zero, as DataView's integer
 * setters do. NaN, ±Infinity and values of the wrong type are ignored and counted
 * (spec/files.md#bad-values): the one check the hot path adds.
 *
 * @module
 */
import { TAKES, isFiniteNumber } from '../common/rejected-values.js';
import { isInteger64, toBigInt } from '../common/values.js';
import { FieldHandle } from './handle.js';

/** A double-buffered 64-bit float (`d`), like Python's `DoubleField`. */
export class DoubleField extends FieldHandle {
  /** @internal */
  constructor(label: string) {
    super(label, 'd', true, 8);
  }
  /** The value readers see now. */
  get value(): number {
    return this.view.getFloat64(this.at + ((this.w ^ 1) << 3), true);
  }
  /** Publishes a new value: readers see it from the next read on (spec/format-v1.md#buffering). NaN and ±Infinity are stored (a float holds them, and the next value replaces them); a non-number is ignored and counted. */
  set value(value: number) {
    if (typeof value !== 'number') {
      this.rejections.reject(value, TAKES.float);
      return;
    }
    const w = this.w;
    this.view.setFloat64(this.at + (w << 3), value, true);
    this.bytes[this.wb] = w ^ 1;
    this.w = w ^ 1;
  }
}

/**
 * A gauge in a v1 file (`gauge()` with `format: 1`): a double-buffered 64-bit float (`d`) with
 * the v2 gauge's `set`, `inc` and `dec`.
 */
export class GaugeField extends DoubleField {
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

/** A double-buffered 32-bit float (`f`), like Python's `FloatField`: stores round to float32. */
export class FloatField extends FieldHandle {
  /** @internal */
  constructor(label: string) {
    super(label, 'f', true, 4);
  }
  /** The value readers see now (a float32 widened to a number). */
  get value(): number {
    return this.view.getFloat32(this.at + ((this.w ^ 1) << 2), true);
  }
  /** Publishes a new value: readers see it from the next read on (spec/format-v1.md#buffering). NaN and ±Infinity are stored (a float holds them, and the next value replaces them); a non-number is ignored and counted. */
  set value(value: number) {
    if (typeof value !== 'number') {
      this.rejections.reject(value, TAKES.float);
      return;
    }
    const w = this.w;
    this.view.setFloat32(this.at + (w << 2), value, true);
    this.bytes[this.wb] = w ^ 1;
    this.w = w ^ 1;
  }
}

/** A double-buffered signed 32-bit integer (`i`), like Python's `IntField`. */
export class IntField extends FieldHandle {
  /** @internal */
  constructor(label: string) {
    super(label, 'i', true, 4);
  }
  /** The value readers see now. */
  get value(): number {
    return this.view.getInt32(this.at + ((this.w ^ 1) << 2), true);
  }
  /** Publishes a new value: readers see it from the next read on (spec/format-v1.md#buffering). */
  set value(value: number) {
    if (!isFiniteNumber(value)) {
      this.rejections.reject(value, TAKES.number);
      return;
    }
    const w = this.w;
    this.view.setInt32(this.at + (w << 2), value, true);
    this.bytes[this.wb] = w ^ 1;
    this.w = w ^ 1;
  }
}

/** A double-buffered unsigned 32-bit integer (`I`), like Python's `UIntField`. */
export class UIntField extends FieldHandle {
  /** @internal */
  constructor(label: string) {
    super(label, 'I', true, 4);
  }
  /** The value readers see now. */
  get value(): number {
    return this.view.getUint32(this.at + ((this.w ^ 1) << 2), true);
  }
  /** Publishes a new value: readers see it from the next read on (spec/format-v1.md#buffering). */
  set value(value: number) {
    if (!isFiniteNumber(value)) {
      this.rejections.reject(value, TAKES.number);
      return;
    }
    const w = this.w;
    this.view.setUint32(this.at + (w << 2), value, true);
    this.bytes[this.wb] = w ^ 1;
    this.w = w ^ 1;
  }
}

/** A double-buffered signed 16-bit integer (`h`), like Python's `ShortField`. */
export class ShortField extends FieldHandle {
  /** @internal */
  constructor(label: string) {
    super(label, 'h', true, 2);
  }
  /** The value readers see now. */
  get value(): number {
    return this.view.getInt16(this.at + ((this.w ^ 1) << 1), true);
  }
  /** Publishes a new value: readers see it from the next read on (spec/format-v1.md#buffering). */
  set value(value: number) {
    if (!isFiniteNumber(value)) {
      this.rejections.reject(value, TAKES.number);
      return;
    }
    const w = this.w;
    this.view.setInt16(this.at + (w << 1), value, true);
    this.bytes[this.wb] = w ^ 1;
    this.w = w ^ 1;
  }
}

/** A double-buffered unsigned 16-bit integer (`H`), like Python's `UShortField`. */
export class UShortField extends FieldHandle {
  /** @internal */
  constructor(label: string) {
    super(label, 'H', true, 2);
  }
  /** The value readers see now. */
  get value(): number {
    return this.view.getUint16(this.at + ((this.w ^ 1) << 1), true);
  }
  /** Publishes a new value: readers see it from the next read on (spec/format-v1.md#buffering). */
  set value(value: number) {
    if (!isFiniteNumber(value)) {
      this.rejections.reject(value, TAKES.number);
      return;
    }
    const w = this.w;
    this.view.setUint16(this.at + (w << 1), value, true);
    this.bytes[this.wb] = w ^ 1;
    this.w = w ^ 1;
  }
}

/** An unbuffered signed 8-bit integer (`b`), like Python's `ByteField`: one byte is never torn. */
export class ByteField extends FieldHandle {
  /** @internal */
  constructor(label: string) {
    super(label, 'b', false, 1);
  }
  /** The value readers see now. */
  get value(): number {
    return this.view.getInt8(this.at);
  }
  /** Publishes a new value: readers see it from the next read on (spec/format-v1.md#buffering). */
  set value(value: number) {
    if (!isFiniteNumber(value)) {
      this.rejections.reject(value, TAKES.number);
      return;
    }
    this.view.setInt8(this.at, value);
  }
}

/** An unbuffered boolean (`?`, stored as 0 or 1), like Python's `BoolField`. */
export class BoolField extends FieldHandle {
  readonly #initial: boolean;
  /** @internal */
  constructor(label: string, initial: boolean) {
    super(label, '?', false, 1);
    this.#initial = initial;
  }
  /** The value readers see now: any non-zero byte reads as `true`. */
  get value(): boolean {
    return this.bytes[this.at] !== 0;
  }
  /** Publishes a new value: readers see it from the next read on (spec/format-v1.md#buffering). */
  set value(value: boolean) {
    if (typeof value !== 'boolean') {
      this.rejections.reject(value, TAKES.boolean);
      return;
    }
    this.bytes[this.at] = value ? 1 : 0;
  }
  protected override initialize(): void {
    if (this.#initial) this.bytes[this.at] = 1;
  }
}

const TWO_32 = 0x1_0000_0000;

/**
 * A double-buffered unsigned 64-bit integer (`Q`), like Python's `UInt64Field`: a gauge that
 * needs the whole 64-bit range. Numbers up to 2^53 − 1 are stored as two 32-bit halves (two
 * plain stores); anything else goes through `bigint`, wrapping modulo 2^64.
 */
export class UInt64Field extends FieldHandle {
  /** @internal */
  constructor(label: string) {
    super(label, 'Q', true, 8);
  }
  /**
   * The value readers see now: a `number` while it is a safe integer (≤ 2^53 − 1), else a
   * `bigint`, so it is always exact (the rule of spec/expected-json.md#values).
   */
  get value(): number | bigint {
    return readU64(this.view, this.at + ((this.w ^ 1) << 3));
  }
  /** Publishes a new value: readers see it from the next read on (spec/format-v1.md#buffering). */
  set value(value: number | bigint) {
    if (!isInteger64(value)) {
      this.rejections.reject(value, TAKES.integer);
      return;
    }
    const w = this.w;
    writeU64(this.view, this.at + (w << 3), value);
    this.bytes[this.wb] = w ^ 1;
    this.w = w ^ 1;
  }
  /** The value readers see now, always as a `bigint`. */
  get bigint(): bigint {
    return this.view.getBigUint64(this.at + ((this.w ^ 1) << 3), true);
  }
}

/** Reads a little-endian u64 as a number when exact, else as a bigint. */
export function readU64(view: DataView, offset: number): number | bigint {
  const hi = view.getUint32(offset + 4, true);
  if (hi < 0x20_0000) return hi * TWO_32 + view.getUint32(offset, true);
  return view.getBigUint64(offset, true);
}

/**
 * Writes a little-endian u64. A safe non-negative integer takes the fast path (two u32
 * stores, measured ~7x cheaper than `setBigUint64`); everything else wraps through bigint.
 */
function writeU64(view: DataView, offset: number, value: number | bigint): void {
  if (typeof value === 'number' && value >= 0 && value <= Number.MAX_SAFE_INTEGER) {
    view.setUint32(offset, value >>> 0, true);
    view.setUint32(offset + 4, (value / TWO_32) >>> 0, true);
    return;
  }
  view.setBigUint64(offset, BigInt.asUintN(64, toBigInt(value)), true);
}
