/**
 * Reading a whole stats file once: open, decode, return every field with its value. Files of
 * format v1 and v2 are told apart by their first byte (spec/format-v1.md#file-version,
 * spec/format-v2.md#header) and read through the same API.
 *
 * @module
 */
import {
  MmstatsError,
  V2_VERSION,
  versionError,
  parseV1Layout,
  readV1Value,
  statsBytes,
  type StatsBytes,
  type V1Layout,
} from '@mmstats/format';
import { v1Snapshot, type StatsSnapshot } from './fields.js';
import { fileError } from './file-errors.js';
import { closeQuietly, openStatsFile, readInto } from './open-stats-file.js';
import { V2View, type Pread } from './v2-view.js';

export type { StatsField, StatsSnapshot, V1StatsField, V2StatsField } from './fields.js';

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
 * Reads and decodes the stats file at `path`, of format v1 (spec/format-v1.md) or v2
 * (spec/format-v2.md), dispatching on its first byte.
 *
 * The returned values are copies: the snapshot does not change when the file does. Use
 * `LiveStatsFile` to watch a file. v2 composite values (averages, histograms, windows, text)
 * are read under their sequence words (spec/format-v2.md#seqlock), so each is consistent even
 * while a writer changes it; one that never settles is that field's `error` (`MMSTATS-E014`),
 * not a failure of the file.
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
  try {
    if (isV2(file.bytes)) {
      return new V2View(path, file.bytes, file.mapped ? undefined : preadFrom(path, file.fd)).snapshot();
    }
    checkVersion(path, file.bytes);
    return snapshotOf(path, parseLayout(path, file.bytes), statsBytes(file.bytes));
  } finally {
    // The bytes are a mapping or a copy; neither needs the descriptor any more (and a failed
    // close of a read-only descriptor loses nothing).
    closeQuietly(file.fd);
  }
}

/**
 * `true` when `bytes` is a v2 file by its first byte.
 *
 * @internal
 */
export function isV2(bytes: Uint8Array): boolean {
  return bytes[0] === V2_VERSION;
}

/**
 * Throws `UNSUPPORTED_VERSION` naming the future version for a file of a later major version
 * (spec/format-v2.md#compatibility); v1's own check gives the plain message otherwise.
 *
 * @internal
 */
export function checkVersion(path: string, bytes: Uint8Array): void {
  // v1's own parse gives the plain message for an empty file; everything else comes from the format.
  if (bytes.length === 0) return;
  const unsupported = versionError(bytes);
  if (unsupported !== undefined) throw unsupported.withPath(path);
}

/**
 * Positioned reads of `fd` into a copy, for an unmapped v2 view: a short read means the file
 * shrank, `READ_FAILED` naming `path`.
 *
 * @internal
 */
export function preadFrom(path: string, fd: number): Pread {
  return (bytes, start, end) => preadInto(path, fd, bytes, start, end);
}

/**
 * Re-reads `bytes[start, end)` from the same offsets of `fd` (a copy of the file at `path`).
 *
 * @throws `MmstatsError` `READ_FAILED` with `path`: the system error, or {@link shrunkError}
 *   when the file ends before `end`
 * @internal
 */
export function preadInto(path: string, fd: number, bytes: Uint8Array, start: number, end: number): void {
  let reached: number;
  try {
    reached = readInto(fd, bytes, start, end);
  } catch (error) {
    throw fileError(path, error);
  }
  if (reached < end) throw shrunkError(path, reached, end);
}

/**
 * The `READ_FAILED` of a view whose file (at `path`) shrank to `size` bytes, below the `needed`
 * it reads.
 *
 * @internal
 */
export function shrunkError(path: string, size: number, needed: number): MmstatsError {
  return new MmstatsError('READ_FAILED', `the file shrank to ${size} bytes, below the ${needed} this view reads; reopen() it`, { path });
}

/**
 * Parses the v1 layout of `bytes`, throwing the format's error with `path` set.
 *
 * @internal
 */
export function parseLayout(path: string, bytes: Uint8Array): V1Layout {
  const layout = parseV1Layout(bytes);
  if (!layout.ok) throw layout.error.withPath(path);
  return layout.value;
}

/**
 * The current value of every field of a v1 `layout`, as a snapshot.
 *
 * @internal
 */
export function snapshotOf(path: string, layout: V1Layout, file: StatsBytes): StatsSnapshot {
  return v1Snapshot(path, layout, (field) => readV1Value(file, field));
}
