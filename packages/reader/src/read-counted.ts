/**
 * One read of many stats files that counts each count once while cleaners fold dead writers
 * into archives (spec/files.md#archive-reading): files found, read with archives last, read
 * again when a file vanished between the search and its read, and the archive rules applied.
 *
 * @module
 */
import type { MmstatsError } from '@mmstats/format';
import { ARCHIVE_RETENTION_SECONDS, countedSnapshots, type UncountedFile } from './archive.js';
import type { StatsSnapshot } from './fields.js';
import { findStatsFiles, type FindOptions } from './find-stats-files.js';
import { scanStats } from './scan-stats.js';

/** Options of {@link readCounted}. */
export interface ReadCountedOptions extends FindOptions {
  /** How many times to search and read when files vanish meanwhile; default 3. */
  readonly tries?: number;
}

/** What {@link readCounted} read. */
export interface CountedRead {
  /** The snapshots that count, in search order (archives last). */
  readonly snapshots: StatsSnapshot[];
  /** Files that could not be read, with their coded errors: the answer misses them. */
  readonly errors: MmstatsError[];
  /** Files read but not counted: folded into an archive, or superseded archives. */
  readonly uncounted: UncountedFile[];
}

/**
 * Finds the files `targets` name (`findStatsFiles`, archives last), reads them, and keeps
 * those that count ({@link countedSnapshots}). A file that vanished between the search and its
 * read was, normally, folded by a cleaner into an archive generation the search did not list:
 * then the search and the read are done again, up to `tries` times, and a file still vanishing
 * the last time is reported (`NOT_FOUND`). A read of the files that took longer than the
 * folded list's retention (60 s, spec/files.md#archive-order) is done again too.
 */
export async function readCounted(targets: readonly string[], options: ReadCountedOptions = {}): Promise<CountedRead> {
  const tries = Math.max(1, options.tries ?? 3);
  for (let attempt = 1; ; attempt++) {
    const read: StatsSnapshot[] = [];
    const errors: MmstatsError[] = [];
    const paths = await findStatsFiles(targets, options);
    const started = performance.now();
    for (const result of scanStats(paths)) {
      if (result.ok) read.push(result.snapshot);
      else errors.push(result.error);
    }
    // Slower than the folded list's retention: a removed file's id may have left it meanwhile.
    const tooSlow = performance.now() - started > ARCHIVE_RETENTION_SECONDS * 1000;
    if (attempt < tries && (tooSlow || errors.some((e) => e.errorName === 'NOT_FOUND'))) continue;
    const { counted, uncounted } = countedSnapshots(read);
    return { snapshots: counted, errors, uncounted };
  }
}
