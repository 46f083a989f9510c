/**
 * What every v2 field handle shares: the typed views of the file it writes into and where
 * its value area is (spec/format-v2.md#record). Binding happens once per place the handle
 * lives (the mapped file, heap memory before `open()`, after `remove()` or when the record
 * did not fit); an update is then a few stores at a precomputed index.
 *
 * @module
 */
import { statsBytesV2, type V2KindName, type V2RecordLayout, type V2StatsBytes } from '@mmstats/format';
import { Rejections, rejectsTo, type RejectSink } from '../common/rejected-values.js';

/** Package-internal: binds a v2 handle to its value area. Not part of the public API. */
export const bindV2 = Symbol('mmstats.bindV2');

/** How a handle comes to a new value area (see {@link RecordHandle}). */
export type BindHow = 'fresh' | 'carry' | 'moved';

const nowhere = statsBytesV2(new Uint8Array(8));

/**
 * Base of every v2 field handle. `label` and `kind` say what the record holds; the value API
 * is on the subclasses. The value is always somewhere: in the file's mapping while the
 * record is published there, otherwise in heap memory (see {@link RecordHandle.layout}).
 */
export abstract class RecordHandle {
  /** The full label as written to the file (label prefix included). */
  readonly label: string;
  /** The record's kind (spec/format-v2.md#kinds). */
  readonly kind: V2KindName;

  // All mutable state is created here, in one order, so every handle of a class has the same
  // hidden class and the hot paths stay monomorphic.
  /** 64-bit float view of the whole file (or heap area): scalars and composite words. */
  protected f64: Float64Array = nowhere.f64;
  /** 32-bit view: the sequence word of composite values. */
  protected i32: Int32Array = nowhere.i32;
  /** 64-bit integer view: `i64` / `u64` scalars. */
  protected i64: BigInt64Array = nowhere.i64;
  /** The bytes: text values. */
  protected bytes: Uint8Array = nowhere.bytes;
  /** Index of the value area's first word in `f64` / `i64` (value offset / 8). */
  protected w = 0;
  /** Index of the `seq` word in `i32` (value offset / 4). */
  protected s = 0;
  /** The even `seq` this handle last wrote: one writer per file, so it never has to read it back. */
  protected seq = 0;
  /** The values updates ignored (spec/files.md#bad-values). */
  protected readonly rejections: Rejections;
  #record: V2RecordLayout | undefined = undefined;
  readonly #valueSize: number;

  protected constructor(label: string, kind: V2KindName, valueSize: number) {
    this.label = label;
    this.kind = kind;
    this.#valueSize = valueSize;
    this.rejections = new Rejections(label);
  }

  /**
   * How many values updates of this field ignored because it cannot take them (NaN,
   * ±Infinity, not a number, a negative count step...; spec/files.md#bad-values).
   */
  get rejected(): number {
    return this.rejections.count;
  }

  /** @internal */
  [rejectsTo](sink: RejectSink | undefined): void {
    this.rejections.sink = sink;
  }

  /**
   * Where the record is published in the file, or `undefined` while the value lives in heap
   * memory only (before a procedural file is opened, after `remove()`/`close()`, when the file
   * could not be made, or when the record did not fit: spec/format-v2.md#capacity).
   */
  get layout(): V2RecordLayout | undefined {
    return this.#record;
  }

  /**
   * Points the handle at its value area at `valueOffset` in `target`.
   * - `fresh`: a new, zeroed value area; write the field's starting value.
   * - `carry`: the handle held a value elsewhere (a procedural field before `open()`): its
   *   value area is copied over when not all zero, else it starts fresh.
   * - `moved`: `target` already holds this value (a copy of the file); only re-point.
   *
   * @internal
   */
  [bindV2](target: V2StatsBytes, valueOffset: number, record: V2RecordLayout | undefined, how: BindHow): void {
    // A copy (Uint8Array's slice: a Buffer's would be a view of the same memory).
    const carried = how === 'carry' ? Uint8Array.prototype.slice.call(this.bytes, this.w << 3, (this.w << 3) + this.#valueSize) : undefined;
    this.f64 = target.f64;
    this.i32 = target.i32;
    this.i64 = target.i64;
    this.bytes = target.bytes;
    this.w = valueOffset >> 3;
    this.s = valueOffset >> 2;
    this.#record = record;
    const carry = carried !== undefined && carried.some((b) => b !== 0);
    if (carry) target.bytes.set(carried, valueOffset);
    this.seq = Atomics.load(this.i32, this.s);
    if (!carry && how !== 'moved') this.initialize();
  }

  /** Bytes of the value area (what `bind` copies when carrying a value). @internal */
  get valueSize(): number {
    return this.#valueSize;
  }

  /** Writes the field's starting value into a fresh value area (info values, `bool({ initial })`). */
  protected initialize(): void {}

  /** Seqlock step 1 (spec/format-v2.md#seqlock): `seq` odd. Only composite handles call it. */
  protected begin(): void {
    Atomics.store(this.i32, this.s, this.seq + 1);
  }

  /** Seqlock step 4: `seq` even again, the new contents published. */
  protected end(): void {
    const next = (this.seq + 2) | 0;
    this.seq = next;
    Atomics.store(this.i32, this.s, next);
  }
}

/** A fresh heap area for one value of `valueSize` bytes, 8-byte aligned, at offset 0. */
export function heapArea(valueSize: number): V2StatsBytes {
  return statsBytesV2(new Uint8Array(Math.max(8, valueSize)));
}
