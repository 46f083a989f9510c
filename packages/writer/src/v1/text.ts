/**
 * String fields: `Ns`, NUL-padded UTF-8, unbuffered (spec/format-v1.md#text).
 *
 * @module
 */
import type { V1FieldLayout } from '@mmstats/format';
import { TAKES } from '../common/rejected-values.js';
import { FieldHandle, bind, type Target } from './handle.js';

const encoder = new TextEncoder();
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * A UTF-8 string of at most `size` bytes, like Python's `StringField`. A longer value is cut
 * before the first character that does not fit whole; a shorter one is ended by one NUL and,
 * as in Python, leaves the older bytes after it alone (readers stop at the NUL).
 */
export class StringField extends FieldHandle {
  /** Bytes the field holds. */
  readonly size: number;
  // A view of exactly the value's bytes: encodeInto writes only whole characters into it, so
  // the cut at a character boundary costs nothing extra and nothing is allocated per set.
  #slot: Uint8Array = new Uint8Array(0);

  /** @internal */
  constructor(label: string, size: number) {
    super(label, `${size}s`, false, size);
    this.size = size;
  }

  /** The value readers see now: the bytes up to the first NUL, decoded leniently. */
  get value(): string {
    const slot = this.#slot;
    const end = slot.indexOf(0);
    return lenient.decode(end === -1 ? slot : slot.subarray(0, end));
  }
  /** Publishes a new value: readers see it from the next read on (spec/format-v1.md#buffering); a non-string is ignored and counted. */
  set value(value: string) {
    if (typeof value !== 'string') {
      this.rejections.reject(value, TAKES.string);
      return;
    }
    const slot = this.#slot;
    const { written } = encoder.encodeInto(value, slot);
    if (written < slot.length) slot[written] = 0;
  }

  /** @internal */
  override [bind](target: Target, layout: V1FieldLayout, how: 'fresh' | 'carry' | 'moved'): void {
    super[bind](target, layout, how);
    this.#slot = target.bytes.subarray(layout.valueOffset, layout.valueOffset + this.size);
  }
}

