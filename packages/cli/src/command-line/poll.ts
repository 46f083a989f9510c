/**
 * The `mmstats poll` command line: its arguments, help text and checks; the command itself
 * (`commands/poll.ts`) is loaded only when it runs, so `--help` and usage errors stay cheap.
 *
 * @module
 */
import type { Argv } from 'yargs';
import { pollOptionsProblem, splitFields } from '../poll/poll-options.js';
import { targetsPositional } from '../targets-positional.js';

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
          '--counter/--gauge. Histograms and timers show a percentile merged over the files, of the values ' +
          'recorded during each interval (the first row: since start) (default :p99; also :p50, :p90, any ' +
          ':pN, :count, :mean, :max, :min, :sum; :max and :min since start); averages ' +
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
    const { poll } = await import('../commands/poll.js');
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
