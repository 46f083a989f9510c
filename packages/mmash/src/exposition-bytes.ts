/**
 * The bytes of a `/metrics` body as they are written: one buffer that grows by doubling, and
 * sample values written into it as both exposition formats spell them, integers digit by digit
 * (a scrape of 100,000 counters then makes no string per value).
 *
 * @module
 */
import type { V2Value } from '@mmstats/format';

/** A sample's value: what a counter, gauge or bucket line shows. */
export type SampleValue = Exclude<V2Value, string | object> | boolean;

/** A growing byte buffer for one exposition. */
export class ExpositionBytes {
  #bytes: Buffer;
  #length = 0;

  /**
   * @param capacity - the bytes to start with (it grows as needed)
   * @param reuse - a buffer to write into instead, when it holds `capacity` bytes
   */
  constructor(capacity: number, reuse?: Buffer) {
    this.#bytes = reuse !== undefined && reuse.length >= capacity ? reuse : Buffer.allocUnsafe(Math.max(capacity, 64));
  }

  /** How many bytes have been written. */
  get length(): number {
    return this.#length;
  }

  /** The bytes written so far (a view of the buffer, not a copy). */
  get bytes(): Buffer {
    return this.#bytes.subarray(0, this.#length);
  }

  /** Appends `source[start..end)`. */
  copy(source: Uint8Array, start: number, end: number): void {
    this.#room(end - start);
    if (end - start > 40) {
      this.#bytes.set(source.subarray(start, end), this.#length);
      this.#length += end - start;
      return;
    }
    // A short run is copied faster by a loop than by a call that makes a view of it (~50 ns a
    // call on Node 20, whatever the length; a loop takes about a nanosecond a byte).
    const bytes = this.#bytes;
    let at = this.#length;
    for (let i = start; i < end; i++) bytes[at++] = source[i]!;
    this.#length = at;
  }

  /** Appends `text` as UTF-8. */
  text(text: string): void {
    // At most 3 bytes per UTF-16 unit.
    this.#room(3 * text.length);
    this.#length += this.#bytes.write(text, this.#length, 'utf8');
  }

  /** Appends `value` as {@link sampleText} spells it. */
  sample(value: SampleValue): void {
    if (typeof value === 'number' && Number.isSafeInteger(value)) this.#integer(value);
    else if (typeof value === 'bigint' && value >= -MAX_SAFE && value <= MAX_SAFE) this.#integer(Number(value));
    else this.text(sampleText(value));
  }

  /** Appends the decimal digits of a safe integer, with no string made on the way. */
  #integer(value: number): void {
    this.#room(17);
    const bytes = this.#bytes;
    let at = this.#length;
    let n = value;
    if (n < 0) {
      bytes[at++] = 0x2d; // '-'
      n = -n;
    }
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    for (let i = at + digits - 1; i >= at; i--) {
      bytes[i] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    }
    this.#length = at + digits;
  }

  #room(more: number): void {
    if (this.#length + more > this.#bytes.length) this.#bytes = grownBuffer(this.#bytes, this.#length, more);
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A buffer with room for `more` bytes after the first `length` of `bytes`, which it holds: at
 * least twice as large, so that a body written in small pieces is copied a bounded number of times.
 */
export function grownBuffer(bytes: Buffer, length: number, more: number): Buffer {
  const grown = Buffer.allocUnsafe(Math.max(length + more, 2 * bytes.length));
  bytes.copy(grown, 0, 0, length);
  return grown;
}

/** A sample value as both formats spell it: exact integers, `NaN`, `+Inf`, `-Inf`. */
export function sampleText(value: SampleValue): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'bigint') return value.toString();
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** A label value escaped as both formats require (backslash, double quote, newline). */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** A label: its name and its value as it is (unescaped); what the protobuf answer encodes. */
export type LabelPair = readonly [name: string, value: string];

/**
 * `labels` as both text formats write them between braces: `a="x",b="y \"z\""`, each value
 * escaped by {@link escapeLabelValue}; `""` for none.
 */
export function labelText(labels: readonly LabelPair[]): string {
  let text = '';
  for (let i = 0; i < labels.length; i++) text += `${i === 0 ? '' : ','}${labels[i]![0]}="${escapeLabelValue(labels[i]![1])}"`;
  return text;
}
