/**
 * Static fields: written once when the file is created, unbuffered (write_buffer 0xff), like
 * Python's `Static*Field`s. Their value may be a function, called for each opened instance
 * (so `sys.tid` is the tid of the thread that opened it, unlike Python's once-per-class).
 *
 * @module
 */
import { parseV1Type, readV1Scalar, writeV1Scalar, type V1Type } from '@mmstats/format';
import type { Lazy } from '../common/values.js';
import { FieldHandle } from './handle.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A read-only field whose value is fixed at open. `V` is what `value` reads back as. */
export class StaticField<V extends number | bigint | string> extends FieldHandle {
  readonly #type: V1Type;
  readonly #initial: Lazy<V | number>;

  /** @internal */
  constructor(label: string, type: string, initial: Lazy<V | number>) {
    const parsed = parseV1Type(type);
    if (!parsed.ok) throw parsed.error;
    super(label, type, false, parsed.value.size);
    this.#type = parsed.value;
    this.#initial = initial;
  }

  /** The value written at open (64-bit integers read back as `bigint`, strings as written, cut to the field). */
  get value(): V {
    const value = readV1Scalar(this.bytes, this.view, this.at, this.#type);
    // 64-bit integers follow the rule of the other handles: a number while it is exact.
    if (typeof value === 'bigint' && value >= -MAX_SAFE && value <= MAX_SAFE) return Number(value) as V;
    return value as V;
  }

  protected override initialize(): void {
    const initial = this.#initial;
    const value = typeof initial === 'function' ? initial() : initial;
    writeV1Scalar(this.bytes, this.view, this.at, this.#type, value);
  }
}
