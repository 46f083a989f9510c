/**
 * Expanding a path pattern against the file system, as Python's `glob.glob(pattern,
 * recursive=True)` does, with the segment wildcards of `glob-pattern.ts` plus `**`. The calls
 * are synchronous: a walk makes one call per directory and per name it cannot type from its
 * listing, and awaiting each in turn cost more than the calls themselves.
 *
 * @module
 */
import type { Dirent } from 'node:fs';
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join, parse } from 'node:path';
import { compileSegment, hasWildcards } from './glob-pattern.js';

/**
 * The non-directory paths matching the absolute `pattern`, unsorted, possibly repeated
 * (`/a/**` followed by another `**` can reach a file twice; callers de-duplicate).
 *
 * - A segment `**` matches zero or more directories. It does not enter hidden directories; a
 *   trailing `**` means `**` + `*` (every file below).
 * - Symbolic links to directories are never entered, by `*`, `**` or a literal name after
 *   a wildcard (spec/files.md#discovery): another user's link in a shared directory cannot
 *   lead the walk elsewhere, and a link cycle cannot make it loop. Only the directories
 *   before the first wildcard, which the caller named, are taken as they resolve.
 * - Only entries that are not directories (nor links to them) are returned: the callers want
 *   stats files, and a directory can never be one.
 * - Unreadable or vanished directories are skipped, as `glob.glob` skips them.
 *
 * @param pattern - an absolute path with wildcards, e.g. `/tmp/stats/*.mmstats` or
 *   `/srv/app/**` (every file below `/srv/app`)
 */
export function expandGlob(pattern: string): string[] {
  const { root } = parse(pattern);
  const segments = pattern.slice(root.length).split(/[\\/]/).filter((s) => s !== '' && s !== '.');
  if (segments.at(-1) === '**') segments.push('*');
  const found: string[] = [];
  walk(root, segments, 0, found, true);
  return found;
}

/**
 * The `*.mmstats` entries of `dir` that are not directories (not recursive; hidden names
 * skipped, as `glob.glob(dir + '/*.mmstats')` does). The directory's own name is taken
 * literally, even if it has wildcard characters.
 */
export function listStatsFiles(dir: string): string[] {
  const matches = compileSegment('*.mmstats');
  const found: string[] = [];
  for (const entry of entriesOf(dir)) {
    if (matches(entry.name) && !(isDirectory(dir, entry))) found.push(join(dir, entry.name));
  }
  return found;
}

/**
 * @param named - `true` while every segment so far was literal: the caller named `dir`, so a
 *   link there is followed; below a wildcard, a directory is entered only if `lstat` says it is
 *   one (Dirent types are `lstat`'s too).
 */
function walk(dir: string, segments: readonly string[], index: number, found: string[], named: boolean): void {
  const segment = segments[index];
  if (segment === undefined) return;
  const last = index === segments.length - 1;

  if (segment === '**') {
    walk(dir, segments, index + 1, found, false);
    for (const entry of entriesOf(dir)) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) walk(join(dir, entry.name), segments, index, found, false);
    }
    return;
  }

  if (!hasWildcards(segment)) {
    // A literal segment needs no directory listing: just try the path.
    const path = join(dir, segment);
    if (last) {
      if ((kindOf(path)) === 'other') found.push(path);
    } else if (named || (isRealDirectory(path))) {
      walk(path, segments, index + 1, found, named);
    }
    return;
  }

  const matches = compileSegment(segment);
  for (const entry of entriesOf(dir)) {
    if (!matches(entry.name)) continue;
    const path = join(dir, entry.name);
    if (!last) {
      if (entry.isDirectory()) walk(path, segments, index + 1, found, false);
    } else if (!(isDirectory(dir, entry))) {
      found.push(path);
    }
  }
}

function entriesOf(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Whether an entry is a directory, following a symbolic link (a link to a file is a file). */
function isDirectory(dir: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  return (kindOf(join(dir, entry.name))) === 'directory';
}

function isRealDirectory(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function kindOf(path: string): 'missing' | 'directory' | 'other' {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats === undefined ? 'missing' : stats.isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}
