/**
 * A Protocol Buffers wire-format writer (https://protobuf.dev/programming-guides/encoding/),
 * just what the `/metrics` protobuf answer needs: varints, zigzag integers, doubles, strings
 * and nested messages, written into one growing buffer. A nested message is written in place
 * and its length put before it when it ends (its bytes move right by the length's size), so
 * nothing is sized twice and no message is built as an object.
 *
 * @module
 */
import { grownBuffer } from './exposition-bytes.js';

/** Wire types (https://protobuf.dev/programming-guides/encoding/#structure). */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;

const TWO_32 = 2 ** 32;
/** Below it a zigzag integer (`2|n|` or `2|n| − 1`) is still exact as a double. */
const ZIGZAG_EXACT = 2 ** 52;

/** A growing buffer of protobuf fields. */
export class ProtobufWriter {
  #bytes: Buffer;
  #length = 0;

  /**
   * @param capacity - the bytes to start with (it grows by doubling as needed); default 64 KiB
   * @param reuse - a buffer to write into instead, when it holds `capacity` bytes
   */
  constructor(capacity = 1 << 16, reuse?: Buffer) {
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

  /** A `uint32`/`uint64`/`int64` (non-negative) or enum field: `value` a non-negative integer below 2^64. */
  uint(field: number, value: number): void {
    this.#tag(field, VARINT);
    this.#varint(value);
  }

  /** A `sint32`/`sint64` field (zigzag): `value` an integer of magnitude below 2^63. */
  sint(field: number, value: number): void {
    this.#tag(field, VARINT);
    if (Math.abs(value) < ZIGZAG_EXACT) this.#varint(value >= 0 ? 2 * value : -2 * value - 1);
    else this.#bigVarint(value >= 0 ? 2n * BigInt(value) : -2n * BigInt(value) - 1n);
  }

  /** A `double` field. */
  double(field: number, value: number): void {
    this.#tag(field, FIXED64);
    this.#room(8);
    this.#length = this.#bytes.writeDoubleLE(value, this.#length);
  }

  /** A `string` field, in UTF-8. */
  string(field: number, value: string): void {
    this.#tag(field, LENGTH_DELIMITED);
    const size = Buffer.byteLength(value, 'utf8');
    this.#varint(size);
    this.#room(size);
    this.#length += this.#bytes.write(value, this.#length, 'utf8');
  }

  /** Appends bytes already encoded (fields compiled once, written at every scrape). */
  raw(bytes: Uint8Array): void {
    this.#room(bytes.length);
    this.#bytes.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  /** Starts a nested message (or a length-delimited record); returns where, for {@link ProtobufWriter.end}. */
  begin(): number {
    return this.#length;
  }

  /**
   * Ends the message begun at `start`: puts its tag (`field`) and length before it; with
   * `field` 0, only its length (a varint-delimited stream's record).
   */
  end(start: number, field: number): void {
    const size = this.#length - start;
    const headerSize = (field === 0 ? 0 : varintSize(field * 8 + LENGTH_DELIMITED)) + varintSize(size);
    this.#room(headerSize);
    this.#bytes.copyWithin(start + headerSize, start, this.#length);
    const contentEnd = this.#length + headerSize;
    this.#length = start;
    if (field !== 0) this.#tag(field, LENGTH_DELIMITED);
    this.#varint(size);
    this.#length = contentEnd;
  }

  #tag(field: number, wireType: number): void {
    this.#varint(field * 8 + wireType);
  }

  #varint(value: number): void {
    this.#room(10);
    const bytes = this.#bytes;
    let at = this.#length;
    let n = value;
    // Above 2^32 the bit operators do not reach: divide down to 32 bits first (exact for integers).
    while (n >= TWO_32) {
      bytes[at++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    while (n >= 0x80) {
      bytes[at++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    bytes[at++] = n;
    this.#length = at;
  }

  #bigVarint(value: bigint): void {
    this.#room(10);
    let n = value;
    while (n >= 0x80n) {
      this.#bytes[this.#length++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.#bytes[this.#length++] = Number(n);
  }

  #room(more: number): void {
    if (this.#length + more > this.#bytes.length) this.#bytes = grownBuffer(this.#bytes, this.#length, more);
  }
}

/** Bytes of the varint of a non-negative integer. */
function varintSize(value: number): number {
  let size = 1;
  for (let n = value; n >= 0x80; n = Math.floor(n / 128)) size++;
  return size;
}
