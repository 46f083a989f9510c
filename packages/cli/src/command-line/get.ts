/**
 * The `mmstats get` command line: its arguments, help text and checks; the command itself
 * (`commands/get.ts`) is loaded only when it runs, so `--help` and usage errors stay cheap.
 *
 * @module
 */
import { AGGREGATORS, type Aggregator } from '@mmstats/reader/aggregate';
import type { Argv } from 'yargs';
import { targetsPositional } from '../targets-positional.js';

/** yargs command module for `get`. */
export const getCommand = {
  command: 'get <prefix> [targets..]',
  describe: 'Print the values of the labels starting with PREFIX, over all stats files',
  builder: (yargs: Argv) =>
    yargs
      .positional('prefix', { describe: 'label prefix (or the whole label, with --exact)', type: 'string', demandOption: true })
      .positional('targets', targetsPositional())
      .option('exact', { describe: 'match the whole label only', type: 'boolean', default: false })
      .option('aggr', { describe: 'combine each label over the files as Python mmash does (default: list every value)', choices: AGGREGATORS as unknown as string[] })
      .option('merge', { describe: "merge each label over the files by its records' merge rules (percentiles for histograms)", type: 'boolean', conflicts: 'aggr' })
      .option('json', { describe: 'one JSON object {label: value | [values]}', type: 'boolean', default: false })
      .example('$0 get web.stats.status. --aggr sum', 'each status counter summed over all workers')
      .example('$0 get --exact --aggr max app.queue.depth', 'the deepest queue')
      .example('$0 get --merge http.duration', 'one timer merged over every worker: p50, p90, p99, count'),
  handler: async (argv: { prefix?: string | undefined; targets?: string[] | undefined; exact?: boolean | undefined; aggr?: string | undefined; merge?: boolean | undefined; json?: boolean | undefined }) => {
    const { get } = await import('../commands/get.js');
    process.exitCode = await get({
      prefix: argv.prefix ?? '',
      targets: argv.targets ?? [],
      exact: argv.exact ?? false,
      ...(argv.aggr === undefined ? {} : { aggr: argv.aggr as Aggregator }),
      merge: argv.merge ?? false,
      json: argv.json ?? false,
    });
  },
};
