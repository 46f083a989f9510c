/**
 * Finding stats files the way the Python mmstats tools do: from explicit files, directories
 * and globs, or from the environment when given nothing.
 *
 * @module
 */
import { lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import { tmpdir as osTmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { NoticeCodes, isDefaultStatsDirName, privateDirectoryProblem } from '@mmstats/format';
import { archivesLast } from './archive.js';
import { expandGlob, listStatsFiles } from './glob-walk.js';
import { hasWildcards } from './glob-pattern.js';

/** Where {@link findStatsFiles} looks, when not told otherwise. */
export interface FindOptions {
  /**
   * The environment to read `MMSTATS_GLOB` and `MMSTATS_PATH` from when `targets` is empty.
   * Default `process.env`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * The temporary directory whose default stats directories (`mmstats-<euid>`,
   * `mmstats-<euid>.*`) are searched when neither variable is set. Default `os.tmpdir()`.
   */
  readonly tmpdir?: string;
  /**
   * Called for each default stats directory that is skipped because it is not this user's
   * (see `defaultStatsDirectories` in `@mmstats/reader`). Default: `process.emitWarning` with code
   * `MMSTATS-W202`.
   */
  readonly onSkipped?: (dir: string, why: string) => void;
  /** The directory relative targets and patterns are resolved against. Default `process.cwd()`. */
  readonly cwd?: string;
}

/**
 * The stats files named by `targets`, as the Python tools find them:
 *
 * - a **glob** (a target with `*`, `?` or `[...]`; `**` matches any depth of directories) gives
 *   every file it matches, or nothing; wildcards follow Python's `glob`: hidden names match only
 *   a pattern that starts with `.`, and directories are never returned;
 * - a **directory** gives its `*.mmstats` files (not recursive, hidden names skipped);
 * - anything else is kept **as a file, even when it does not exist**, so that reading it reports
 *   `NOT_FOUND` instead of the name silently vanishing.
 *
 * With no targets: the globs in `MMSTATS_GLOB` (several separated by `path.delimiter`, `:` on
 * POSIX), else the directory `MMSTATS_PATH`, else the `*.mmstats` files of this user's default
 * stats directories (see {@link defaultStatsDirectories}). Paths from the environment that
 * match nothing give nothing. An empty variable counts as unset.
 *
 * @param targets - files, directories and globs, as typed on a command line
 * @param options - see {@link FindOptions}
 * @returns absolute, normalised paths (resolved against `options.cwd`, symbolic links not
 *   followed), de-duplicated and sorted by UTF-16 code units, archives last (by name,
 *   spec/files.md#archive-order: a file removed while it is read is in the archive read after it)
 */
export async function findStatsFiles(targets: readonly string[], options: FindOptions = {}): Promise<string[]> {
  return findStatsFilesSync(targets, options);
}

/**
 * {@link findStatsFiles}, returning the paths rather than a promise of them. Both make the same
 * synchronous file-system calls (one per target and per directory listed, plus one per name a
 * listing cannot type): awaiting them one by one was slower than making them (`bench/cli.mjs`).
 */
export function findStatsFilesSync(targets: readonly string[], options: FindOptions = {}): string[] {
  const cwd = options.cwd ?? process.cwd();
  const found = new Set<string>();
  const add = (paths: readonly string[]): void => paths.forEach((path) => found.add(path));

  if (targets.length > 0) {
    for (const target of targets) add(expandTarget(resolve(cwd, target), hasWildcards(target), true));
  } else {
    const env = options.env ?? process.env;
    if (env['MMSTATS_GLOB']) {
      for (const pattern of env['MMSTATS_GLOB'].split(delimiter).filter((p) => p !== '')) {
        add(expandTarget(resolve(cwd, pattern), hasWildcards(pattern), false));
      }
    } else if (env['MMSTATS_PATH']) {
      // `$MMSTATS_PATH/*.mmstats` (spec/files.md#discovery): a path that is not a directory gives nothing.
      add(listStatsFiles(resolve(cwd, env['MMSTATS_PATH'])));
    } else {
      for (const dir of defaultStatsDirectoriesSync(resolve(cwd, options.tmpdir ?? osTmpdir()), options.onSkipped)) add(listStatsFiles(dir));
    }
  }
  return archivesLast([...found].sort());
}

/**
 * The default stats directories of this user in `tmpdir` (spec/files.md#default-directory):
 * `mmstats-<euid>`, where writers put their files when told nothing, and the
 * `mmstats-<euid>.*` directories a writer makes when that name is squatted. Each must be, by
 * `lstat`, a directory (not a symbolic link) owned by this euid without group or other write
 * permission; one that is not is skipped and reported to `onSkipped`: a directory another user
 * controls must not feed made-up values into this user's merged sums. Without user ids
 * (Windows): `tmpdir` itself.
 *
 * @param onSkipped - told each skipped directory and why; default `process.emitWarning`
 *   (code `MMSTATS-W202`), once per directory per process
 * @returns absolute paths, sorted
 */
export async function defaultStatsDirectories(tmpdir: string = osTmpdir(), onSkipped: (dir: string, why: string) => void = warnSkipped): Promise<string[]> {
  return defaultStatsDirectoriesSync(tmpdir, onSkipped);
}

function defaultStatsDirectoriesSync(tmpdir: string, onSkipped: (dir: string, why: string) => void = warnSkipped): string[] {
  const euid = process.geteuid?.();
  if (euid === undefined) return [tmpdir];
  const names = readdirOrNothing(tmpdir);
  const dirs: string[] = [];
  for (const name of names.filter((n) => isDefaultStatsDirName(n, euid)).sort()) {
    const dir = join(tmpdir, name);
    const problem = privateDirectoryProblem(lstatOrNothing(dir), euid);
    if (problem === undefined) dirs.push(dir);
    else onSkipped(dir, problem);
  }
  return dirs;
}

// Directories already warned about: pollers and mmash look for files again and again.
const warned = new Set<string>();

function warnSkipped(dir: string, why: string): void {
  if (warned.has(dir)) return;
  warned.add(dir);
  const code = NoticeCodes.UNSAFE_DEFAULT_DIRECTORY;
  process.emitWarning(`${dir}: ${code} default stats directory skipped: it ${why}`, { type: 'MmstatsWarning', code });
}

function expandTarget(path: string, isGlob: boolean, keepMissing: boolean): string[] {
  if (isGlob) {
    const matched = expandGlob(path);
    // A file whose own name has wildcard characters (`stats[1].mmstats`) is still found by name.
    if (matched.length > 0 || statOrNothing(path) === undefined) return matched;
  }
  const stats = statOrNothing(path);
  if (stats?.isDirectory()) return listStatsFiles(path);
  return stats !== undefined || keepMissing ? [path] : [];
}

function statOrNothing(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function lstatOrNothing(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function readdirOrNothing(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
