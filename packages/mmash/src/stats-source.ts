/**
 * Where mmash's numbers come from: the configured stats files, each kept as a reader live
 * view: a request costs a few positioned reads per file (plus an open and a close for files
 * beyond the 16 the reader keeps open in all), and the layouts are parsed again only when a
 * file is replaced. No descriptor is held per file, so mmash serves more files than its
 * descriptor limit.
 *
 * @module
 */
import { ARCHIVE_RETENTION_SECONDS, LiveStatsFile, archiveInfo, findStatsFiles, isMmstatsError, readTooSlowError, type FindOptions, type ScanResult } from '@mmstats/reader';
import { MmstatsError } from '@mmstats/format';

/** How many times one read searches again when files vanished under it. */
const MAX_READS = 3;

/** Which files a {@link StatsSource} reads and how often it looks for new ones. */
export interface StatsSourceOptions extends FindOptions {
  /**
   * Files, directories and globs, as `mmstats slurp` takes them. Default `[]`: the globs in
   * `MMSTATS_GLOB`, else `MMSTATS_PATH`, else the `*.mmstats` files of this user's default stats directories (spec/files.md#discovery).
   */
  readonly targets?: readonly string[];
  /**
   * How long the list of files is reused before the paths are searched again, in
   * milliseconds. Values are never reused: every read reads the files. A new file therefore
   * shows up within this time; a removed one disappears at once. Default `1000`.
   */
  readonly rescanMs?: number;
  /** The clock a read is timed by, in milliseconds (for the 60 s rule of spec/files.md#archive-order). Default: `performance.now`. */
  readonly clock?: () => number;
}

/**
 * The configured stats files, read on demand.
 *
 * Each file found is parsed once as a reader `LiveStatsFile` (read by system calls, never
 * mapped, so a file truncated or rewritten under mmash is a coded error, never `SIGBUS`);
 * every read checks that the path still names the file parsed (device and inode; v2: its
 * `file_id`; v1: its size), and the view is reopened when it does not (the reader's
 * `LiveStatsFile.snapshotOrReopen`). Files that vanish from the search are forgotten.
 */
export class StatsSource {
  readonly #targets: readonly string[];
  readonly #find: FindOptions;
  readonly #rescanMs: number;
  readonly #clock: () => number;
  readonly #views = new Map<string, LiveStatsFile>();
  #paths: readonly string[] = [];
  #scannedAt = -Infinity;
  #scanning: Promise<readonly string[]> | undefined;
  #closed = false;

  /** @param options - see {@link StatsSourceOptions} */
  constructor(options: StatsSourceOptions = {}) {
    this.#targets = [...(options.targets ?? [])];
    this.#rescanMs = options.rescanMs ?? 1000;
    this.#clock = options.clock ?? (() => performance.now());
    this.#find = {
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(options.tmpdir === undefined ? {} : { tmpdir: options.tmpdir }),
    };
  }

  /** The configured targets, as given (empty: the environment's defaults). */
  get targets(): readonly string[] {
    return this.#targets;
  }

  /**
   * Reads every configured file whose path `include` accepts, in path order: a snapshot per
   * readable file, a coded error (`MmstatsError`, spec/errors.md) per unreadable one
   * (`TOO_MANY_OPEN_FILES` when mmash has no descriptor left, `FILE_CHANGED` for a file
   * rewritten during the read...). Never throws for a bad file.
   *
   * @param include - which paths to read; default all
   */
  async read(include: (path: string) => boolean = () => true): Promise<ScanResult[]> {
    for (let attempt = 1; ; attempt++) {
      const paths = await this.#currentPaths();
      // From here on everything is synchronous, so concurrent requests cannot interleave on
      // the cache of views.
      const results: ScanResult[] = [];
      const started = this.#clock();
      let vanished = false;
      for (const path of paths) {
        if (!include(path) || this.#closed) continue;
        const result = this.#readOne(path);
        // Gone (a file that was open, or one listed but removed before its first open).
        if (result === undefined || (!result.ok && result.error.errorName === 'NOT_FOUND' && attempt < MAX_READS)) vanished = true;
        else results.push(result);
      }
      // A file gone since the last search was, normally, folded by a cleaner into an archive
      // generation that search did not list (spec/files.md#archive-order): search again now,
      // or the dead writer's counts would be missing from this answer.
      // Slower than the archive's retention of folded ids (60 s): read again, as for a vanished file.
      const seconds = (this.#clock() - started) / 1000;
      const tooSlow = seconds > ARCHIVE_RETENTION_SECONDS;
      if (!vanished && !tooSlow) return results;
      if (attempt === MAX_READS) {
        // Given up: say which archives may count a file folded meanwhile twice, as readCounted does.
        const archives = tooSlow ? results.flatMap((r) => (r.ok && archiveInfo(r.snapshot) !== undefined ? [r.snapshot.path] : [])) : [];
        return [...results, ...archives.map((path): ScanResult => ({ path, ok: false, error: readTooSlowError(path, seconds) }))];
      }
      this.#scannedAt = -Infinity;
    }
  }

  /** Closes every open view. Reads afterwards return nothing. */
  close(): void {
    this.#closed = true;
    for (const view of this.#views.values()) view.close();
    this.#views.clear();
  }

  /** The file's snapshot or error; `undefined` when a file that was open has been removed (a writer that finished). */
  #readOne(path: string): ScanResult | undefined {
    let view = this.#views.get(path);
    try {
      if (view === undefined) {
        view = LiveStatsFile.open(path);
        this.#views.set(path, view);
      }
      return { path, ok: true, snapshot: view.snapshotOrReopen() };
    } catch (error) {
      // A half-created, removed or corrupt file: forget the view, so the next read starts over.
      view?.close();
      this.#views.delete(path);
      if (view !== undefined && isMmstatsError(error) && error.errorName === 'NOT_FOUND') {
        // Gone at once, not listed as unreadable until the next search; a path named
        // explicitly that is still missing then is reported by that search's reads.
        this.#paths = this.#paths.filter((p) => p !== path);
        return undefined;
      }
      const coded = isMmstatsError(error)
        ? error
        : new MmstatsError('READ_FAILED', `cannot read the file (${String(error)})`, { path, cause: error });
      return { path, ok: false, error: coded };
    }
  }

  async #currentPaths(): Promise<readonly string[]> {
    if (performance.now() - this.#scannedAt < this.#rescanMs) return this.#paths;
    // Requests arriving during a search share it instead of each walking the directories.
    this.#scanning ??= findStatsFiles(this.#targets, this.#find)
      .then((paths) => {
        this.#adopt(paths);
        return this.#paths;
      })
      .finally(() => {
        this.#scanning = undefined;
      });
    return this.#scanning;
  }

  #adopt(paths: readonly string[]): void {
    this.#paths = paths;
    this.#scannedAt = performance.now();
    const keep = new Set(paths);
    for (const [path, view] of this.#views) {
      if (keep.has(path)) continue;
      view.close();
      this.#views.delete(path);
    }
  }
}
