/**
 * `mmstats clean [PATH|DIR|GLOB...]`: remove the stats files whose writer is gone, as the
 * Python `cleanstats` does, without its blind spots: a pid reused by a newer process, a
 * zombie writer, links, and files that are not stats files. Reads v1 (`sys.pid`,
 * `sys.created`) and v2 (header `pid`, `process_start`) files, and also removes the hidden
 * temporary files of v2 writers that died before renaming them into place.
 *
 * @module
 */
import { unlinkSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { defaultStatsDirectories, findStatsFiles, segmentMatcher } from '@mmstats/reader';
import type { Argv } from 'yargs';
import { judgeStatsFile, type Verdict } from '../clean/judge-stats-file.js';
import { isSameFile } from '../clean/read-own-file.js';
import { exitQuietlyOnClosedStdout, warn, writeOut } from '../stdout.js';
import { targetsPositional } from '../targets-positional.js';

/** Options of `mmstats clean`. */
export interface CleanOptions {
  /** Files, directories and globs; empty means the defaults (MMSTATS_GLOB, MMSTATS_PATH, the temp dir). */
  readonly targets: readonly string[];
  /** Say what would be removed and kept, and remove nothing. Default `false`. */
  readonly dryRun?: boolean;
  /** Also list the files kept because their writer is running. Default `false`. */
  readonly verbose?: boolean;
  /**
   * Print the summary exactly as Python's `cleanstats` (`Removed 2  -  3 alive`, two spaces
   * around the dash) for scripts that read it. Default `false` (`Removed 2 - 3 alive`).
   */
  readonly pythonSummary?: boolean;
}

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
        'A file is removed when its writer (v1: sys.pid; v2: the header\'s pid) is not running, is a ' +
          'zombie, or the pid now belongs to a process that started after the writer did (pid reuse: ' +
          'v1, after sys.created; v2, more than 1 s after process_start). It is kept when the process ' +
          'runs, whoever owns it, and when it has no pid. The hidden temporary files of v2 writers that ' +
          'died before renaming them into place (.NAME.xxxxxxxxxxxx.tmp beside NAME) go by the same rules. ' +
          'Links are never followed and files that are not stats files are never touched.',
      )
      .example('$0 clean --dry-run', 'what would go from the temp dir')
      .example("$0 clean '/run/app/*.mmstats'", 'clean up after crashed workers'),
  handler: async (argv: { targets?: string[] | undefined; dryRun?: boolean | undefined; verbose?: boolean | undefined }) => {
    process.exitCode = await clean({ targets: argv.targets ?? [], dryRun: argv.dryRun ?? false, verbose: argv.verbose ?? false });
  },
};

/**
 * Runs `clean`: judges every file (see `judgeStatsFile`), removes those whose writer is gone,
 * prints a line per file removed (or kept for a reason worth knowing), then the summary
 * `Removed N - M alive` (M: files kept because their writer runs).
 *
 * @returns the exit code: 0, or 1 when a file could not be read or removed, or explicit
 *   targets matched nothing
 */
export async function clean(options: CleanOptions): Promise<number> {
  exitQuietlyOnClosedStdout();
  const paths = await findStatsFiles(options.targets);
  const temporary = await findTemporaryFiles(options.targets);
  if (paths.length === 0 && temporary.length === 0 && options.targets.length > 0) {
    warn(`no stats files found in ${options.targets.join(' ')}`);
    return 1;
  }
  const dry = options.dryRun === true;
  let removed = 0;
  let alive = 0;
  let failed = 0;
  const judged = [...paths.map((path) => ({ path, temp: false })), ...temporary.map((path) => ({ path, temp: true }))];
  for (const { path, temp } of judged) {
    const verdict = judgeStatsFile(path, { temporary: temp });
    switch (verdict.action) {
      case 'skip':
        failed++;
        warn(`${verdict.error.message}; left alone`);
        break;
      case 'keep':
        if (verdict.reason === 'no-pid') {
          const what = temp ? 'is a temporary file with no pid in its header yet' : verdict.version === 2 ? 'has no pid in its header' : 'has no sys.pid field';
          warn(`${path}: ${what}, so nothing tells whether its writer runs; kept`);
          break;
        }
        alive++;
        if (verdict.reason === 'other-user' || options.verbose || dry) await writeOut(`${dry ? 'would keep' : 'kept'} ${path}: ${why(verdict)}\n`);
        break;
      case 'remove':
        if (dry) {
          removed++;
          await writeOut(`would remove ${path}: ${why(verdict)}${temp ? ' (a temporary file never renamed into place)' : ''}\n`);
        } else if (!isSameFile(path, verdict.identity)) {
          failed++;
          warn(`${path}: changed since it was read; left alone`);
        } else {
          try {
            unlinkSync(path); // unlink never follows a link: it removes the name itself
            removed++;
            await writeOut(`removed ${path}: ${why(verdict)}${temp ? ' (a temporary file never renamed into place)' : ''}\n`);
          } catch (error) {
            failed++;
            warn(`${path}: could not remove (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
          }
        }
        break;
    }
  }
  const gap = options.pythonSummary ? '  -  ' : ' - ';
  await writeOut(`${dry ? 'Would remove' : 'Removed'} ${removed}${gap}${alive} alive\n`);
  return failed > 0 ? 1 : 0;
}

function why(verdict: Exclude<Verdict, { action: 'skip' }>): string {
  if (verdict.action === 'keep') {
    if (verdict.reason === 'other-user') return `pid ${verdict.pid} is alive and belongs to another user${verdict.uid === undefined ? '' : ` (uid ${verdict.uid})`}`;
    return `pid ${verdict.pid} is running`;
  }
  switch (verdict.reason) {
    case 'not-running':
      return `pid ${verdict.pid} is not running`;
    case 'exited':
      return `pid ${verdict.pid} has exited (a zombie)`;
    case 'pid-reused':
      return verdict.version === 2
        ? `pid ${verdict.pid} now belongs to a process started ${iso(verdict.started)}, after the writer's process started ${iso(verdict.created)}`
        : `pid ${verdict.pid} now belongs to a process started ${iso(verdict.started)}, after the file was created ${iso(verdict.created)}`;
  }
}

function iso(seconds: number | undefined): string {
  return seconds === undefined ? '?' : new Date(seconds * 1000).toISOString();
}

/** A v2 writer's temporary name: `.NAME.` + 12 hex digits + `.tmp` (packages/writer, `createV2TempFile`). */
const TEMPORARY_NAME = /^\.(.+)\.[0-9a-f]{12}\.tmp$/su;

/**
 * The hidden temporary files that v2 writers make beside the files `targets` name
 * (spec/format-v2.md#lifecycle: a file is created under a temporary name and renamed into
 * place once complete; the TypeScript writer names it `.NAME.xxxxxxxxxxxx.tmp`, 12 hex
 * digits, beside `NAME`). A writer that dies before the rename leaves it behind. Found for the
 * same names as `findStatsFiles` finds: a directory's `*.mmstats`, a glob's matches, a file's
 * own name; with no targets, `MMSTATS_GLOB`, `MMSTATS_PATH` or this user's default stats
 * directories (spec/files.md#default-directory).
 */
export async function findTemporaryFiles(targets: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<string[]> {
  const patterns: { dir: string; name: string }[] = [];
  const add = (target: string, directory: boolean): void => {
    const path = resolve(target);
    if (directory) patterns.push({ dir: path, name: '*.mmstats' });
    else patterns.push({ dir: dirname(path), name: basename(path) });
  };
  if (targets.length > 0) {
    for (const target of targets) add(target, await isDirectory(target));
  } else if (env['MMSTATS_GLOB']) {
    for (const pattern of env['MMSTATS_GLOB'].split(delimiter).filter((p) => p !== '')) add(pattern, await isDirectory(pattern));
  } else if (env['MMSTATS_PATH']) {
    add(env['MMSTATS_PATH'], true);
  } else {
    // findStatsFiles has already reported the default directories it skipped.
    for (const dir of await defaultStatsDirectories(undefined, () => {})) add(dir, true);
  }
  const found = new Set<string>();
  for (const { dir, name } of patterns) {
    const wanted = segmentMatcher(name);
    if (wanted === undefined) continue;
    // `.*.tmp` beside the names: hidden names are matched because the pattern starts with `.`.
    for (const path of await findStatsFiles([join(dir, '.*.tmp')])) {
      const match = TEMPORARY_NAME.exec(basename(path));
      if (match !== null && wanted(match[1]!)) found.add(path);
    }
  }
  return [...found].sort();
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
