/**
 * The v1 file layout: a version byte, then packed field records (spec/format-v1.md).
 *
 * ```text
 * offset 0: version u8 = 0x01
 * then, per field:  label_sz u16 | label | type_sz u16 | type | write_buffer u8 | value or 2 buffers
 * end: a label_sz of 0, or the end of the file
 * ```
 *
 * @module
 */
import { MmstatsError, byteHex, failure, type Result } from '../common/errors.js';
import { V1_VERSION, versionError } from '../common/version.js';
import { parseV1Type, type V1Type } from './types.js';
import { decodeUtf8Strict, encodeUtf8 } from '../common/utf8.js';

/** The write-buffer byte of an unbuffered field (spec/format-v1.md#buffering). */
export const V1_UNBUFFERED = 0xff;

/** Bytes of a record that do not depend on label, type or value: two u16 sizes and the write-buffer byte. */
export const V1_RECORD_OVERHEAD = 5;

/** Largest label or type signature a record can hold: its size is a u16. */
export const V1_MAX_NAME_BYTES = 0xffff;

/** Where one field lives in a v1 file. All offsets are from the start of the file. */
export interface V1FieldLayout {
  /** Offset of the record's `label_sz`. */
  readonly offset: number;
  /** The label, decoded from UTF-8. */
  readonly label: string;
  /** The type signature as stored, e.g. `"Q"`. */
  readonly type: string;
  /** The parsed type signature. */
  readonly valueType: V1Type;
  /** `true` for a double-buffered field, `false` when its write-buffer byte is 0xff. */
  readonly buffered: boolean;
  /** Offset of the write-buffer byte. */
  readonly writeBufferOffset: number;
  /** Offset of the value (unbuffered) or of buffer 0 (buffered); buffer 1 follows buffer 0. */
  readonly valueOffset: number;
  /** Bytes the whole record takes, from `label_sz` to the end of its value(s). */
  readonly size: number;
}

/** The layout of a whole v1 file. */
export interface V1Layout {
  /** Always 1. */
  readonly version: 1;
  /** The fields in file order (readers must not assume any particular order). */
  readonly fields: readonly V1FieldLayout[];
  /** Offset just after the last record: where a writer would put the next one. */
  readonly end: number;
}

/**
 * Parses the layout of a v1 file: every record's label, type and offsets, without reading
 * values. Never throws on bad bytes and always ends: each record advances at least
 * {@link V1_RECORD_OVERHEAD} bytes.
 *
 * @param bytes - the whole file (or a mapping of it)
 * @returns the layout, or the first coded error met (spec/errors.md)
 */
export function parseV1Layout(bytes: Uint8Array): Result<V1Layout> {
  const unsupported = versionError(bytes, [V1_VERSION]);
  if (unsupported !== undefined) return { ok: false, error: unsupported };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: V1FieldLayout[] = [];
  let at = 1;
  for (;;) {
    const end = atEndOfFields(bytes, at);
    if (end === true) break;
    if (end instanceof MmstatsError) return { ok: false, error: end };
    const field = parseRecord(bytes, view, at);
    if (field instanceof MmstatsError) return { ok: false, error: field };
    fields.push(field);
    at += field.size;
  }
  return { ok: true, value: { version: 1, fields, end: at } };
}

/**
 * End of fields (spec/format-v1.md#end-of-fields): the end of the file, or a `label_sz` of 0.
 * A single trailing 0x00 byte also ends the fields (Python's reader accepts it); a single
 * non-zero byte is a `label_sz` cut off by the end of the file.
 */
function atEndOfFields(bytes: Uint8Array, at: number): boolean | MmstatsError {
  const left = bytes.length - at;
  if (left <= 0) return true;
  if (left === 1) {
    return bytes[at] === 0 ? true : new MmstatsError('TRUNCATED_RECORD', 'label_sz cut off by the end of the file', { offset: at });
  }
  return bytes[at] === 0 && bytes[at + 1] === 0;
}

function parseRecord(bytes: Uint8Array, view: DataView, offset: number): V1FieldLayout | MmstatsError {
  const labelSize = view.getUint16(offset, true);
  const labelAt = offset + 2;
  if (labelAt + labelSize > bytes.length) {
    return new MmstatsError('SIZE_PAST_END', `label_sz ${labelSize} goes past the end of the file`, { offset });
  }
  const label = decodeUtf8Strict(bytes.subarray(labelAt, labelAt + labelSize));
  if (label === undefined) return new MmstatsError('INVALID_UTF8', 'label is not valid UTF-8', { offset: labelAt });

  const typeSizeAt = labelAt + labelSize;
  if (typeSizeAt + 2 > bytes.length) {
    return new MmstatsError('TRUNCATED_RECORD', `type_sz of field ${JSON.stringify(label)} cut off by the end of the file`, { offset: typeSizeAt });
  }
  const typeSize = view.getUint16(typeSizeAt, true);
  const typeAt = typeSizeAt + 2;
  if (typeAt + typeSize > bytes.length) {
    return new MmstatsError('SIZE_PAST_END', `type_sz ${typeSize} of field ${JSON.stringify(label)} goes past the end of the file`, { offset: typeSizeAt });
  }
  // Type signatures are ASCII; other bytes map one-to-one to U+0080..U+00FF and are rejected below.
  const signature = latin1(bytes.subarray(typeAt, typeAt + typeSize));
  const type = parseV1Type(signature);
  if (!type.ok) return new MmstatsError(type.error.errorName, `${type.error.detail} (field ${JSON.stringify(label)})`, { offset: typeAt });

  const writeBufferOffset = typeAt + typeSize;
  if (writeBufferOffset >= bytes.length) {
    return new MmstatsError('TRUNCATED_RECORD', `write_buffer of field ${JSON.stringify(label)} cut off by the end of the file`, { offset: writeBufferOffset });
  }
  const writeBuffer = bytes[writeBufferOffset]!;
  if (writeBuffer !== 0 && writeBuffer !== 1 && writeBuffer !== V1_UNBUFFERED) {
    return new MmstatsError('BAD_WRITE_BUFFER', `write_buffer 0x${byteHex(writeBuffer)} of field ${JSON.stringify(label)} is not 0, 1 or 0xff`, { offset: writeBufferOffset });
  }
  const buffered = writeBuffer !== V1_UNBUFFERED;
  const valueOffset = writeBufferOffset + 1;
  const valueBytes = type.value.size * (buffered ? 2 : 1);
  if (valueOffset + valueBytes > bytes.length) {
    return new MmstatsError('TRUNCATED_RECORD', `value of field ${JSON.stringify(label)} (${valueBytes} bytes) cut off by the end of the file`, { offset: valueOffset });
  }
  return {
    offset,
    label,
    type: signature,
    valueType: type.value,
    buffered,
    writeBufferOffset,
    valueOffset,
    size: valueOffset + valueBytes - offset,
  };
}

/** What a writer declares for one field of a v1 file. */
export interface V1FieldSpec {
  /** The label, e.g. `"web.stats.status.2XX"`; at most 65535 bytes of UTF-8. */
  readonly label: string;
  /** The type signature, e.g. `"Q"` or `"16s"`. */
  readonly type: string;
  /** Double-buffered (`true`) or written in place with write_buffer 0xff (`false`). */
  readonly buffered: boolean;
}

/**
 * Lays out fields one after another from offset 1, as a v1 writer stores them.
 *
 * @returns the layout, or `MALFORMED_TYPE` / `UNKNOWN_TYPE` for a bad signature and
 *   `SIZE_PAST_END` for a label or signature longer than a u16 can say
 */
export function planV1Layout(specs: readonly V1FieldSpec[]): Result<V1Layout> {
  const fields: V1FieldLayout[] = [];
  let offset = 1;
  for (const spec of specs) {
    const type = parseV1Type(spec.type);
    if (!type.ok) return type;
    const labelSize = encodeUtf8(spec.label).length;
    if (labelSize > V1_MAX_NAME_BYTES || spec.type.length > V1_MAX_NAME_BYTES) {
      return failure('SIZE_PAST_END', `label or type of field ${JSON.stringify(spec.label.slice(0, 40))} is longer than ${V1_MAX_NAME_BYTES} bytes`, offset);
    }
    const writeBufferOffset = offset + 2 + labelSize + 2 + spec.type.length;
    const valueOffset = writeBufferOffset + 1;
    const size = valueOffset + type.value.size * (spec.buffered ? 2 : 1) - offset;
    fields.push({ offset, label: spec.label, type: spec.type, valueType: type.value, buffered: spec.buffered, writeBufferOffset, valueOffset, size });
    offset += size;
  }
  return { ok: true, value: { version: 1, fields, end: offset } };
}

/**
 * Writes the version byte and each record's fixed part (sizes, label, type, write-buffer
 * byte: 0 for buffered fields, 0xff for unbuffered) into `bytes`, which must be zero-filled
 * and at least `layout.end` long. Values are left as they are (zero).
 */
export function writeV1Headers(bytes: Uint8Array, layout: V1Layout): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  bytes[0] = V1_VERSION;
  for (const field of layout.fields) {
    const label = encodeUtf8(field.label);
    view.setUint16(field.offset, label.length, true);
    bytes.set(label, field.offset + 2);
    const typeSizeAt = field.offset + 2 + label.length;
    view.setUint16(typeSizeAt, field.type.length, true);
    for (let i = 0; i < field.type.length; i++) bytes[typeSizeAt + 2 + i] = field.type.charCodeAt(i);
    bytes[field.writeBufferOffset] = field.buffered ? 0 : V1_UNBUFFERED;
  }
}

/** Bytes as Latin-1 text: each byte one character, so nothing is lost for error messages. */
function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}
