/**
 * What every field handle shares: where its record lives and the double-buffer bookkeeping
 * (spec/format-v1.md#buffering).
 *
 * A handle is bound to a *target* (the mapped file, or heap memory when the writer degrades
 * or before a procedural model is opened). Binding happens once; afterwards an update is a
 * few stores at precomputed offsets.
 *
 * @module
 */
import { statsBytes, type StatsBytes, type V1FieldLayout } from '@mmstats/format';
import { Rejections, rejectsTo, type RejectSink } from '../common/rejected-values.js';

/** The memory a handle writes into: a whole stats file image (mapped or heap) and a DataView over it. */
export type Target = StatsBytes;

/** Package-internal: binds a handle to its record. Not part of the public API. */
export const bind = Symbol('mmstats.bind');

const nowhere = statsBytes(new Uint8Array(0));

/**
 * Base of every field handle. `label` and `type` say what the record holds; the value API
 * is on the subclasses.
 */
export abstract class FieldHandle {
  /** The full label as written to the file (label prefix included). */
  readonly label: string;
  /** The v1 type signature, e.g. `"Q"` or `"255s"` (spec/format-v1.md#type-signatures). */
  readonly type: string;
  /** `true` when the field is double-buffered (spec/format-v1.md#buffering). */
  readonly buffered: boolean;

  // All mutable state is created here, in one order, so every handle of a class has the same
  // hidden class and the hot paths stay monomorphic.
  protected bytes: Uint8Array = nowhere.bytes;
  protected view: DataView = nowhere.view;
  /** Offset of the value (unbuffered) or of buffer 0 (buffered). */
  protected at = 0;
  /** Offset of the write-buffer byte. */
  protected wb = 0;
  /** The buffer the next write goes to (0 or 1): kept here so a write never reads the mapping. */
  protected w = 0;
  /** Bytes of one value. */
  protected readonly width: number;
  /** The values updates ignored (spec/files.md#bad-values). */
  protected readonly rejections: Rejections;

  protected constructor(label: string, type: string, buffered: boolean, width: number) {
    this.label = label;
    this.type = type;
    this.buffered = buffered;
    this.width = width;
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
   * Points the handle at its record in `target`.
   * - `fresh`: a new record; write the field's starting value.
   * - `carry`: the handle was bound elsewhere before (a procedural model filled in before
   *   `open()`): the value it held is carried over as one write, else it starts fresh.
   * - `moved`: `target` already holds this record's bytes (a copy); only re-point.
   *
   * @internal
   */
  [bind](target: Target, layout: V1FieldLayout, how: 'fresh' | 'carry' | 'moved'): void {
    const old = this.bytes;
    const oldAt = this.readOffset();
    const carried = how === 'carry' ? old.slice(oldAt, oldAt + this.width) : undefined;
    this.bytes = target.bytes;
    this.view = target.view;
    this.at = layout.valueOffset;
    this.wb = layout.writeBufferOffset;
    this.w = this.buffered ? target.bytes[this.wb]! & 1 : 0;
    if (how === 'moved') return;
    if (carried !== undefined && carried.some((b) => b !== 0)) {
      this.bytes.set(carried, this.writeOffset());
      if (this.buffered) this.flip();
    } else {
      this.initialize();
    }
  }

  /** Writes the field's starting value into a fresh record (statics, `bool({ initial })`). */
  protected initialize(): void {}

  /** Offset a reader would read now: the unbuffered value or `buffers[w ^ 1]`. */
  protected readOffset(): number {
    return this.buffered ? this.at + (this.w ^ 1) * this.width : this.at;
  }

  /** Offset the next write goes to: the unbuffered value or `buffers[w]`. */
  protected writeOffset(): number {
    return this.buffered ? this.at + this.w * this.width : this.at;
  }

  /** Publishes the buffer just written: readers switch to it (spec/format-v1.md#buffering). */
  protected flip(): void {
    const w = this.w ^ 1;
    this.bytes[this.wb] = w;
    this.w = w;
  }
}

