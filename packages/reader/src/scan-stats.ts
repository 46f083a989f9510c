/**
 * Reading many stats files where some may be bad: a scan reports each failure and goes on.
 *
 * @module
 */
import type { MmstatsError } from '@mmstats/format';
import { fileError } from './file-errors.js';
import { readStats, type StatsSnapshot } from './read-stats.js';

/** What reading one file of a scan gave: its snapshot, or the coded error it failed with. */
export type ScanResult =
  | {
      /** The path as given. */
      readonly path: string;
      /** The file was read. */
      readonly ok: true;
      /** Its fields and values. */
      readonly snapshot: StatsSnapshot;
    }
  | {
      /** The path as given. */
      readonly path: string;
      /** The file could not be read. */
      readonly ok: false;
      /** Why, with a stable code and the path. */
      readonly error: MmstatsError;
    };

/**
 * Reads each of `paths` in turn with {@link readStats}, yielding one result per path in the
 * order given. Never throws for a bad file: a missing, unreadable or corrupt file is yielded
 * as `{ ok: false, error }` (an `MmstatsError` with `path` set, spec/errors.md) and the scan
 * carries on. Lazy: a file is read only when its result is asked for, so a consumer can
 * print each file as it comes.
 *
 * Out of descriptors, every file that could not be opened is its own `TOO_MANY_OPEN_FILES`
 * (E104) result: a scan never holds a descriptor between files, so a later file may still
 * open.
 *
 * @param paths - files to read, e.g. from `findStatsFiles`
 */
export function* scanStats(paths: Iterable<string>): Generator<ScanResult> {
  for (const path of paths) {
    let result: ScanResult;
    try {
      result = { path, ok: true, snapshot: readStats(path) };
    } catch (error) {
      // readStats throws only MmstatsError; fileError also turns anything unexpected
      // (a RangeError from a buffer too large to allocate...) into READ_FAILED with a cause.
      result = { path, ok: false, error: fileError(path, error) };
    }
    yield result;
  }
}
