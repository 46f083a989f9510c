/**
 * Reading a whole stats file once: open, decode, return every field with its value. Files of
 * format v1 and v2 are told apart by their first byte (spec/format-v1.md#file-version,
 * spec/format-v2.md#header) and read through the same API.
 *
 * @module
 */
import {
  V2_VERSION,
  versionError,
  V1LayoutCache,
  readV1Value,
  statsBytes,
  type StatsBytes,
  type V1Layout,
} from '@mmstats/format';
import { v1Snapshot, type StatsSnapshot } from './fields.js';
import { readWholeShared, withStatsFile } from './open-stats-file.js';
import { V2View } from './v2-view.js';

export type { StatsField, StatsSnapshot, V1StatsField, V2StatsField } from './fields.js';

/**
 * Reads and decodes the stats file at `path`, of format v1 (spec/format-v1.md) or v2
 * (spec/format-v2.md), dispatching on its first byte.
 *
 * The file is read with positioned reads, never mapped (spec/format-v2.md#reading-by-system-calls):
 * open, one `fstat`, the reads, close. A file that shrinks or is replaced while it is read is
 * that file's `FILE_CHANGED` error, never a signal; no descriptor is left open. The returned
 * values are copies: the snapshot does not change when the file does. Use `LiveStatsFile` to
 * watch a file. v2 composite values (averages, histograms, windows, text) are read under their
 * sequence words, so each is consistent even while a writer changes it; one that never settles
 * is that field's `error` (`MMSTATS-E014`), not a failure of the file. A record a dead writer
 * left mid-write costs one 10 ms watch (with all such records of the file) the first time this
 * process sees it, nothing more after.
 *
 * @param path - a file, kept in the snapshot and in errors exactly as given
 * @throws `MmstatsError` with `path` set: a format error from the bytes (`MMSTATS-E0xx`,
 *   spec/errors.md), or an access error: `NOT_FOUND` (E101) for a missing path, `NOT_A_FILE`
 *   (E102) for a directory/device/FIFO/socket, `READ_FAILED` (E103, with the system error as
 *   `cause`) for permissions and I/O errors, `TOO_MANY_OPEN_FILES` (E104) when no descriptor
 *   is left, `FILE_CHANGED` (E105) when the file shrank or was rewritten while it was read
 */
export function readStats(path: string): StatsSnapshot {
  return withStatsFile(path, (file) => {
    // The view copies what it keeps, and a v1 snapshot holds decoded values only.
    const bytes = readWholeShared(file);
    if (isV2(bytes)) return new V2View(file, bytes).snapshot();
    checkVersion(path, bytes);
    return snapshotOf(path, parseLayout(path, bytes), statsBytes(bytes));
  });
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

// The files of one program's threads and processes are laid out alike: their layouts are
// checked against the last ones parsed instead of parsed anew (and then shared, never changed).
const v1Layouts = new V1LayoutCache();

/**
 * Parses the v1 layout of `bytes` (or takes a kept one, see `V1LayoutCache`), throwing the
 * format's error with `path` set.
 *
 * @internal
 */
export function parseLayout(path: string, bytes: Uint8Array): V1Layout {
  const layout = v1Layouts.parse(bytes);
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
