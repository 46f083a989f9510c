/**
 * The files `mmstats poll` is watching, kept in step with what the targets name now: new
 * files are opened (and parsed) once, when they appear; files that vanished are closed;
 * files replaced under the same name are re-opened; bad files are reported once and skipped
 * until they change.
 *
 * @module
 */
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { MmstatsError } from '@mmstats/format';
import { judgeWriter, LiveStatsFile, observer, writerInfo, type Observer, type StatsSnapshot } from '@mmstats/reader';

/** A file being watched, with its values as of the last {@link LiveFileSet.refresh}. */
export interface WatchedFile {
  /** The path, as found. */
  readonly path: string;
  /** Changes whenever the file is re-opened, so that counters of a replaced file start over. */
  readonly id: string;
  /**
   * Every field with its current value, v1 or v2, from the file's live view (v2: with the
   * records the writer added since the last refresh).
   */
  readonly snapshot: StatsSnapshot;
}

/** How a {@link LiveFileSet} reports and what it leaves out. */
export interface LiveFileSetOptions {
  /**
   * Called once per problem with a file, with one line naming the file: the coded error's
   * message (`PATH: MMSTATS-E003 ...`), or why a file is left out.
   */
  readonly report: (line: string) => void;
  /**
   * Leave out files whose writer is gone by the reader's `judgeWriter` (the rules
   * `mmstats clean` removes by, spec/files.md#removal: a writer that crashed leaves its file
   * behind), reporting each once. Default `true`.
   */
  readonly skipDeadWriters?: boolean;
  /**
   * How long a file may stay empty or all zeros (a writer still creating it) before it is
   * reported as bad, in milliseconds. Default 2000.
   */
  readonly creationGraceMs?: number;
  /** The clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

interface Open {
  live: LiveStatsFile;
  id: string;
  /** `live.reopens` when `id` was given: a view reopened since shows a new file. */
  reopens: number;
}

/** Files being watched. Not safe to share between concurrent polls. */
export class LiveFileSet {
  readonly #open = new Map<string, Open>();
  /** Bad files by path, with what they looked like when they failed: retried only once that changes. */
  readonly #bad = new Map<string, string>();
  /** Files that are empty or zero (still being created), by path: when first seen so. */
  readonly #unborn = new Map<string, number>();
  /** Files left out because their writer is gone, by path (reported once). */
  readonly #dead = new Set<string>();
  readonly #options: LiveFileSetOptions;
  #opened = 0;

  /** @param options - see {@link LiveFileSetOptions} */
  constructor(options: LiveFileSetOptions) {
    this.#options = options;
  }

  /** How many files are open (dead writers' files included). */
  get size(): number {
    return this.#open.size;
  }

  /**
   * How many of the paths of the last {@link LiveFileSet.refresh} could not be read (each
   * reported once), so that a total over the others can say it is partial. Files still being
   * created (within the grace) and dead writers' files left out on purpose are not counted.
   */
  get unreadable(): number {
    return this.#bad.size;
  }

  /**
   * Brings the set in step with `paths` (what the targets name now), then reads every open
   * file. Opens new paths, re-opens replaced files (the reader's
   * `LiveStatsFile.snapshotOrReopen`), closes files no longer named or gone. Costs the reads
   * of each known file (their own `stat`; v1: one `stat` more, for its size), one
   * `kill(pid, 0)` per file with a writer pid (a v1 file
   * whose pid is gone: one read of every `/proc/PID/status` per refresh), and a parse
   * only for new or replaced files (v2: plus a walk of the records added since the last refresh).
   *
   * @returns the good files, in the order of `paths`
   */
  refresh(paths: readonly string[]): WatchedFile[] {
    const named = new Set(paths);
    for (const [path, open] of this.#open) {
      if (!named.has(path)) this.#close(path, open);
    }
    for (const path of [...this.#bad.keys(), ...this.#unborn.keys(), ...this.#dead]) {
      if (!named.has(path)) this.#forget(path);
    }
    const files: WatchedFile[] = [];
    const seen = observer(); // once per refresh: /proc is scanned at most once
    for (const path of paths) {
      const open = this.#current(path);
      if (open === undefined) continue;
      let snapshot: StatsSnapshot;
      try {
        snapshot = open.live.snapshotOrReopen();
      } catch (error) {
        this.#fail(path, error);
        continue;
      }
      if (open.live.reopens !== open.reopens) {
        // Another file under the same path: its counters start over, and its writer is judged anew.
        open.id = `${path}#${++this.#opened}`;
        open.reopens = open.live.reopens;
        this.#dead.delete(path);
      }
      if (this.#writerGone(path, open, snapshot, seen)) continue;
      files.push({ path, id: open.id, snapshot });
    }
    return files;
  }

  /** Closes every file. */
  close(): void {
    for (const [path, open] of this.#open) this.#close(path, open);
  }

  /** The open view of `path`, opened as needed (reads reopen a replaced one); `undefined` when it is bad. */
  #current(path: string): Open | undefined {
    const open = this.#open.get(path);
    if (open !== undefined) return open;
    if (this.#bad.get(path) === signature(path)) return undefined;
    try {
      const live = LiveStatsFile.open(path);
      const fresh: Open = { live, id: `${path}#${++this.#opened}`, reopens: live.reopens };
      this.#open.set(path, fresh);
      this.#bad.delete(path);
      this.#unborn.delete(path);
      this.#dead.delete(path);
      return fresh;
    } catch (error) {
      this.#fail(path, error);
      return undefined;
    }
  }

  #fail(path: string, error: unknown): void {
    const open = this.#open.get(path);
    if (open !== undefined) this.#close(path, open);
    const coded = error instanceof MmstatsError ? error : new MmstatsError('READ_FAILED', String(error), { path, cause: error });
    // A file that vanished is a writer that finished: not a problem to report.
    if (coded.errorName === 'NOT_FOUND' && signature(path) === 'gone') {
      this.#forget(path);
      return;
    }
    if (isUnborn(path, coded)) {
      const now = (this.#options.now ?? Date.now)();
      const since = this.#unborn.get(path) ?? now;
      this.#unborn.set(path, since);
      if (now - since < (this.#options.creationGraceMs ?? 2000)) return;
      this.#unborn.delete(path);
    }
    const already = this.#bad.has(path);
    // Out of descriptors is this process's state, not the file's: try again on every refresh.
    this.#bad.set(path, coded.errorName === 'TOO_MANY_OPEN_FILES' ? RETRY : signature(path));
    if (!already) this.#options.report(coded.message);
  }

  #writerGone(path: string, open: Open, snapshot: StatsSnapshot, seen: Observer): boolean {
    if (this.#options.skipDeadWriters === false) return false;
    const judgement = judgeWriter(writerInfo(snapshot), open.live.version, seen);
    if (!judgement.gone) return false;
    if (!this.#dead.has(path)) {
      this.#dead.add(path);
      this.#options.report(`${path}: its writer is gone (${judgement.because}); left out (--include-dead shows it)`);
    }
    return true;
  }

  #close(path: string, open: Open): void {
    open.live.close();
    this.#open.delete(path);
  }

  #forget(path: string): void {
    this.#bad.delete(path);
    this.#unborn.delete(path);
    this.#dead.delete(path);
  }
}

/** The signature of a bad file to try again at every refresh: no {@link signature} equals it. */
const RETRY = 'retry';

/** What a file looks like from outside: a bad file is tried again only when this changes. */
function signature(path: string): string {
  try {
    const stats = statSync(path, { bigint: true, throwIfNoEntry: false });
    return stats === undefined ? 'gone' : `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}`;
  } catch (error) {
    return `unreadable:${(error as NodeJS.ErrnoException).code ?? ''}`;
  }
}

/**
 * `true` for a file a writer is still creating: empty, with a version byte still 0 (a v1
 * writer sizes the file first and publishes the version byte last), or a v2 file without
 * `READY` yet (spec/format-v2.md#header: a poller may retry).
 */
function isUnborn(path: string, error: MmstatsError): boolean {
  if (error.errorName === 'EMPTY_FILE' || error.errorName === 'NOT_READY') return true;
  if (error.errorName !== 'UNSUPPORTED_VERSION') return false;
  try {
    const fd = openSync(path, 'r');
    try {
      const first = Buffer.alloc(1);
      return readSync(fd, first, 0, 1, 0) === 1 && first[0] === 0;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}
