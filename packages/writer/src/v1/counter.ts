/**
 * The counter: Python's `CounterField`, a double-buffered u64 (`Q`) with `incr(n)` and a
 * settable value (spec/format-v1.md#buffering).
 *
 * @module
 */
import { TAKES } from '../common/rejected-values.js';
import { isCount, toBigInt } from '../common/values.js';
import { FieldHandle } from './handle.js';
import { readU64 } from './scalars.js';

const TWO_32 = 0x1_0000_0000;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_SAFE_BIG = BigInt(MAX_SAFE);

/**
 * A monotonic count (it wraps past 2^64 − 1 like a C `uint64_t`). The count lives in a JS number
 * while it is below 2^53, so `incr()` is an add and two 32-bit stores into the buffer being
 * written, then a one-byte flip: no bigint, no allocation, no syscall. Past 2^53 it switches
 * to `bigint` and stays exact over the whole u64 range. A step or count that is negative, NaN,
 * ±Infinity or not a number is ignored and counted (`rejected`, spec/files.md#bad-values).
 */
export class CounterField extends FieldHandle {
  // The count as a number while exact; Infinity while the bigint below holds it, so the fast
  // path's single range check also sends big counts to the slow path.
  #count = 0;
  #big = 0n;

  /** @internal */
  constructor(label: string) {
    super(label, 'Q', true, 8);
  }

  /**
   * Adds `n` (default 1) and publishes the new count. Fractions are truncated; a count past
   * 2^64 − 1 wraps modulo 2^64, as Python's ctypes counter does. A negative, NaN, infinite or
   * non-number `n` is ignored and counted (spec/files.md#bad-values): a count never goes down.
   */
  incr(n: number | bigint = 1): void {
    if (typeof n === 'number') {
      const next = this.#count + n;
      if (next <= MAX_SAFE && n >= 0 && Number.isInteger(n)) {
        const w = this.w;
        const at = this.at + (w << 3);
        this.view.setUint32(at, next >>> 0, true);
        this.view.setUint32(at + 4, (next / TWO_32) >>> 0, true);
        this.bytes[this.wb] = w ^ 1;
        this.w = w ^ 1;
        this.#count = next;
        return;
      }
    }
    this.#incrSlowly(n);
  }

  /** `incr` past 2^53, with a fraction, or with a bad step: kept out of `incr` so that stays small enough to inline. */
  #incrSlowly(n: unknown): void {
    if (isCount(n)) this.#store(BigInt.asUintN(64, this.bigint + toBigInt(n)));
    else this.rejections.reject(n, TAKES.count);
  }

  /** The count readers see now: a `number` up to 2^53 − 1, a `bigint` beyond (always exact). */
  get value(): number | bigint {
    return readU64(this.view, this.at + ((this.w ^ 1) << 3));
  }
  /** Sets the count (wrapping modulo 2^64), as Python's `counter.value = n` does; a negative, NaN, infinite or non-number value is ignored and counted. */
  set value(value: number | bigint) {
    if (isCount(value)) this.#store(BigInt.asUintN(64, toBigInt(value)));
    else this.rejections.reject(value, TAKES.count);
  }

  /** The count as a `bigint`, always. */
  get bigint(): bigint {
    return this.#count === Infinity ? this.#big : BigInt(this.#count);
  }

  #store(value: bigint): void {
    if (value <= MAX_SAFE_BIG) {
      this.#count = Number(value);
      this.#big = 0n;
    } else {
      this.#count = Infinity;
      this.#big = value;
    }
    const w = this.w;
    this.view.setBigUint64(this.at + (w << 3), value, true);
    this.bytes[this.wb] = w ^ 1;
    this.w = w ^ 1;
  }
}
