/**
 * The `mmstats` command line: one yargs program with a command per tool.
 *
 * @module
 */
import type { Argv } from 'yargs';
import { cleanCommand } from './command-line/clean.js';
import { getCommand } from './command-line/get.js';
import { pollCommand } from './command-line/poll.js';
import { slurpCommand } from './command-line/slurp.js';
import { topCommand } from './command-line/top.js';
import { validateCommand } from './command-line/validate.js';
import { helpWidth } from './prerendered-help.js';
import { runCommandLine } from './usage.js';

/** The names of the `mmstats` commands: `slurp`, `poll`, `top`, `clean`, `get`, `validate`. */
export const COMMAND_NAMES: readonly string[] = [slurpCommand, pollCommand, topCommand, cleanCommand, getCommand, validateCommand].map((c) => c.command.split(' ')[0] ?? '');

/**
 * Adds the `mmstats` commands and their usage to `program`, its help wrapped at `width`
 * columns (default {@link helpWidth} of the terminal).
 */
export function mmstatsCommands(program: Argv, width = helpWidth(process.stdout.columns)): Argv {
  return program
    .usage('$0 <command> [options]\n\nRead the live stats that programs publish in mmstats files (format v1 and v2).')
    .command(slurpCommand)
    .command(pollCommand)
    .command(topCommand)
    .command(cleanCommand)
    .command(getCommand)
    .command(validateCommand)
    .demandCommand(1, 'Name a command: slurp, poll, top, clean, get or validate')
    .wrap(width);
}

/**
 * Parses `args` (without `node` and the script) and runs the command they name.
 * Sets `process.exitCode`; never calls `process.exit` except for a closed stdout. A usage
 * error is one line on stderr and a hint to the command's `--help`, exit code 2 (`EXIT_USAGE`).
 */
export async function runCli(args: readonly string[]): Promise<void> {
  const help = COMMAND_NAMES.includes(args[0] ?? '') ? `mmstats ${args[0]} --help` : 'mmstats --help';
  await runCommandLine('mmstats', args, (program) => mmstatsCommands(program), help);
}
