/**
 * Reading a whole stats file once: open, decode, return every field with its value.
 *
 * @module
 */
import {
  parseV1Layout,
  readV1Value,
  statsBytes,
  type StatsBytes,
  type V1FieldLayout,
  type V1Layout,
  type Value,
} from '@mmstats/format';
import { closeQuietly, openStatsFile } from './open-stats-file.js';

/** One field of a stats file with the value it held when it was read. */
export interface StatsField {
  /** The label, e.g. `"web.stats.status.2XX"` (spec/format-v1.md#field-record). */
  readonly label: string;
  /** The type signature as stored, e.g. `"Q"` or `"16s"` (spec/format-v1.md#type-signatures). */
  readonly type: string;
  /**
   * The value: `number` for integers up to 32 bits and floats, `bigint` for 64-bit integers,
   * `boolean` for `?`, `string` for `Ns`. For a buffered field, the buffer the writer wrote
   * last (spec/format-v1.md#buffering).
   */
  readonly value: Value;
  /** Where the field lives in the file: offsets, size, parsed type, buffered or not. */
  readonly layout: V1FieldLayout;
}

/** Every field of one stats file, as read at one moment. */
export interface StatsSnapshot {
  /** The path as it was given to the reader (not resolved). */
  readonly path: string;
  /** The format version from the file's first byte (spec/format-v1.md#file-version). */
  readonly version: 1;
  /** The fields in file order; readers must not assume any particular order. */
  readonly fields: readonly StatsField[];
}

/** How a stats file is read. */
export interface ReadOptions {
  /**
   * Map the file read-only (`PROT_READ`, `MAP_SHARED`) through `@riaskov/mmap-io` instead of
   * copying it into memory. Default `true`. Falls back to a plain read whenever mapping is not
   * possible: an empty file, a file system that cannot map, or a binding that cannot load.
   */
  readonly mmap?: boolean;
}

/**
 * Reads and decodes the stats file at `path` (spec/format-v1.md).
 *
 * The returned values are copies: the snapshot does not change when the file does. Use
 * `LiveStatsFile` to watch a file.
 *
 * Residual race (mapped reads only): if another process truncates the file between our
 * `fstat` and the end of decoding, touching the lost pages raises `SIGBUS` and ends the
 * process. mmstats writers never shrink a file; pass `{ mmap: false }` where something else
 * might.
 *
 * @param path - a file, kept in the snapshot and in errors exactly as given
 * @param options - see {@link ReadOptions}; by default the file is mapped
 * @throws `MmstatsError` with `path` set: a format error from the bytes (`MMSTATS-E0xx`,
 *   spec/errors.md), or `NOT_FOUND` (E101) for a missing path, `NOT_A_FILE` (E102) for a
 *   directory/device/FIFO/socket, `READ_FAILED` (E103, with the system error as `cause`) for
 *   permissions and I/O errors
 */
export function readStats(path: string, options: ReadOptions = {}): StatsSnapshot {
  const file = openStatsFile(path, options.mmap ?? true);
  // The bytes are a mapping or a copy; neither needs the descriptor any more (and a failed
  // close of a read-only descriptor loses nothing).
  closeQuietly(file.fd);
  return snapshotOf(path, parseLayout(path, file.bytes), statsBytes(file.bytes));
}

/**
 * Parses the layout of `bytes`, throwing the format's error with `path` set.
 *
 * @internal
 */
export function parseLayout(path: string, bytes: Uint8Array): V1Layout {
  const layout = parseV1Layout(bytes);
  if (!layout.ok) throw layout.error.withPath(path);
  return layout.value;
}

/**
 * The current value of every field of `layout`, as a snapshot.
 *
 * @internal
 */
export function snapshotOf(path: string, layout: V1Layout, file: StatsBytes): StatsSnapshot {
  const fields = layout.fields.map((field) => ({
    label: field.label,
    type: field.type,
    value: readV1Value(file, field),
    layout: field,
  }));
  return { path, version: layout.version, fields };
}
