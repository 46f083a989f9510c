/**
 * Reading and writing v1 values under the double-buffer rule (spec/format-v1.md#buffering).
 *
 * A buffered field has two value buffers and a write-buffer byte `w`: the writer stores the
 * new value into `buffers[w]` and then flips `w`; a reader reads `buffers[w ^ 1]`, the one
 * written last. An unbuffered field (`w` = 0xff) has one value, written in place.
 *
 * @module
 */
import type { StatsBytes } from '../common/bytes.js';
import { V1_UNBUFFERED, type V1FieldLayout } from './layout.js';
import { readV1Scalar, writeV1Scalar, type Value } from './types.js';

/** Offset of the value a reader should read now: the unbuffered value, or `buffers[w ^ 1]`. */
export function v1ReadOffset(bytes: Uint8Array, field: V1FieldLayout): number {
  const writeBuffer = bytes[field.writeBufferOffset];
  if (writeBuffer === V1_UNBUFFERED || !field.buffered) return field.valueOffset;
  // Any value other than 0 or 1 here means the byte changed under us; bit 0 still picks a buffer.
  return field.valueOffset + ((writeBuffer ?? 0) & 1 ? 0 : field.valueType.size);
}

/** Reads the current value of `field` (see the double-buffer rule above). */
export function readV1Value(file: StatsBytes, field: V1FieldLayout): Value {
  return readV1Scalar(file.bytes, file.view, v1ReadOffset(file.bytes, field), field.valueType);
}

/**
 * Writes `value` into `field` the way a v1 writer must: into `buffers[w]`, then flips `w`
 * (buffered), or in place (unbuffered). Integer values wrap like Python's ctypes.
 */
export function writeV1Value(file: StatsBytes, field: V1FieldLayout, value: Value): void {
  if (!field.buffered) {
    writeV1Scalar(file.bytes, file.view, field.valueOffset, field.valueType, value);
    return;
  }
  const w = (file.bytes[field.writeBufferOffset] ?? 0) & 1;
  writeV1Scalar(file.bytes, file.view, field.valueOffset + w * field.valueType.size, field.valueType, value);
  file.bytes[field.writeBufferOffset] = w ^ 1;
}
