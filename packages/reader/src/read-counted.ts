/**
 * One read of many stats files that counts each count once while cleaners fold dead writers
 * into archives (spec/files.md#archive-reading): files found, read with archives last, read
 * again when a file vanished between the search and its read, and the archive rules applied.
 *
 * @module
 */
import { MmstatsError } from '@mmstats/format';
import { ARCHIVE_RETENTION_SECONDS, archiveInfo, countedSnapshots, type UncountedFile } from './archive.js';
import type { StatsSnapshot } from './fields.js';
import { findStatsFiles, type FindOptions } from './find-stats-files.js';
import { scanStats } from './scan-stats.js';

/** Options of {@link readCounted}. */
export interface ReadCountedOptions extends FindOptions {
  /** How many times to search and read when files vanish meanwhile; default 3. */
  readonly tries?: number;
  /** The clock a read of the files is timed with, in milliseconds; default `performance.now` (tests give a slower one). */
  readonly clock?: () => number;
}

/** What {@link readCounted} read. */
export interface CountedRead {
  /** The snapshots that count, in search order (archives last). */
  readonly snapshots: StatsSnapshot[];
  /** Files that could not be read, with their coded errors: the answer misses them. Also each archive counted after a read too slow in every try (`READ_TOO_SLOW`, `MMSTATS-E106`): the answer may count a file folded meanwhile twice. */
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
 * folded list's retention (60 s, spec/files.md#archive-order) is done again too; when the
 * last try is still that slow, each archive counted is reported (`READ_TOO_SLOW`,
 * `MMSTATS-E106`): a file folded and removed meanwhile may count twice.
 */
export async function readCounted(targets: readonly string[], options: ReadCountedOptions = {}): Promise<CountedRead> {
  const tries = Math.max(1, options.tries ?? 3);
  for (let attempt = 1; ; attempt++) {
    const read: StatsSnapshot[] = [];
    const errors: MmstatsError[] = [];
    const paths = await findStatsFiles(targets, options);
    const clock = options.clock ?? (() => performance.now());
    const started = clock();
    for (const result of scanStats(paths)) {
      if (result.ok) read.push(result.snapshot);
      else errors.push(result.error);
    }
    // Slower than the folded list's retention: a removed file's id may have left it meanwhile.
    const seconds = (clock() - started) / 1000;
    const tooSlow = seconds > ARCHIVE_RETENTION_SECONDS;
    if (attempt < tries && (tooSlow || errors.some((e) => e.errorName === 'NOT_FOUND'))) continue;
    const { counted, uncounted } = countedSnapshots(read);
    if (tooSlow) errors.push(...counted.filter((s) => archiveInfo(s) !== undefined).map((s) => readTooSlowError(s.path, seconds)));
    return { snapshots: counted, errors, uncounted };
  }
}

/**
 * The `READ_TOO_SLOW` (`MMSTATS-E106`) of the archive at `path`, counted by a read of the
 * directory that took `seconds`, more than the folded list's retention
 * (spec/files.md#archive-order): for every reader that gives up reading again.
 */
export function readTooSlowError(path: string, seconds: number): MmstatsError {
  const detail = `read ${Math.round(seconds)} s after the other files of its directory, over the ${ARCHIVE_RETENTION_SECONDS} s its folded list keeps a removed file, in every try: a file folded meanwhile may count twice`;
  return new MmstatsError('READ_TOO_SLOW', detail, { path });
}
