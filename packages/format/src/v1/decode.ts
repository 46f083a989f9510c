/**
 * Decoding a whole stats file: layout and current values in one call.
 *
 * @module
 */
import type { Result } from '../common/errors.js';
import { parseV1Layout, type V1FieldLayout } from './layout.js';
import type { Value } from './types.js';
import { statsBytes } from '../common/bytes.js';
import { readV1Value } from './values.js';

/** A field with the value it held when it was decoded. */
export interface DecodedField extends V1FieldLayout {
  /** The write-buffer byte as read: 0 or 1 (buffered), 0xff (unbuffered). */
  readonly writeBuffer: number;
  /** The value: see {@link Value} for which JS type each type code gives. */
  readonly value: Value;
}

/** A decoded stats file. */
export interface DecodedFile {
  /** The format version from the first byte. */
  readonly version: 1;
  /** The fields in file order. */
  readonly fields: readonly DecodedField[];
}

/**
 * Decodes a v1 stats file: every field's layout and value. Never throws on bad bytes.
 *
 * @param bytes - the whole file
 * @returns the fields, or the coded error that stopped decoding (spec/errors.md)
 */
export function decodeV1(bytes: Uint8Array): Result<DecodedFile> {
  const layout = parseV1Layout(bytes);
  if (!layout.ok) return layout;
  const file = statsBytes(bytes);
  // A literal, not `{ ...field, ... }`: the spread was a third of decoding time. Same keys in
  // the same order (V1FieldLayout's, then these two), so JSON.stringify gives the same text.
  const fields = layout.value.fields.map(
    (field): DecodedField => ({
      offset: field.offset,
      label: field.label,
      type: field.type,
      valueType: field.valueType,
      buffered: field.buffered,
      writeBufferOffset: field.writeBufferOffset,
      valueOffset: field.valueOffset,
      size: field.size,
      writeBuffer: bytes[field.writeBufferOffset]!,
      value: readV1Value(file, field),
    }),
  );
  return { ok: true, value: { version: 1, fields } };
}

