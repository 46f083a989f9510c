/**
 * Typed views over a v2 file, built once per file. v2 values are 8-byte aligned
 * (spec/format-v2.md#alignment) so that a scalar is one aligned load or store and a sequence
 * word can be accessed with `Atomics`; both need typed arrays, which need aligned memory.
 *
 * @module
 */
import type { StatsBytes } from '../common/bytes.js';

/**
 * The bytes of a v2 file with the views readers and writers use. Every view covers the
 * same memory from the same start, so a file offset `o` is `i32[o / 4]`, `f64[o / 8]`,
 * `i64[o / 8]`.
 */
export interface V2StatsBytes extends StatsBytes {
  /** 32-bit words, for the `state`, `seq` and `flags` words (`Atomics.load` / `Atomics.store`). */
  readonly i32: Int32Array;
  /** 64-bit floats: `f64` scalars and the words of composite values. */
  readonly f64: Float64Array;
  /** 64-bit integers: `i64` and `u64` scalars (a `u64` is this word read unsigned). */
  readonly i64: BigInt64Array;
}

/**
 * `true` on a little-endian machine. Typed arrays use the machine's byte order and v2 is
 * little-endian (spec/format-v2.md#header); every platform JavaScript runs on today is.
 */
export const littleEndianHost: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Wraps `bytes` (a v2 file's contents or a mapping of it) with its typed views.
 *
 * `bytes.byteOffset` must be a multiple of 8: a mapping always is (it starts on a page), and
 * so is a fresh `Uint8Array`; a slice of a pooled Node `Buffer` may not be. Copy such bytes
 * into a new `Uint8Array` first ({@link decodeV2} does that itself).
 *
 * @throws RangeError when `bytes.byteOffset` is not a multiple of 8, or on a big-endian machine
 */
export function statsBytesV2(bytes: Uint8Array): V2StatsBytes {
  if (bytes.byteOffset % 8 !== 0) {
    throw new RangeError(`v2 bytes must start 8-byte aligned (byteOffset ${bytes.byteOffset}); copy them first`);
  }
  if (!littleEndianHost) throw new RangeError('v2 typed views need a little-endian machine');
  const { buffer, byteOffset, byteLength } = bytes;
  return {
    bytes,
    view: new DataView(buffer, byteOffset, byteLength),
    i32: new Int32Array(buffer, byteOffset, byteLength >>> 2),
    f64: new Float64Array(buffer, byteOffset, byteLength >>> 3),
    i64: new BigInt64Array(buffer, byteOffset, byteLength >>> 3),
  };
}

/** `bytes` itself when it starts 8-byte aligned, else an aligned copy (for one-shot decoding). */
export function alignedBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
}
