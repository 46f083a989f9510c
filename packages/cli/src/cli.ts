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

/**
 * Parses `args` (without `node` and the script) and runs the command they name.
 * Sets `process.exitCode`; never calls `process.exit` except for a closed stdout.
 */
export async function runCli(args: readonly string[]): Promise<void> {
  await yargs([...args])
    .scriptName('mmstats')
    .usage('$0 <command> [options]\n\nRead the live stats that programs publish in mmstats files.')
    .command(slurpCommand)
    .command(pollCommand)
    .command(cleanCommand)
    .command(getCommand)
    .demandCommand(1, 'Name a command: slurp, poll, clean or get')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(100, process.stdout.columns ?? 80))
    .parseAsync();
}
