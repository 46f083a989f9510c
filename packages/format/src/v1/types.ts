/**
 * The v1 type signatures: Python `struct` format strings with native sizes on 64-bit Linux,
 * one value per field (spec/format-v1.md#type-signatures).
 *
 * @module
 */
import { MmstatsError, type Result } from '../common/errors.js';
import { decodeUtf8Lenient, encodeUtf8Within } from '../common/utf8.js';

/** How a v1 value is represented once decoded. */
export type ValueKind = 'int' | 'uint' | 'float' | 'bool' | 'string';

/**
 * A decoded value: `number` for integers up to 32 bits and floats, `bigint` for 64-bit
 * integers (exact over their whole range), `boolean` for `?`, `string` for `Ns`.
 */
export type Value = number | bigint | boolean | string;

/** The single-character codes of v1 scalar types. */
export type V1ScalarCode = 'b' | 'B' | '?' | 'h' | 'H' | 'i' | 'I' | 'l' | 'L' | 'q' | 'Q' | 'f' | 'd';

/** A parsed v1 type signature. */
export interface V1Type {
  /** The signature as stored in the file, e.g. `"Q"` or `"16s"`. */
  readonly signature: string;
  /** The type code: a scalar code, or `"s"` for a string of {@link V1Type.size} bytes. */
  readonly code: V1ScalarCode | 's';
  /** Bytes one value takes (one buffer, for a buffered field). */
  readonly size: number;
  /** How the value decodes. */
  readonly kind: ValueKind;
}

/** Size and kind of one scalar code. */
export interface ScalarTypeInfo {
  /** Bytes one value takes. */
  readonly size: number;
  /** How the value decodes. */
  readonly kind: ValueKind;
}

/** Size and kind of each scalar code (spec/format-v1.md#type-table). */
export const V1_SCALAR_TYPES: Readonly<Record<V1ScalarCode, ScalarTypeInfo>> = {
  b: { size: 1, kind: 'int' },
  B: { size: 1, kind: 'uint' },
  '?': { size: 1, kind: 'bool' },
  h: { size: 2, kind: 'int' },
  H: { size: 2, kind: 'uint' },
  i: { size: 4, kind: 'int' },
  I: { size: 4, kind: 'uint' },
  // Python's native `l`/`L` are 8 bytes on 64-bit Linux, where every 0.8.0 file was written.
  l: { size: 8, kind: 'int' },
  L: { size: 8, kind: 'uint' },
  q: { size: 8, kind: 'int' },
  Q: { size: 8, kind: 'uint' },
  f: { size: 4, kind: 'float' },
  d: { size: 8, kind: 'float' },
};

const SCALAR = /^[bB?hHiIlLqQfd]$/;
const STRING = /^(\d*)s$/;
const COUNTED_OTHER = /^\d+([\s\S])$/;

const parsed = new Map<string, V1Type>();

/**
 * Parses a v1 type signature (spec/format-v1.md#type-signatures):
 * `signature = scalar-code | [count] "s"`. Results are cached: files repeat a handful of
 * signatures.
 *
 * @returns the type, or `UNKNOWN_TYPE` for a code v1 does not have, or `MALFORMED_TYPE` for
 *   anything else that is not one field of one type.
 */
export function parseV1Type(signature: string): Result<V1Type> {
  const cached = parsed.get(signature);
  if (cached) return { ok: true, value: cached };
  const type = classify(signature);
  if (type instanceof MmstatsError) return { ok: false, error: type };
  if (parsed.size < 1024) parsed.set(signature, type);
  return { ok: true, value: type };
}

function classify(signature: string): V1Type | MmstatsError {
  const shown = JSON.stringify(signature);
  if (SCALAR.test(signature)) {
    const code = signature as V1ScalarCode;
    return { signature, code, ...V1_SCALAR_TYPES[code] };
  }
  const string = STRING.exec(signature);
  if (string) {
    // Python's struct reads a bare "s" as a 1-byte string.
    const size = string[1] === '' ? 1 : Number(string[1]);
    return { signature, code: 's', size, kind: 'string' };
  }
  if (signature.length === 0) return new MmstatsError('MALFORMED_TYPE', 'empty type signature');
  const single = signature.length === 1 ? signature : COUNTED_OTHER.exec(signature)?.[1];
  if (single !== undefined && !/\d/.test(single)) {
    if (signature.length > 1 && (single in V1_SCALAR_TYPES)) {
      return new MmstatsError('MALFORMED_TYPE', `type signature ${shown} repeats a scalar code; v1 fields hold one value`);
    }
    return new MmstatsError('UNKNOWN_TYPE', `unknown type code ${JSON.stringify(single)} in type signature ${shown}`);
  }
  return new MmstatsError('MALFORMED_TYPE', `type signature ${shown} is not one v1 field type`);
}

/** Reads one value of `type` at `offset` (little-endian). `view` and `bytes` cover the same memory. */
export function readV1Scalar(bytes: Uint8Array, view: DataView, offset: number, type: V1Type): Value {
  switch (type.code) {
    case 'b': return view.getInt8(offset);
    case 'B': return view.getUint8(offset);
    case '?': return view.getUint8(offset) !== 0;
    case 'h': return view.getInt16(offset, true);
    case 'H': return view.getUint16(offset, true);
    case 'i': return view.getInt32(offset, true);
    case 'I': return view.getUint32(offset, true);
    case 'l':
    case 'q': return view.getBigInt64(offset, true);
    case 'L':
    case 'Q': return view.getBigUint64(offset, true);
    case 'f': return view.getFloat32(offset, true);
    case 'd': return view.getFloat64(offset, true);
    case 's': return readV1String(bytes, offset, type.size);
  }
}


/**
 * A string value: the bytes up to the first NUL (the writer NUL-pads, and a shorter value
 * leaves older bytes after its NUL), decoded as UTF-8 with U+FFFD for invalid sequences
 * (spec/format-v1.md#text).
 */
function readV1String(bytes: Uint8Array, offset: number, size: number): string {
  const field = bytes.subarray(offset, offset + size);
  const end = field.indexOf(0);
  return decodeUtf8Lenient(end === -1 ? field : field.subarray(0, end));
}

/**
 * Writes one value of `type` at `offset`, with the conversions Python's ctypes applies:
 * integers wrap modulo 2^bits (so -100 in an `I` field reads back 4294967196), numbers given
 * for integer fields are truncated toward zero, booleans store 0/1, strings are cut at a
 * UTF-8 character boundary to the field size and NUL-terminated when shorter.
 */
export function writeV1Scalar(bytes: Uint8Array, view: DataView, offset: number, type: V1Type, value: Value): void {
  switch (type.code) {
    case 'b': view.setInt8(offset, toInt(value)); return;
    case 'B': view.setUint8(offset, toInt(value)); return;
    case '?': view.setUint8(offset, value ? 1 : 0); return;
    case 'h': view.setInt16(offset, toInt(value), true); return;
    case 'H': view.setUint16(offset, toInt(value), true); return;
    case 'i': view.setInt32(offset, toInt(value), true); return;
    case 'I': view.setUint32(offset, toInt(value), true); return;
    case 'l':
    case 'q': view.setBigInt64(offset, BigInt.asIntN(64, toBigInt(value)), true); return;
    case 'L':
    case 'Q': view.setBigUint64(offset, BigInt.asUintN(64, toBigInt(value)), true); return;
    case 'f': view.setFloat32(offset, Number(value), true); return;
    case 'd': view.setFloat64(offset, Number(value), true); return;
    case 's': writeV1String(bytes, offset, type.size, String(value)); return;
  }
}

function writeV1String(bytes: Uint8Array, offset: number, size: number, text: string): void {
  const encoded = encodeUtf8Within(text, size);
  bytes.set(encoded, offset);
  // One NUL ends a shorter value; like the Python writer, the bytes after it are left alone.
  if (encoded.length < size) bytes[offset + encoded.length] = 0;
}

// DataView's integer setters already wrap modulo 2^bits; this only makes the input an integer
// (NaN and infinities store 0, as ToInt32 does).
function toInt(value: Value): number {
  if (typeof value === 'bigint') return Number(BigInt.asIntN(64, value) & 0xffffffffn);
  const n = Math.trunc(Number(value));
  return Number.isFinite(n) ? n : 0;
}

function toBigInt(value: Value): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  const n = Math.trunc(Number(value));
  return Number.isFinite(n) ? BigInt(n) : 0n;
}
