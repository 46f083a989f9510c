/**
 * What every executable of this package does with its command line before any work: the same
 * exit code and the same one-line report for a usage error, and `--version` from this
 * package's own package.json.
 *
 * @module
 */
import yargs, { type Argv } from 'yargs';
import { packageVersion } from './package-version.js';
import { terminalText } from './terminal-text.js';

/**
 * Exit code of every command (`mmstats *`, `slurpstats`, `pollstats`, `cleanstats`) for a
 * usage error: an unknown command or option, a missing or malformed argument. 2, as Python's
 * argparse-based `pollstats` and most Unix tools exit.
 */
export const EXIT_USAGE = 2;

/** A command line that cannot be run; its message is the one line reported. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The list positionals that take the names after `--`: the reading commands' and the Python tools'. */
const NAME_LISTS = ['targets', 'files'];

/**
 * yargs middleware: the arguments after `--` (names that start with `-`) join the command's
 * list of files (`[targets..]`, `[files..]`); a command without one refuses them, as yargs
 * would otherwise drop them silently.
 */
function namesAfterDashes(argv: Record<string, unknown>): void {
  const rest = argv['--'];
  if (!Array.isArray(rest) || rest.length === 0) return;
  const list = NAME_LISTS.find((name) => Array.isArray(argv[name]));
  if (list === undefined) throw new UsageError(`unexpected arguments after --: ${rest.join(' ')}`);
  argv[list] = [...(argv[list] as unknown[]), ...rest].map(String);
  delete argv['--'];
}

/**
 * The yargs `.fail()` handler of {@link runCommandLine}: turns what yargs found wrong with the arguments (or a `.check()`
 * threw) into a {@link UsageError}, so nothing runs; an error thrown by a command's handler
 * (yargs gives no message then) is thrown on unchanged.
 */
function failOnUsage(message: string | null | undefined, error: Error | undefined): never {
  // yargs puts some messages on several indented lines ("Invalid values:\n  Argument: ..."): one line.
  if (message) throw new UsageError(message.split('\n').map((line) => line.trim()).filter((line) => line !== '').join(' '));
  throw error ?? new UsageError('bad arguments');
}

/**
 * The yargs program for the command line `args` of `program`: `build` adds the commands and
 * options to a program that is strict (unknown options and commands are errors), takes the
 * names after `--` as files, answers `-h`/`--help` and `--version` ({@link packageVersion}), and
 * turns what is wrong with the arguments into a {@link UsageError}.
 */
export function commandLineProgram(program: string, args: readonly string[], build: (program: Argv) => Argv): Argv {
  // English whatever the environment's locale: our own messages are, and the help is rendered at build time.
  const argv = build(yargs([...args]).scriptName(program).locale('en').strict().fail(failOnUsage).parserConfiguration({ 'populate--': true }).middleware(namesAfterDashes, true))
    .help()
    .alias('h', 'help')
    .version(packageVersion());
  return withoutHelpCache(argv);
}

/** The part of yargs' internals {@link withoutHelpCache} reaches: its usage instance. */
interface YargsInternals {
  getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } };
}

/**
 * `program` without yargs' help cache: after starting every command yargs renders the whole
 * help text and keeps it for a later `showHelp()`, 30 to 40 ms of every run (text measured
 * with string-width). No mmstats program shows help after a command has started (`.fail()`
 * reports one line; `--help` is rendered without the cache, and prerendered at build time),
 * so the rendering is skipped. A yargs without this hook is left as it is.
 */
function withoutHelpCache(program: Argv): Argv {
  const usage = (program as unknown as YargsInternals).getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
  return program;
}

/**
 * Runs the command line `args` of `program` ({@link commandLineProgram}) and reports a usage
 * error as `program: message` and a hint to run `help` on stderr, with exit code
 * {@link EXIT_USAGE}; nothing runs then.
 *
 * @param help - the command that prints the usage; default `program --help`
 */
export async function runCommandLine(program: string, args: readonly string[], build: (program: Argv) => Argv, help = `${program} --help`): Promise<void> {
  try {
    await commandLineProgram(program, args, build).parseAsync();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${program}: ${terminalText(error.message)}\nTry '${help}' for more information.\n`);
    process.exitCode = EXIT_USAGE;
  }
}
