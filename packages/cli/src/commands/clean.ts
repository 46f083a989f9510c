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
import { lstatSync } from 'node:fs';
import { MmstatsError } from '@mmstats/format';
import { anchorAt, archiveGenerations, defaultStatsDirectories, findStatsFiles, foldIntoArchive, hasWildcards, inPinnedDirectory, judgeStatsFile, observer, RemovalRefused, removePinned, segmentMatcher, type Anchor, type DeadFile, type Identity, type Verdict } from '@mmstats/reader';
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
  // A file named as a target that does not exist is reported; a file a directory or glob
  // found, removed by another cleaner before this one reads it, is not.
  const named = new Set(targets.filter((target) => !target.directory && !hasWildcards(target.path)).map((target) => target.path));
  if (paths.length === 0 && temporary.length === 0 && options.targets.length > 0) {
    warn(`no stats files found in ${options.targets.join(' ')}`);
    return 1;
  }
  const dry = options.dryRun === true;
  const seen = observer();
  let removed = 0;
  let alive = 0;
  let failed = 0;
  const judged = [...paths.map((path) => ({ path, temp: false })), ...temporary.map((path) => ({ path, temp: true }))].map((file) => ({ ...file, verdict: judgeStatsFile(file.path, { temporary: file.temp, seen }) }));
  // Dead v2 writers' counts go into their service's archive before their files go (spec/files.md#folding).
  const folds = dry ? new Map<string, Fold>() : foldDead(judged, anchors);
  for (const { path, temp, verdict } of judged) {
    if (verdict.action === 'skip') {
      // Found, then gone before it was read: another cleaner (or its writer) removed it.
      if (verdict.error.errorName === 'NOT_FOUND' && !named.has(path)) continue;
      failed++;
      warn(`${verdict.error.message}; left alone`);
      continue;
    }
    const { judgement } = verdict;
    if (verdict.archive && !temp) {
      if (options.verbose || dry) await writeOut(`${dry ? 'would keep' : 'kept'} ${terminalText(path)}: the archive of what dead writers counted\n`);
      continue;
    }
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
    const foldable = !temp && verdict.version === 2;
    if (dry) {
      removed++;
      await writeOut(`would remove ${terminalText(path)}: ${judgement.because}${tempNote}${foldable ? ', its counts folded into the archive first' : ''}\n`);
      continue;
    }
    const found = foldable ? folds.get(path) : undefined;
    if (foldable && (found === undefined || 'error' in found)) {
      failed++;
      warn(`${path}: ${judgement.because}, but kept: its counts could not be archived (${found === undefined ? 'not a readable v2 file' : found.error.message})`);
      continue;
    }
    const fold = found as Exclude<Fold, { error: MmstatsError }> | undefined;
    const anchor = longestAnchor(anchors, path);
    try {
      if (anchor === undefined) throw new RemovalRefused('is below no directory the clean started in');
      removePinned(path, verdict.identity, anchor);
      removed++;
      const archived = fold === undefined ? '' : ` (counts in ${terminalText(basename(fold.archive))})`;
      await writeOut(`removed ${terminalText(path)}: ${judgement.because}${tempNote}${archived}\n`);
    } catch (error) {
      if (isGone(error, path)) continue; // another cleaner removed it first, after folding it
      failed++;
      if (error instanceof RemovalRefused) warn(`${path}: ${error.message}; left alone`);
      else warn(`${path}: could not remove (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
  // Step 6's end: every archive generation below its service's newest (readers use only the newest).
  for (const path of supersededArchives(judged)) {
    const anchor = longestAnchor(anchors, path);
    const identity = identityOf(path);
    if (anchor === undefined || identity === undefined) continue;
    try {
      removePinned(path, identity, anchor);
    } catch (error) {
      if (!isGone(error, path)) warn(`${path}: superseded archive not removed (${error instanceof Error ? error.message : String(error)})`);
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

/** What folding did for one dead file: the archive holding its counts, or why not. */
type Fold = { readonly archive: string } | { readonly error: MmstatsError };

/** The archives below the newest generation of their service and directory, listed now (so generations made by this clean count). */
function supersededArchives(judged: readonly { path: string; verdict: Verdict }[]): string[] {
  const groups = new Map<string, { dir: string; service: string | undefined }>();
  for (const { path, verdict } of judged) {
    if (verdict.action === 'skip' || verdict.version !== 2) continue;
    groups.set(JSON.stringify([dirname(path), verdict.service ?? null]), { dir: dirname(path), service: verdict.service });
  }
  return [...groups.values()].flatMap(({ dir, service }) => archiveGenerations(dir, service).slice(0, -1).map((g) => g.path));
}

/**
 * Folds the dead v2 writers among `judged` into their services' archives, one new generation
 * per service and directory (spec/files.md#folding), and says per file where its counts went.
 * Records that could not be folded are reported; a fold that fails keeps its files.
 */
function foldDead(judged: readonly { path: string; temp: boolean; verdict: Verdict }[], anchors: readonly Anchor[]): Map<string, Fold> {
  const groups = new Map<string, { dir: string; service: string | undefined; dead: DeadFile[] }>();
  for (const { path, temp, verdict } of judged) {
    if (temp || verdict.action !== 'remove' || verdict.version !== 2 || verdict.archive) continue;
    const key = JSON.stringify([dirname(path), verdict.service ?? null]);
    const group = groups.get(key) ?? { dir: dirname(path), service: verdict.service, dead: [] };
    group.dead.push({ path, bytes: verdict.bytes });
    groups.set(key, group);
  }
  const folds = new Map<string, Fold>();
  for (const { dir, service, dead } of groups.values()) {
    try {
      const anchor = longestAnchor(anchors, join(dir, 'x'));
      if (anchor === undefined) throw new MmstatsError('ACCESS_DENIED', 'is below no directory the clean started in', { path: dir });
      // Written and linked inside the pinned directory, as removals are: a directory swapped for a link meanwhile is refused.
      const outcome = inPinnedDirectory(dir, anchor, () => foldIntoArchive('.', service, dead));
      const here = (name: string): string => join(dir, basename(name));
      for (const { path, label, why } of outcome.dropped) warn(`${path}: record ${JSON.stringify(label)} not archived: ${why}`);
      for (const { path, error } of [...outcome.unreadable, ...outcome.conflicting]) folds.set(path, { error });
      for (const path of outcome.folded) folds.set(path, { archive: here(outcome.archive!.path) });
    } catch (error) {
      const coded = error instanceof MmstatsError ? error : new MmstatsError('CREATE_FAILED', error instanceof Error ? error.message : String(error), { path: dir });
      for (const { path } of dead) folds.set(path, { error: coded });
    }
  }
  return folds;
}

/** A removal that failed because the file is gone already: another cleaner folded and removed it too. */
function isGone(error: unknown, path: string): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT' || (error instanceof RemovalRefused && lstatSync(path, { throwIfNoEntry: false }) === undefined);
}

function identityOf(path: string): Identity | undefined {
  try {
    const stats = lstatSync(path, { bigint: true });
    return stats.isFile() ? { dev: stats.dev, ino: stats.ino } : undefined;
  } catch {
    return undefined;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
