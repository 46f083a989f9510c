/**
 * Expanding a path pattern against the file system, as Python's `glob.glob(pattern,
 * recursive=True)` does, with the segment wildcards of `glob-pattern.ts` plus `**`.
 *
 * @module
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, parse } from 'node:path';
import { compileSegment, hasWildcards } from './glob-pattern.js';

/**
 * The non-directory paths matching the absolute `pattern`, unsorted, possibly repeated
 * (`/a/**` followed by another `**` can reach a file twice; callers de-duplicate).
 *
 * - A segment `**` matches zero or more directories. It does not enter hidden directories,
 *   nor follow symbolic links to directories, so a link cycle cannot make it loop; a trailing
 *   `**` means `**` + `*` (every file below).
 * - Only entries that are not directories are returned: the callers want stats files, and a
 *   directory can never be one.
 * - Unreadable or vanished directories are skipped, as `glob.glob` skips them.
 *
 * @param pattern - an absolute path with wildcards, e.g. `/tmp/stats/*.mmstats` or
 *   `/srv/app/**` (every file below `/srv/app`)
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  const { root } = parse(pattern);
  const segments = pattern.slice(root.length).split(/[\\/]/).filter((s) => s !== '' && s !== '.');
  if (segments.at(-1) === '**') segments.push('*');
  const found: string[] = [];
  await walk(root, segments, 0, found);
  return found;
}

/**
 * The `*.mmstats` entries of `dir` that are not directories (not recursive; hidden names
 * skipped, as `glob.glob(dir + '/*.mmstats')` does). The directory's own name is taken
 * literally, even if it has wildcard characters.
 */
export async function listStatsFiles(dir: string): Promise<string[]> {
  const matches = compileSegment('*.mmstats');
  const found: string[] = [];
  for (const entry of await entriesOf(dir)) {
    if (matches(entry.name) && !(await isDirectory(dir, entry))) found.push(join(dir, entry.name));
  }
  return found;
}

async function walk(dir: string, segments: readonly string[], index: number, found: string[]): Promise<void> {
  const segment = segments[index];
  if (segment === undefined) return;
  const last = index === segments.length - 1;

  if (segment === '**') {
    await walk(dir, segments, index + 1, found);
    for (const entry of await entriesOf(dir)) {
      // Dirent.isDirectory() is false for a symlink: `**` never follows one, so cannot loop.
      if (entry.isDirectory() && !entry.name.startsWith('.')) await walk(join(dir, entry.name), segments, index, found);
    }
    return;
  }

  if (!hasWildcards(segment)) {
    // A literal segment needs no directory listing: just try the path.
    const path = join(dir, segment);
    if (!last) await walk(path, segments, index + 1, found);
    else if ((await kindOf(path)) === 'other') found.push(path);
    return;
  }

  const matches = compileSegment(segment);
  for (const entry of await entriesOf(dir)) {
    if (!matches(entry.name)) continue;
    const path = join(dir, entry.name);
    const directory = await isDirectory(dir, entry);
    if (last && !directory) found.push(path);
    else if (!last && directory) await walk(path, segments, index + 1, found);
  }
}

async function entriesOf(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Whether an entry is a directory, following a symbolic link (a link to a file is a file). */
async function isDirectory(dir: string, entry: Dirent): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  return (await kindOf(join(dir, entry.name))) === 'directory';
}

async function kindOf(path: string): Promise<'missing' | 'directory' | 'other'> {
  try {
    return (await stat(path)).isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}
