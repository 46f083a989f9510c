/**
 * The `mmstats` command line: one yargs program with a command per tool.
 *
 * @module
 */
import { cleanCommand } from './commands/clean.js';
import { getCommand } from './commands/get.js';
import { pollCommand } from './commands/poll.js';
import { slurpCommand } from './commands/slurp.js';
import { validateCommand } from './commands/validate.js';
import { runCommandLine } from './usage.js';

const COMMAND_NAMES = [slurpCommand, pollCommand, cleanCommand, getCommand, validateCommand].map((c) => c.command.split(' ')[0]);

/**
 * Parses `args` (without `node` and the script) and runs the command they name.
 * Sets `process.exitCode`; never calls `process.exit` except for a closed stdout. A usage
 * error is one line on stderr and a hint to the command's `--help`, exit code 2 (`EXIT_USAGE`).
 */
export async function runCli(args: readonly string[]): Promise<void> {
  const help = COMMAND_NAMES.includes(args[0]) ? `mmstats ${args[0]} --help` : 'mmstats --help';
  await runCommandLine(
    'mmstats',
    args,
    (program) =>
      program
        .usage('$0 <command> [options]\n\nRead the live stats that programs publish in mmstats files (format v1 and v2).')
        .command(slurpCommand)
        .command(pollCommand)
        .command(cleanCommand)
        .command(getCommand)
        .command(validateCommand)
        .demandCommand(1, 'Name a command: slurp, poll, clean, get or validate')
        .wrap(Math.min(100, process.stdout.columns ?? 80)),
    help,
  );
}
