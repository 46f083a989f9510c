#!/usr/bin/env node
// `pollstats [-c COUNT] [-d DELAY] [-f [FILTER ...]] [-n HEADERS] [-p PREFIX] [-v] FIELDS FILE...`:
// the Python tool's options, so existing scripts keep working; it runs `mmstats poll`. `-v`
// (Python's verbosity) is accepted and changes nothing: problems always go to stderr.
import { hideBin } from 'yargs/helpers';
import { poll } from '../commands/poll.js';
import { pollOptionsProblem, splitFields } from '../poll/poll-options.js';
import { runCommandLine } from '../usage.js';

await runCommandLine('pollstats', hideBin(process.argv), (program) =>
  program.command(
    '$0 <fields> [files..]',
    'vmstat-like view of mmstats fields summed over files (runs mmstats poll)',
    (y) =>
      y
        .positional('fields', { describe: 'comma-separated fields', type: 'string', demandOption: true })
        .positional('files', { describe: 'stats files, directories or globs', type: 'string', array: true, default: [] as string[] })
        .option('count', { alias: 'c', type: 'number', describe: 'rows to print', requiresArg: true })
        .option('delay', { alias: 'd', type: 'number', default: 1, describe: 'seconds between rows', requiresArg: true })
        .option('filter', { alias: 'f', type: 'string', array: true, default: [] as string[], describe: 'KEY or KEY=VALUE' })
        .option('headers', { alias: 'n', type: 'number', default: 20, describe: 'print headers every HEADERS lines', requiresArg: true })
        .option('prefix', { alias: 'p', type: 'string', default: '', describe: 'field prefix', requiresArg: true })
        .option('v', { type: 'count', describe: 'verbosity (accepted for compatibility)' })
        .check((argv) => {
          const problem = pollOptionsProblem({ fields: splitFields(argv.fields), count: argv.count, delay: argv.delay, headers: argv.headers });
          if (problem !== undefined) throw new Error(problem);
          return true;
        }),
    async (argv) => {
      process.exitCode = await poll({
        fields: splitFields(argv.fields),
        targets: argv.files,
        prefix: argv.prefix,
        filters: argv.filter,
        ...(argv.count === undefined ? {} : { count: argv.count }),
        delay: argv.delay,
        headers: argv.headers,
      });
    },
  ),
);
