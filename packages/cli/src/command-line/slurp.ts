/**
 * The `mmstats slurp` command line: its arguments, help text and checks; the command itself
 * (`commands/slurp.ts`) is loaded only when it runs, so `--help` and usage errors stay cheap.
 *
 * @module
 */
import type { Argv } from 'yargs';
import { targetsPositional } from '../targets-positional.js';

/** yargs command module for `slurp`. */
export const slurpCommand = {
  command: 'slurp [targets..]',
  describe: 'Print every field of every stats file',
  builder: (yargs: Argv) =>
    yargs
      .positional('targets', targetsPositional())
      .option('json', { describe: 'one JSON object per field per line: {"file","label","type","value"}, v2 also "dims","kind","unit"', type: 'boolean', default: false })
      .epilog(
        'v1 files print as the Python slurpstats prints them: "  label value". v2 files print ' +
          '"  label{dims}  kind  value unit": histograms and timers as p50/p90/p99 and count, ' +
          'averages as the mean and count, windows as the rate per second and mean over their ' +
          'last slots; a value that could not be read shows its error code.',
      )
      .example('$0 slurp', 'every stats file in your default stats directories')
      .example("$0 slurp --json '/run/app/*.mmstats'", 'JSON lines, for scripts'),
  handler: async (argv: { targets?: string[]; json?: boolean }) => {
    const { slurp } = await import('../commands/slurp.js');
    process.exitCode = await slurp({ targets: argv.targets ?? [], json: argv.json ?? false });
  },
};
