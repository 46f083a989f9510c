/**
 * `mmstats clean [PATH|DIR|GLOB...]`: remove the stats files whose writer is gone, as the
 * Python `cleanstats` does, without its blind spots: a pid reused by a newer process, a
 * zombie writer, links, and files that are not stats files. Reads v1 (`sys.pid`,
 * `sys.created`) and v2 (header `pid`, `process_start`) files, and also removes the hidden
 * temporary files of v2 writers that died before renaming them into place.
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import { basename, delimiter, dirname, join, parse, relative, resolve, sep } from 'node:path';
import { defaultStatsDirectories, findStatsFiles, hasWildcards, observer, segmentMatcher } from '@mmstats/reader';
import { judgeStatsFile } from '../clean/judge-stats-file.js';
import { anchorAt, RemovalRefused, removePinned, type Anchor } from '../clean/remove-pinned.js';
import { exitQuietlyOnClosedStdout, warn, writeOut } from '../stdout.js';
import { terminalText } from '../terminal-text.js';

/** Options of `mmstats clean`. */
export interface CleanOptions {
  /** Files, directories and globs; empty means the defaults (MMSTATS_GLOB, else MMSTATS_PATH, else this user's default stats directories: spec/files.md#discovery). */
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

/**
 * Runs `clean`: judges every file (see `judgeStatsFile`, spec/files.md#removal), removes
 * those whose writer is gone, prints a line per file removed (or kept for a reason worth
 * knowing; with `dryRun` or `verbose`, every file and its reason), then the summary
 * `Removed N - M alive` (M: files kept because their writer is or may be alive).
 *
 * Globs never enter symbolic links to directories, and a file is unlinked only if it is still
 * the file judged, reached from the directory the target named through real directories
 * (`removePinned`; this changes the working directory for the moment of each removal).
 *
 * @returns the exit code: 0, or 1 when a file could not be read or removed, or explicit
 *   targets matched nothing
 */
export async function clean(options: CleanOptions): Promise<number> {
  exitQuietlyOnClosedStdout();
  const targets = await cleanTargets(options.targets);
  // Pinned before anything is listed: a directory swapped for a link later is not followed.
  const anchors = [...new Set(targets.map(anchorPathOf))].flatMap((path) => anchorAt(path) ?? []);
  const paths = await findStatsFiles(options.targets);
  const temporary = await findTemporaryFiles(options.targets);
  if (paths.length === 0 && temporary.length === 0 && options.targets.length > 0) {
    warn(`no stats files found in ${options.targets.join(' ')}`);
    return 1;
  }
  const dry = options.dryRun === true;
  const seen = observer();
  let removed = 0;
  let alive = 0;
  let failed = 0;
  const judged = [...paths.map((path) => ({ path, temp: false })), ...temporary.map((path) => ({ path, temp: true }))];
  for (const { path, temp } of judged) {
    const verdict = judgeStatsFile(path, { temporary: temp, seen });
    if (verdict.action === 'skip') {
      failed++;
      warn(`${verdict.error.message}; left alone`);
      continue;
    }
    const { judgement } = verdict;
    const tempNote = temp ? ' (a temporary file never renamed into place)' : '';
    if (verdict.action === 'keep') {
      if (judgement.reason === 'no-pid') {
        warn(`${path}: ${temp ? 'is a temporary file with no pid in its header yet, so nothing tells whether its writer runs' : judgement.because}; kept`);
        continue;
      }
      alive++;
      if (judgement.reason !== 'running' || options.verbose || dry) await writeOut(`${dry ? 'would keep' : 'kept'} ${terminalText(path)}: ${judgement.because}\n`);
      continue;
    }
    if (dry) {
      removed++;
      await writeOut(`would remove ${terminalText(path)}: ${judgement.because}${tempNote}\n`);
      continue;
    }
    const anchor = longestAnchor(anchors, path);
    try {
      if (anchor === undefined) throw new RemovalRefused('is below no directory the clean started in');
      removePinned(path, verdict.identity, anchor);
      removed++;
      await writeOut(`removed ${terminalText(path)}: ${judgement.because}${tempNote}\n`);
    } catch (error) {
      failed++;
      if (error instanceof RemovalRefused) warn(`${path}: ${error.message}; left alone`);
      else warn(`${path}: could not remove (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
  const gap = options.pythonSummary ? '  -  ' : ' - ';
  await writeOut(`${dry ? 'Would remove' : 'Removed'} ${removed}${gap}${alive} alive\n`);
  return failed > 0 ? 1 : 0;
}

/** What `clean` looks in: each target as a directory or a path pattern; with none, `MMSTATS_GLOB`, `MMSTATS_PATH` or this user's default stats directories. */
interface CleanTarget {
  /** Absolute. */
  readonly path: string;
  /** `true` when it names a directory (which stands for its `*.mmstats`). */
  readonly directory: boolean;
}

async function cleanTargets(targets: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<CleanTarget[]> {
  const named = targets.length > 0 ? targets : env['MMSTATS_GLOB'] ? env['MMSTATS_GLOB'].split(delimiter).filter((p) => p !== '') : undefined;
  if (named === undefined && env['MMSTATS_PATH']) return [{ path: resolve(env['MMSTATS_PATH']), directory: true }];
  // findStatsFiles reports the default directories it skipped; here they are only left out.
  if (named === undefined) return (await defaultStatsDirectories(undefined, () => {})).map((dir) => ({ path: dir, directory: true }));
  return Promise.all(named.map(async (target) => ({ path: resolve(target), directory: await isDirectory(target) })));
}

/** The directory a target names: itself, or the directories before its first wildcard. */
function anchorPathOf(target: CleanTarget): string {
  if (target.directory) return target.path;
  const { root } = parse(target.path);
  const segments = target.path.slice(root.length).split(sep).slice(0, -1);
  const wild = segments.findIndex(hasWildcards);
  return join(root, ...(wild === -1 ? segments : segments.slice(0, wild)));
}

function longestAnchor(anchors: readonly Anchor[], path: string): Anchor | undefined {
  const under = anchors.filter((a) => !relative(a.path, dirname(path)).startsWith('..'));
  return under.sort((a, b) => b.path.length - a.path.length)[0];
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
  const patterns = (await cleanTargets(targets, env)).map(({ path, directory }) => (directory ? { dir: path, name: '*.mmstats' } : { dir: dirname(path), name: basename(path) }));
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
