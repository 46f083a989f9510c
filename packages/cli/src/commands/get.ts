/**
 * `mmstats get PREFIX [PATH|DIR|GLOB...]`: the values of the labels starting with PREFIX over
 * every stats file, one line per label, optionally combined (`--aggr`): what mmash's
 * `/stats/<prefix>?exact=&aggr=` answers, on the command line.
 *
 * @module
 */
import { toJsonValue, type Value, type ValueKind } from '@mmstats/format';
import { AGGREGATORS, aggregate, collectValues, findStatsFiles, matchesLabel, scanStats, type Aggregator, type StatsSnapshot } from '@mmstats/reader';
import type { Argv } from 'yargs';
import { pythonText } from '../python-text.js';
import { exitQuietlyOnClosedStdout, warn, writeOut } from '../stdout.js';

/** Options of `mmstats get`. */
export interface GetOptions {
  /** A label prefix, e.g. `"web.stats."`, or with `exact` a whole label. */
  readonly prefix: string;
  /** Files, directories and globs; empty means the defaults (MMSTATS_GLOB, MMSTATS_PATH, the temp dir). */
  readonly targets: readonly string[];
  /** Match the whole label only. Default `false`. */
  readonly exact?: boolean;
  /** Combine each label's values over the files; default none: list every file's value. */
  readonly aggr?: Aggregator;
  /** Print one JSON object `{label: value or [values]}` instead of lines. Default `false`. */
  readonly json?: boolean;
}

/** yargs command module for `get`. */
export const getCommand = {
  command: 'get <prefix> [targets..]',
  describe: 'Print the values of the labels starting with PREFIX, over all stats files',
  builder: (yargs: Argv) =>
    yargs
      .positional('prefix', { describe: 'label prefix (or the whole label, with --exact)', type: 'string', demandOption: true })
      .positional('targets', {
        describe: 'stats files, directories or globs (default: $MMSTATS_GLOB, else $MMSTATS_PATH/*.mmstats, else <tmpdir>/*.mmstats)',
        type: 'string',
        array: true,
        default: [] as string[],
      })
      .option('exact', { describe: 'match the whole label only', type: 'boolean', default: false })
      .option('aggr', { describe: 'combine each label over the files (default: list every value)', choices: AGGREGATORS as unknown as string[] })
      .option('json', { describe: 'one JSON object {label: value | [values]}', type: 'boolean', default: false })
      .example('$0 get web.stats.status. --aggr sum', 'each status counter summed over all workers')
      .example('$0 get --exact --aggr max app.queue.depth', 'the deepest queue'),
  handler: async (argv: { prefix?: string | undefined; targets?: string[] | undefined; exact?: boolean | undefined; aggr?: string | undefined; json?: boolean | undefined }) => {
    process.exitCode = await get({
      prefix: argv.prefix ?? '',
      targets: argv.targets ?? [],
      exact: argv.exact ?? false,
      ...(argv.aggr === undefined ? {} : { aggr: argv.aggr as Aggregator }),
      json: argv.json ?? false,
    });
  },
};

/**
 * Runs `get`. Text: `label value` per label (labels sorted and aligned; without `aggr`, every
 * file's value, space-separated, in file order; `-` for an aggregate with no value, e.g. the
 * sum of strings). JSON: `{"label": value}` or `{"label": [values]}` (spec/expected-json.md
 * forms; `null` for no value).
 *
 * @returns the exit code: 0; 1 when no label matched or a file could not be read
 */
export async function get(options: GetOptions): Promise<number> {
  exitQuietlyOnClosedStdout();
  const query = { prefix: options.prefix, exact: options.exact ?? false };
  const snapshots: StatsSnapshot[] = [];
  let failed = 0;
  for (const result of scanStats(await findStatsFiles(options.targets))) {
    if (result.ok) snapshots.push(result.snapshot);
    else {
      failed++;
      warn(result.error.message);
    }
  }
  const values = collectValues(snapshots, query);
  const kinds = kindsOf(snapshots, query);
  if (values.size === 0) warn(`no label ${options.exact ? 'is' : 'starts with'} ${JSON.stringify(options.prefix)}`);
  const rows = [...values].map(([label, list]) => {
    if (options.aggr === undefined) return { label, value: list, kind: kinds.get(label)! };
    const combined = aggregate(list, options.aggr);
    const averaged = options.aggr === 'avg' || options.aggr === 'nonzero-avg';
    return { label, value: combined, kind: averaged ? ('float' as const) : kinds.get(label)! };
  });
  if (options.json) {
    const object = Object.fromEntries(rows.map(({ label, value }) => [label, Array.isArray(value) ? value.map(toJsonValue) : value === null ? null : toJsonValue(value)]));
    await writeOut(`${JSON.stringify(object)}\n`);
  } else {
    const width = Math.max(0, ...rows.map((row) => [...row.label].length));
    const text = (value: Value | null, kind: ValueKind): string => (value === null ? '-' : pythonText(value, kind));
    for (const { label, value, kind } of rows) {
      const shown = Array.isArray(value) ? value.map((v) => text(v, kind)).join(' ') : text(value, kind);
      await writeOut(`${label.padEnd(width + label.length - [...label].length)} ${shown}\n`);
    }
  }
  return failed > 0 || values.size === 0 ? 1 : 0;
}

/** The value kind of each selected label, from the first file that has it (for printing floats as floats). */
function kindsOf(snapshots: readonly StatsSnapshot[], query: { prefix: string; exact: boolean }): Map<string, ValueKind> {
  const kinds = new Map<string, ValueKind>();
  for (const snapshot of snapshots) {
    for (const field of snapshot.fields) {
      if (matchesLabel(field.label, query) && !kinds.has(field.label)) kinds.set(field.label, field.layout.valueType.kind);
    }
  }
  return kinds;
}
