/**
 * The `mmstats clean` command line: its arguments, help text and checks; the command itself
 * (`commands/clean.ts`) is loaded only when it runs, so `--help` and usage errors stay cheap.
 *
 * @module
 */
import type { Argv } from 'yargs';
import { targetsPositional } from '../targets-positional.js';

/** yargs command module for `clean`. */
export const cleanCommand = {
  command: 'clean [targets..]',
  describe: 'Remove stats files whose writing process is gone',
  builder: (yargs: Argv) =>
    yargs
      .positional('targets', targetsPositional())
      .option('dry-run', { alias: 'n', describe: 'list what would be removed and kept; remove nothing', type: 'boolean', default: false })
      .option('verbose', { alias: 'v', describe: 'also list files kept because their writer runs', type: 'boolean', default: false })
      .epilog(
        'A file is removed when its writer is gone (spec/files.md#removal). v2: written in another boot ' +
          '(boot_id); in our pid namespace, its pid is not running, is a zombie, or now belongs to a process ' +
          'started more than 5 s after process_start; in another or an unknown pid namespace, where the pid ' +
          'says nothing, its heartbeat is more than 10 intervals old (never without a heartbeat). v1: ' +
          'sys.created is more than 5 s before this boot, or the pid is gone (or reused) and, seen from the initial pid ' +
          'namespace, no process maps the file for writing; otherwise kept. A live process of another user ' +
          'keeps its file. The hidden temporary files of v2 writers that died before renaming them into ' +
          'place (.NAME.xxxxxxxxxxxx.tmp beside NAME) go by the same rules. --dry-run prints each verdict ' +
          'and its reason. Globs never enter links to directories, a file is removed only if it is still ' +
          'the file judged in the directory walked, and files that are not stats files are never touched.',
      )
      .example('$0 clean --dry-run', 'what would go from your default stats directories')
      .example("$0 clean '/run/app/*.mmstats'", 'clean up after crashed workers'),
  handler: async (argv: { targets?: string[] | undefined; dryRun?: boolean | undefined; verbose?: boolean | undefined }) => {
    const { clean } = await import('../commands/clean.js');
    process.exitCode = await clean({ targets: argv.targets ?? [], dryRun: argv.dryRun ?? false, verbose: argv.verbose ?? false });
  },
};
