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
import type { Argv } from 'yargs';
import { exitQuietlyOnClosedStdout, warn, writeOut } from '../stdout.js';
import { columnProblem, columnSelects, parseColumn, showOf, type ColumnShow, type KindOverrides, type PolledColumn } from '../poll/field-kinds.js';
import { matchesFilters, parseFilter } from '../poll/filters.js';
import { LiveFileSet, type WatchedFile } from '../poll/live-file-set.js';
import { headerLine, jsonLine, layoutTable, tableRow } from '../poll/poll-lines.js';
import { Tally } from '../poll/tally.js';
import { targetsPositional } from '../targets-positional.js';
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
 * Why `options` cannot be polled, or `undefined` when they can: no fields, a field with an
 * unknown selector (`columnProblem`), a delay that is not a positive number of seconds, a
 * count or header interval that is not a whole number.
 */
export function pollOptionsProblem(options: {
  readonly fields: readonly string[];
  readonly count?: number | undefined;
  readonly delay?: number | undefined;
  readonly headers?: number | undefined;
}): string | undefined {
  if (options.fields.length === 0) return 'name at least one field, e.g. requests,errors';
  for (const field of options.fields) {
    const problem = columnProblem(field);
    if (problem !== undefined) return problem;
  }
  if (options.delay !== undefined && !(Number.isFinite(options.delay) && options.delay > 0)) return `--delay must be a positive number of seconds, got ${options.delay}`;
  if (options.count !== undefined && !(Number.isInteger(options.count) && options.count > 0)) return `--count must be a positive whole number, got ${options.count}`;
  if (options.headers !== undefined && !(Number.isInteger(options.headers) && options.headers >= 0)) return `--headers must be a whole number (0: only once), got ${options.headers}`;
  return undefined;
}

/**
 * Splits a FIELDS argument at commas outside braces: `"a,b, c"` gives `["a", "b", "c"]`,
 * `"req{method=GET,status=200},lat:p99"` gives `["req{method=GET,status=200}", "lat:p99"]`.
 */
export function splitFields(text: string): string[] {
  const fields: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (c === ',' && depth === 0) {
      fields.push(current);
      current = '';
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    current += c;
  }
  fields.push(current);
  return fields.map((field) => field.trim()).filter((field) => field !== '');
}

/** yargs command module for `poll`. */
export const pollCommand = {
  command: 'poll <fields> [targets..]',
  describe: 'Print fields summed over stats files, one row per interval (like vmstat)',
  builder: (yargs: Argv) =>
    yargs
      .positional('fields', { describe: 'comma-separated field names, e.g. requests,errors,latency:p90,requests{status=500}', type: 'string', demandOption: true })
      .positional('targets', targetsPositional(', looked up again every interval'))
      .option('prefix', { alias: 'p', describe: 'put in front of every field name', type: 'string', default: '', requiresArg: true })
      .option('filter', { alias: 'f', describe: 'only files that have a label starting with KEY, or whose label KEY holds VALUE (repeatable; all must match)', type: 'string', array: true, default: [] as string[], requiresArg: true })
      .option('count', { alias: 'c', describe: 'print this many rows, then exit (default: until Ctrl-C)', type: 'number', requiresArg: true })
      .option('delay', { alias: 'd', describe: 'seconds between rows (fractions allowed)', type: 'number', default: 1, requiresArg: true })
      .option('headers', { alias: 'n', describe: 'repeat the header every N rows (0: once)', type: 'number', default: 20, requiresArg: true })
      .option('rate', { describe: 'show counters per second instead of per interval', type: 'boolean', default: false })
      .option('counter', { describe: 'show this field as a counter (its change); repeatable', type: 'string', array: true, default: [] as string[], requiresArg: true })
      .option('gauge', { describe: 'show this field as a gauge (its value); repeatable', type: 'string', array: true, default: [] as string[], requiresArg: true })
      .option('include-dead', { describe: 'also sum files whose writer (v1 sys.pid, v2 pid) is not running', type: 'boolean', default: false })
      .option('json', { describe: 'one JSON object per interval instead of a table', type: 'boolean', default: false })
      .check((argv) => {
        const problem = pollOptionsProblem({ fields: splitFields(String(argv.fields ?? '')), count: argv.count, delay: argv.delay, headers: argv.headers });
        if (problem !== undefined) throw new Error(problem);
        return true;
      })
      .epilog(
        'Values are merged over the files by each record\'s merge rule (v1: summed). A counter (v2: kind counter; ' +
          'v1: a buffered unsigned 64-bit field, such as a Counter) shows how much it grew per interval, ' +
          'summed file by file; the first row shows totals. Gauges show their value. Override with ' +
          '--counter/--gauge. Histograms and timers show a percentile of everything recorded so far, merged ' +
          'over the files (default :p99; also :p50, :p90, any :pN, :count, :mean, :max, :min, :sum); averages ' +
          ':mean (default), :count, :sum; windows :rate per second (default), :mean, :count, :sum over their ' +
          'last slots. NAME{k=v} polls only the records with those dimensions. Files whose writer is not ' +
          'running are left out.',
      )
      .example('$0 poll --rate -p web.stats. status.2XX,status.5XX', 'requests per second over every worker')
      .example('$0 poll http.requests,http.duration:p50,http.duration:p99,http.recent:rate', 'v2: a counter, a timer\'s percentiles, a window\'s rate')
      .example("$0 poll --json -c 10 -d 0.5 requests '/run/app/*.mmstats'", 'ten JSON lines, half a second apart'),
  handler: async (argv: {
    fields?: string | undefined;
    targets?: string[] | undefined;
    prefix?: string | undefined;
    filter?: string[] | undefined;
    count?: number | undefined;
    delay?: number | undefined;
    headers?: number | undefined;
    rate?: boolean | undefined;
    counter?: string[] | undefined;
    gauge?: string[] | undefined;
    includeDead?: boolean | undefined;
    json?: boolean | undefined;
  }) => {
    process.exitCode = await poll({
      fields: splitFields(argv.fields ?? ''),
      targets: argv.targets ?? [],
      prefix: argv.prefix ?? '',
      filters: argv.filter ?? [],
      ...(argv.count === undefined ? {} : { count: argv.count }),
      delay: argv.delay ?? 1,
      headers: argv.headers ?? 20,
      rate: argv.rate ?? false,
      counters: argv.counter ?? [],
      gauges: argv.gauge ?? [],
      includeDead: argv.includeDead ?? false,
      json: argv.json ?? false,
    });
  },
};

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
