#!/usr/bin/env node
// `cleanstats FILE...`: the Python tool's name and arguments, running `mmstats clean` with
// Python's summary line (`Removed N  -  M alive`). Unlike Python's, no FILE is a usage error
// and removes nothing (it never falls back to the default directories: `mmstats clean` does that).
import { hideBin } from 'yargs/helpers';
import { clean } from '../commands/clean.js';
import { runCommandLine } from '../usage.js';

await runCommandLine('cleanstats', hideBin(process.argv), (program) =>
  program.command(
    '$0 [files..]',
    'remove the stats files whose writing process is gone (runs mmstats clean)',
    (y) =>
      y
        .positional('files', { describe: 'stats files, directories or globs', type: 'string', array: true, default: [] as string[] })
        // Checked here rather than by `<files..>`, so that names after `--` count.
        .check((argv) => {
          if (argv.files.length === 0) throw new Error('name the stats files to clean (mmstats clean cleans your default stats directories)');
          return true;
        }),
    async (argv) => {
      process.exitCode = await clean({ targets: argv.files.map(String), pythonSummary: true });
    },
  ),
);
