/**
 * The options every stats file takes, v1 or v2 (where, how, and what happens when it cannot be
 * made), and the names an opened stats object keeps for itself. Here, not in either format's
 * `stats.ts`, so that neither format imports the other.
 *
 * @module
 */
import { MmstatsError } from '@mmstats/format';

/** The file format: `2` (the default: typed, aligned, mergeable) or `1` (Python mmstats 0.8.0's). */
export type Format = 1 | 2;

/** Where and how the stats file is written. */
export interface FileOptions {
  /**
   * Directory template (`{CMD}`, `{PID}`, `{TID}` are replaced).
   * Default: `$MMSTATS_PATH`, else the OS temp directory (spec/files.md#file-names).
   */
  readonly path?: string;
  /**
   * File name template. Default: `$MMSTATS_FILES`, else `"{CMD}-{PID}-{TID}.mmstats"`, so
   * every process and thread writes its own file.
   */
  readonly filename?: string;
  /**
   * The service (or model) this file belongs to: what `{NAME}` stands for in the `path` and
   * `filename` templates (`{NAME}-{PID}-{TID}.mmstats`), so that one program's kinds of stats
   * files, or several services in one directory, are told apart by name (spec/files.md#file-names).
   * 1 to 200 characters, no `/`. Default: the model's `name`, else the program's (`{CMD}`).
   */
  readonly name?: string;
  /** Permission bits of a new file; the umask still applies. Default: `0o644`. */
  readonly mode?: number;
  /**
   * When the file cannot be created or mapped (missing or read-only directory, disk full,
   * a symlink in the way...), keep the stats in memory and warn once instead of throwing,
   * so metrics never take a service down. Default: `false` (throw a `MmstatsError`).
   */
  readonly degrade?: boolean;
  /** Called with the error when `degrade` kicks in. Default: `process.emitWarning(error)`. */
  readonly onDegrade?: (error: MmstatsError) => void;
  /**
   * Remove the file (see {@link StatsFile.remove}) when the process or worker exits, and when
   * the main thread is stopped by SIGTERM, SIGINT or SIGHUP: with no listener of the app's own
   * for that signal, the file is removed and the process still dies of the signal; with one,
   * the app keeps control and the file is removed when it exits. Default: `false`.
   */
  readonly removeOnExit?: boolean;
  /**
   * v2: take a worker slot, the lowest index from 0 that no live writer of the same service
   * (`name`) holds in the directory, so that a restarted worker (a new pid) carries on as the
   * same worker: written in the record `mmstats.worker`, shown by mmash as `worker="3"`
   * (spec/files.md#worker-slot). For `node:cluster` workers and `worker_threads` alike (each
   * file takes its own). Read it as `stats.slot`. Default: `false`.
   */
  readonly slot?: boolean;
  /**
   * v2: the file's size in bytes, rounded up to whole pages, and at least what the fields
   * declared at open need. Records added later (`add()`) must fit in it: one that does not is
   * kept in memory only, the file is marked `FULL` and one warning is given
   * (spec/format-v2.md#capacity). Default: 65536 (64 KiB).
   */
  readonly capacity?: number;
  /**
   * v2: how often the writer stores a heartbeat time in the header, in milliseconds, from an
   * `unref`'d timer (it never keeps the process alive); readers may show a file whose
   * heartbeat is older than 3 intervals as stale. 0: no heartbeat. Default: 1000.
   */
  readonly heartbeatMs?: number;
  /**
   * v2: how many records with distinct dimensions one label may have (those declared at open
   * included) before `add()` folds new dimension sets into the label's overflow record,
   * `otel.metric.overflow` = `true`, counting them in `mmstats.cardinality_overflow`
   * (spec/files.md#cardinality). Default: 2000, OpenTelemetry's default cardinality limit.
   */
  readonly cardinalityLimit?: number;
  /** Tests only: fixed identity and clock, so a file's bytes are the same on every run. @internal */
  readonly internal?: InternalHooks;
}

/** Options of `Model.open()`. */
export interface OpenOptions<F extends Format = Format> extends FileOptions {
  /** Put in front of every label, e.g. `"web.stats."`. Default: `""`. */
  readonly labelPrefix?: string;
  /**
   * The file format: `2` (mmstats' own: kinds, units, histograms, windows, records added at
   * run time; spec/format-v2.md) or `1` (Python mmstats 0.8.0's, for Python's tools;
   * spec/format-v1.md). Default: the model's `format`, else 2.
   */
  readonly format?: F;
}

/** Options of `msync`. */
export interface FlushOptions {
  /** Wait until the pages are written (`MS_SYNC`) or only schedule it (`MS_ASYNC`). Default: `true`. */
  readonly blocking?: boolean;
}

/** The names an opened stats object (v1 or v2) uses for itself; fields cannot take them. */
export const RESERVED_NAMES = ['path', 'size', 'inMemory', 'layout', 'flush', 'remove', 'format', 'records', 'full', 'add', 'close'] as const;

/** One of {@link RESERVED_NAMES}. */
export type ReservedName = (typeof RESERVED_NAMES)[number];

/** What `degrade` does with an error: report it once (default: `process.emitWarning`). */
export function degradeOrThrow(error: unknown, options: FileOptions): void {
  if (!(error instanceof MmstatsError) || options.degrade !== true) throw error;
  (options.onDegrade ?? ((e: MmstatsError) => process.emitWarning(e)))(error);
}

/**
 * Tests only: what makes a file's bytes the same on every run (fixtures/v2/ts).
 *
 * @internal
 */
export interface InternalHooks {
  /** Unix seconds for `created` and each heartbeat. Default: `Date.now() / 1000`. */
  readonly clock?: () => number;
  /** The header's `pid`. Default: `process.pid`. */
  readonly pid?: number;
  /** The header's `tid` (not the file name's). Default: the OS thread id. */
  readonly tid?: number;
  /** The header's `file_id`. Default: random. */
  readonly fileId?: bigint;
  /** The header's `process_start`. Default: `Date.now() / 1000 − process.uptime()`. */
  readonly processStart?: number;
  /** The header's `pid_ns`. Default: this process's (`ownPidNamespace()` of v2/stats.ts). */
  readonly pidNs?: bigint;
  /** The header's `boot_id`. Default: this boot's (`ownBootId()` of v2/stats.ts). */
  readonly bootId?: string;
  /** `false`: no heartbeat timer (the header still says `heartbeatMs`). Default: `true`. */
  readonly heartbeatTimer?: boolean;
}
