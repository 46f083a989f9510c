/**
 * The `mmstats` command line: one yargs program with a command per tool.
 *
 * @module
 */
import yargs from 'yargs';
import { cleanCommand } from './commands/clean.js';
import { getCommand } from './commands/get.js';
import { pollCommand } from './commands/poll.js';
import { slurpCommand } from './commands/slurp.js';
import { validateCommand } from './commands/validate.js';

/**
 * Parses `args` (without `node` and the script) and runs the command they name.
 * Sets `process.exitCode`; never calls `process.exit` except for a closed stdout.
 */
export async function runCli(args: readonly string[]): Promise<void> {
  await yargs([...args])
    .scriptName('mmstats')
    .usage('$0 <command> [options]\n\nRead the live stats that programs publish in mmstats files (format v1 and v2).')
    .command(slurpCommand)
    .command(pollCommand)
    .command(cleanCommand)
    .command(getCommand)
    .command(validateCommand)
    .demandCommand(1, 'Name a command: slurp, poll, clean, get or validate')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(100, process.stdout.columns ?? 80))
    .parseAsync();
}
