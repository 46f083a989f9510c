/**
 * Removing exactly the file that was judged, in exactly the directory that was walked, without
 * `openat`/`unlinkat` (which Node lacks): the process's working directory is the pin
 * (spec/files.md#removal).
 *
 * @module
 */
import { lstatSync, statSync, unlinkSync, type BigIntStats } from 'node:fs';
import { basename, dirname, relative, sep } from 'node:path';

/** A file or directory by device and inode. */
export interface Identity {
  /** `st_dev`. */
  readonly dev: bigint;
  /** `st_ino`. */
  readonly ino: bigint;
}

/**
 * A directory a clean starts from (the part of a target before its first wildcard, or the
 * directory named), taken as it was when the clean started: the user named it, so a link in
 * it is followed, once.
 */
export interface Anchor {
  /** Its absolute path. */
  readonly path: string;
  /** What `stat` (following links) gave when the clean started. */
  readonly identity: Identity;
}

/** `stat(path)` now, or `undefined` when it is not a directory. */
export function anchorAt(path: string): Anchor | undefined {
  try {
    const stats = statSync(path, { bigint: true });
    return stats.isDirectory() ? { path, identity: { dev: stats.dev, ino: stats.ino } } : undefined;
  } catch {
    return undefined;
  }
}

/** Why a removal was refused. */
export class RemovalRefused extends Error {}

/**
 * Runs `action` with the process's working directory pinned to `dir`, reached from `anchor`
 * through real directories only, so that names relative to `.` inside `action` are in `dir`
 * whatever is renamed elsewhere meanwhile:
 *
 * 1. `chdir(anchor)`, then `stat('.')` must still be the anchor's identity;
 * 2. for each directory below it: `lstat(name)` must be a directory, not a link; `chdir(name)`;
 *    `stat('.')` must be what `lstat` saw (a link swapped in between is caught here).
 *
 * The working directory is restored afterwards.
 *
 * @throws {@link RemovalRefused} saying which check failed; whatever `action` throws
 */
export function inPinnedDirectory<T>(dir: string, anchor: Anchor, action: () => T): T {
  const below = relative(anchor.path, dir);
  if (below.startsWith('..')) throw new RemovalRefused(`is not below ${anchor.path}`);
  const home = currentDirectory();
  try {
    process.chdir(anchor.path);
    if (!same(statSync('.', { bigint: true }), anchor.identity)) throw new RemovalRefused(`${anchor.path} is no longer the directory the clean started in`);
    for (const name of below === '' ? [] : below.split(sep)) {
      const seen = lstatOrUndefined(name);
      if (seen === undefined || seen.isSymbolicLink() || !seen.isDirectory()) throw new RemovalRefused(`${name} on its path is no longer a directory (or is now a link)`);
      process.chdir(name);
      if (!same(statSync('.', { bigint: true }), seen)) throw new RemovalRefused(`${name} on its path was replaced while being entered`);
    }
    return action();
  } finally {
    restore(home);
  }
}

/**
 * Unlinks `path` only if it is still the file `file` names, in its directory pinned by
 * {@link inPinnedDirectory}: `lstat(base)` must be a regular file with `file`'s device and
 * inode; then `unlink(base)`, relative to the pinned working directory, which no rename
 * elsewhere can move.
 *
 * What is left: between the `lstat` and the unlink, a process that may rename within that one
 * directory can put another file under `base`.
 *
 * @throws {@link RemovalRefused} saying which check failed; the system error of `unlink`
 */
export function removePinned(path: string, file: Identity, anchor: Anchor): void {
  inPinnedDirectory(dirname(path), anchor, () => {
    const base = basename(path);
    const now = lstatOrUndefined(base);
    if (now === undefined || !now.isFile() || !same(now, file)) throw new RemovalRefused('changed since it was read');
    unlinkSync(base); // unlink never follows a link: it removes the name itself
  });
}

function same(stats: BigIntStats, identity: Identity): boolean {
  return stats.dev === identity.dev && stats.ino === identity.ino;
}

function lstatOrUndefined(name: string): BigIntStats | undefined {
  try {
    return lstatSync(name, { bigint: true });
  } catch {
    return undefined;
  }
}

/** Back to where we were; every path clean uses is absolute, so a vanished one is no harm. */
function restore(home: string | undefined): void {
  try {
    if (home !== undefined) process.chdir(home);
  } catch {
    // The old working directory is gone: stay pinned where we are.
  }
}

function currentDirectory(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}
