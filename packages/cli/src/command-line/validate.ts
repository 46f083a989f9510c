/**
 * The `mmstats validate` command line: its arguments, help text and checks; the command itself
 * (`commands/validate.ts`) is loaded only when it runs, so `--help` and usage errors stay cheap.
 *
 * @module
 */
import type { Argv } from 'yargs';

/** yargs command module for `validate`. */
export const validateCommand = {
  command: 'validate <file>',
  describe: 'Check that a stats file decodes to its expected JSON (conformance, spec/conformance.md)',
  builder: (yargs: Argv) =>
    yargs
      .positional('file', { describe: 'a v1 or v2 stats file', type: 'string', demandOption: true })
      .option('expected', {
        alias: 'e',
        describe: 'the expected JSON: a valid fixture\'s (v1 or v2 shape) or an invalid one\'s {"error": code} (default: FILE with .mmstats replaced by .json)',
        type: 'string',
        requiresArg: true,
      })
      .epilog('Exit codes: 0 the file decodes to the JSON; 1 it does not (the first differing JSON path is printed, with what was found and what was wanted); 2 usage errors.')
      .example('$0 validate fixtures/v2/ts/all-kinds.mmstats --expected fixtures/v2/ts/all-kinds.json', 'one fixture')
      .example('for f in fixtures/*/*/*.mmstats fixtures/invalid/*.mmstats; do $0 validate "$f" || exit 1; done', 'every fixture'),
  handler: async (argv: { file?: string | undefined; expected?: string | undefined }) => {
    const { validate } = await import('../commands/validate.js');
    process.exitCode = await validate({ file: argv.file ?? '', ...(argv.expected === undefined ? {} : { expected: argv.expected }) });
  },
};
