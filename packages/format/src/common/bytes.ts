/**
 * A file's bytes with a DataView over them: what v1's values and v2's typed views both build on.
 *
 * @module
 */

/**
 * The bytes of a stats file with a DataView over the same memory, made once per file so
 * that reads allocate nothing but their values.
 */
export interface StatsBytes {
  /** The file's bytes. */
  readonly bytes: Uint8Array;
  /** A DataView over exactly the same bytes. */
  readonly view: DataView;
}

/** Wraps `bytes` (a file's contents or a mapping of it) for {@link readV1Value} and {@link writeV1Value}. */
export function statsBytes(bytes: Uint8Array): StatsBytes {
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}
