/**
 * The `mmstats top` command line: its arguments, help text and checks; the command itself
 * (`commands/top.ts`) is loaded only when it runs, so `--help` and usage errors stay cheap.
 *
 * @module
 */
import type { Argv } from 'yargs';
import { targetsPositional } from '../targets-positional.js';
import { topOptionsProblem } from '../top/top-options.js';

/** yargs command module for `top`. */
export const topCommand = {
  command: 'top [targets..]',
  describe: 'An interactive full-screen view of every record, merged, per worker or per file (like htop)',
  builder: (yargs: Argv) =>
    yargs
      .positional('targets', targetsPositional(', looked up again every interval'))
      .option('interval', { alias: 'i', describe: 'seconds between readings (fractions allowed)', type: 'number', default: 1, requiresArg: true })
      .option('filter', { alias: 'f', describe: 'only files that have a label starting with KEY, or whose label KEY holds VALUE (repeatable; all must match)', type: 'string', array: true, default: [] as string[], requiresArg: true })
      .option('pattern', { alias: 'm', describe: 'start with this row filter, as typed after / (a glob with * ? [...], else a substring)', type: 'string', default: '', requiresArg: true })
      .check((argv) => {
        const problem = topOptionsProblem({ interval: argv.interval });
        if (problem !== undefined) throw new Error(problem);
        return true;
      })
      .epilog(
        'Each row is a record, merged over the files by its merge rule: its value, its rate per second over ' +
          'the last interval (counters; the count of histograms, timers and averages; a window\'s own rate) and, ' +
          'for histograms and timers, p50, p90 and p99 of the values recorded in that interval, with a sparkline ' +
          'of its recent history. The writers pane shows each file\'s worker, heartbeat age and whether its ' +
          'writer is gone (its records are left out then). Keys: v view (merged, per worker, per file), s < > ' +
          'sort, r reverse, / filter, p pause, ? help, q quit. NO_COLOR turns colours off; a locale that is ' +
          'not UTF-8 draws in ASCII.',
      )
      .example('$0 top /run/app', 'every record of the service')
      .example("$0 top -i 0.5 -m 'http.*' '/run/app/*.mmstats'", 'twice a second, the http records only'),
  handler: async (argv: { targets?: string[] | undefined; interval?: number | undefined; filter?: string[] | undefined; pattern?: string | undefined }) => {
    const { top } = await import('../commands/top.js');
    process.exitCode = await top({ targets: argv.targets ?? [], interval: argv.interval ?? 1, filters: argv.filter ?? [], pattern: argv.pattern ?? '' });
  },
};
