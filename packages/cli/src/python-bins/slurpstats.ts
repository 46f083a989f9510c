#!/usr/bin/env node
// `slurpstats [FILE...]`: the Python tool's name and arguments, so existing scripts keep
// working; it runs `mmstats slurp`, whose text output matches it. Python's took every argument
// as a file name; here `-h`/`--help` and `--version` answer, other options are usage errors,
// and `--` comes before file names that start with `-`.
import { hideBin } from 'yargs/helpers';
import { slurp } from '../commands/slurp.js';
import { targetsPositional } from '../targets-positional.js';
import { runCommandLine } from '../usage.js';

await runCommandLine('slurpstats', hideBin(process.argv), (program) =>
  program.command(
    '$0 [files..]',
    'print every field of every stats file (runs mmstats slurp)',
    (y) => y.positional('files', targetsPositional()),
    async (argv) => {
      process.exitCode = await slurp({ targets: argv.files.map(String), json: false });
    },
  ),
);
