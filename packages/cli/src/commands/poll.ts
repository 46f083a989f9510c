/**
 * `mmstats poll FIELDS [PATH|DIR|GLOB...]`: a vmstat-like view of fields summed over many
 * stats files, one row per interval: what the Python `pollstats` does, plus files that come
 * and go while it runs, counters as changes or rates, JSON lines, and a table that fits the
 * terminal.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { findStatsFiles } from '@mmstats/reader';
import { exitQuietlyOnClosedStdout, warn, writeOut } from '../stdout.js';
import { columnSelects, parseColumn, showOf, type ColumnShow, type KindOverrides, type PolledColumn } from '../poll/field-kinds.js';
import { matchesFilters, parseFilter } from '../poll/filters.js';
import { LiveFileSet, type WatchedFile } from '../poll/live-file-set.js';
import { headerLine, jsonLine, layoutTable, tableRow } from '../poll/poll-lines.js';
import { pollOptionsProblem } from '../poll/poll-options.js';
import { Tally } from '../poll/tally.js';
import { EXIT_USAGE } from '../usage.js';

/** Options of `mmstats poll`. */
export interface PollOptions extends KindOverrides {
  /**
   * Field names, e.g. `["requests", "errors"]` (from the comma-separated FIELDS). A name may
   * pick v2 dimensions, `requests{status=500}` (default: every record of the label, merged),
   * and a selector for a histogram or timer (`latency:p50`, `:p90`, `:p99` (default), any
   * `:pN`, `:count`, `:mean`, `:max`, `:min`, `:sum`), an average (`:mean` (default), `:count`,
   * `:sum`) or a window (`:rate` (default), `:mean`, `:count`, `:sum`).
   */
  readonly fields: readonly string[];
  /** Files, directories and globs; empty means the defaults (MMSTATS_GLOB, else MMSTATS_PATH, else this user's default stats directories: spec/files.md#discovery). */
  readonly targets: readonly string[];
  /** Put in front of every field name to make its label. Default `""`. */
  readonly prefix?: string;
  /** `KEY` or `KEY=VALUE` filters a file must all match (see `-f`). Default none. */
  readonly filters?: readonly string[];
  /** Rows to print before exiting. Default: until interrupted. */
  readonly count?: number;
  /** Seconds between rows, fractions allowed. Default 1. */
  readonly delay?: number;
  /** Repeat the header every this many rows; 0 prints it once. Default 20. */
  readonly headers?: number;
  /** Show counters per second instead of per interval. Default `false`. */
  readonly rate?: boolean;
  /** One JSON object per tick instead of a table. Default `false`. */
  readonly json?: boolean;
  /** Also sum files whose writer (v1 `sys.pid`, v2 header `pid`) is no longer running. Default `false`. */
  readonly includeDead?: boolean;
}

/** Exit code after Ctrl-C: 128 + SIGINT, as shells report it. */
export const EXIT_INTERRUPTED = 130;
/** Exit code after SIGTERM: 128 + 15. */
export const EXIT_TERMINATED = 143;

/**
 * Runs `poll`: prints a row (or JSON line) per interval until `count` rows are out or the
 * process gets SIGINT/SIGTERM. The file list is looked up again every interval; files are
 * parsed only when they appear or are replaced; bad files are reported once on stderr and
 * skipped, and whenever the number of files that could not be read changes, one stderr line
 * says how many the rows leave out (JSON lines carry it as `unreadable`).
 *
 * @returns the exit code: 0 after `count` rows, 130 after SIGINT (Ctrl-C), 143 after
 *   SIGTERM, 2 ({@link EXIT_USAGE}) for unusable options or a selector the polled record's
 *   kind does not have
 */
export async function poll(options: PollOptions): Promise<number> {
  const problem = pollOptionsProblem(options);
  if (problem !== undefined) {
    warn(problem);
    return EXIT_USAGE;
  }
  exitQuietlyOnClosedStdout();
  const prefix = options.prefix ?? '';
  const delayMs = (options.delay ?? 1) * 1000;
  const headerEvery = options.headers ?? 20;
  const filters = (options.filters ?? []).map(parseFilter);
  let columns: PolledColumn[] = options.fields.map((name) => ({ ...parseColumn(name, prefix), show: undefined }));
  const labels = new Set(columns.map((c) => c.label));
  const files = new LiveFileSet({ report: warn, skipDeadWriters: options.includeDead !== true });
  const tally = new Tally();

  const stop = new AbortController();
  let exitCode = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    exitCode = signal === 'SIGINT' ? EXIT_INTERRUPTED : EXIT_TERMINATED;
    // The ^C the terminal echoed sits at the start of an empty line: end it, so the shell's
    // prompt comes back on a line of its own.
    if (signal === 'SIGINT' && process.stdout.isTTY) process.stdout.write('\n');
    stop.abort();
    // Should stdout be stuck (a terminal paused with Ctrl-S), still go.
    setTimeout(() => process.exit(exitCode), 1000).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let widthChanged = false;
  const onResize = (): void => {
    widthChanged = true;
  };
  process.stdout.on('resize', onResize);

  try {
    let started: number | undefined;
    let tick = 0;
    let rows = 0;
    let rowsSinceHeader = 0;
    let layout: ReturnType<typeof layoutTable> | undefined;
    let lastRead: number | undefined;
    let warnedEmpty = false;
    let unreadable = 0;
    for (;;) {
      const watched = files.refresh(await findStatsFiles(options.targets));
      const readAt = performance.now();
      started ??= readAt;
      const polled = watched.filter((file) => file.snapshot.fields.some((f) => labels.has(f.label)) && matchesFilters(file.snapshot.fields, filters));
      if (polled.length === 0 && !warnedEmpty) {
        warnedEmpty = true;
        warn(`no stats files with ${columns.map((c) => c.label).join(', ')} yet; polling on`);
      }
      columns = columns.map((column) => (column.show !== undefined ? column : { ...column, show: firstShow(polled, column, options) }));
      // A selector the record's kind does not have (`requests:p99` on a counter) is as wrong
      // as an unknown one: it is found only once a file shows the kind, and ends the poll.
      const misfit = columns.find((column) => column.show?.problem !== undefined)?.show?.problem;
      if (misfit !== undefined) {
        warn(misfit);
        exitCode = EXIT_USAGE;
        break;
      }
      const tallies = tally.add(polled.map((file) => ({ id: file.id, snapshot: file.snapshot })), columns, Date.now() / 1000);
      const result = { time: new Date(), interval: lastRead === undefined ? null : (readAt - lastRead) / 1000, files: polled.length, unreadable: files.unreadable, tallies };
      lastRead = readAt;
      if (result.unreadable !== unreadable) {
        unreadable = result.unreadable;
        warn(unreadable === 0 ? 'every file reads again' : `${unreadable} ${unreadable === 1 ? 'file' : 'files'} could not be read (reported above); the rows leave ${unreadable === 1 ? 'it' : 'them'} out`);
      }

      if (options.json) {
        await writeOut(jsonLine(result, columns, { rate: options.rate ?? false }));
      } else {
        const maxWidth = process.stdout.isTTY ? process.stdout.columns : undefined;
        if (layout === undefined || widthChanged) {
          const previous = layout;
          layout = layoutTable(columns, maxWidth);
          widthChanged = false;
          if (layout.hidden > 0 && layout.hidden !== previous?.hidden) {
            const hidden = columns.slice(columns.length - layout.hidden).map((c) => c.name);
            warn(`${hidden.join(', ')} ${hidden.length === 1 ? 'does' : 'do'} not fit in ${maxWidth} columns; widen the terminal or poll fewer fields`);
          }
          if (previous !== undefined && previous.widths.join() !== layout.widths.join()) rowsSinceHeader = Number.POSITIVE_INFINITY;
        }
        if (tick === 0 || (headerEvery > 0 && rowsSinceHeader >= headerEvery)) {
          await writeOut(headerLine(columns, layout));
          rowsSinceHeader = 0;
        }
        await writeOut(tableRow(result, columns, layout, { rate: options.rate ?? false, fit: maxWidth !== undefined }));
        rowsSinceHeader++;
      }

      tick++;
      rows++;
      // Rows, not ticks: ticks skipped after a stall must not eat into --count.
      if (options.count !== undefined && rows >= options.count) break;
      // Ticks stay on a fixed grid from the start, so rows do not drift by the time a tick
      // takes; after a stall (a suspended laptop), skip the missed ticks instead of bursting.
      const now = performance.now();
      tick = Math.max(tick, Math.ceil((now - started) / delayMs));
      try {
        await sleep(started + tick * delayMs - now, undefined, { signal: stop.signal });
      } catch {
        break; // aborted by a signal
      }
      if (stop.signal.aborted) break;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.stdout.off('resize', onResize);
    files.close();
  }
  return exitCode;
}

/** How `column` is shown, from the first polled file that has a record it reads; `undefined` if none does yet. */
function firstShow(polled: readonly WatchedFile[], column: PolledColumn, overrides: KindOverrides): ColumnShow | undefined {
  for (const file of polled) {
    const field = file.snapshot.fields.find((f) => columnSelects(column, f));
    if (field !== undefined) return showOf(column, field, overrides);
  }
  return undefined;
}
