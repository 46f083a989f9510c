/**
 * Creating, mapping, flushing and removing the stats file (spec/files.md).
 *
 * Creation never follows a symbolic link and never takes over another user's file:
 * `O_CREAT | O_EXCL | O_NOFOLLOW` for a new file; an existing one is reopened with
 * `O_NOFOLLOW` and kept only if `fstat` says it is a plain file with one link, owned by us.
 * The file is filled with real zero bytes rather than `ftruncate`d, and every `write` count is
 * checked: a page of the mapping that no written byte backs (a sparse file, or the tail of a
 * short write on a nearly full disk) turns the first store into it into SIGBUS, which kills
 * the host application; a failed fill is reported at open (`NO_SPACE`), where the writer can
 * still degrade, and the partial file is removed (spec/files.md#no-space).
 *
 * v2 files are made under a temporary name in the target directory and renamed into place
 * once complete (spec/format-v2.md#lifecycle), so the final name only ever shows a whole file.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, ftruncateSync, lstatSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MmstatsError, statsBytes, statsBytesV2, type StatsBytes, type V2StatsBytes } from '@mmstats/format';
import { fromSystemError } from './errors.js';
import { mmap } from './mmap.js';
import { isLiveThread } from './thread-id.js';

/** Bytes per page: the file size is a whole number of pages, at least one, as in Python. */
export const PAGE_SIZE: number = mmap.PAGESIZE;

/** The file size for `used` bytes of records: rounded up to whole pages, at least one page. */
export function pageRounded(used: number): number {
  return Math.max(1, Math.ceil(used / PAGE_SIZE)) * PAGE_SIZE;
}

/** How to create the file. */
export interface CreateOptions {
  /** Permission bits for a new file (the process umask still applies). */
  readonly mode: number;
}

/** A stats file mapped into memory. */
export interface MappedFile {
  readonly target: StatsBytes;
  /** The mapping itself, for msync. */
  readonly buffer: Buffer;
  /** Device and inode, to make sure `remove()` unlinks our file and not one put in its place. */
  readonly dev: number;
  readonly ino: number;
}

// Paths this thread has open: a second writer on the same file would break the
// one-writer rule of the double buffers, so it is refused rather than allowed to clobber.
const openPaths = new Set<string>();

function refuseInUse(path: string): void {
  if (openPaths.has(path)) {
    throw new MmstatsError('FILE_IN_USE', 'this process already writes stats to this file; give each opened model its own file name', { path });
  }
}

/** Forgets that this thread writes `path` (after `close()`: the file stays, another writer may replace it). */
export function releasePath(path: string): void {
  openPaths.delete(path);
}

/**
 * Creates (or safely reuses) the file at `path`, `size` bytes of zeros, and maps it shared.
 *
 * @throws MmstatsError naming `path`: DIRECTORY_NOT_FOUND, ACCESS_DENIED, SYMLINK_REFUSED,
 *   NOT_OWNER, NOT_REGULAR_FILE, FILE_IN_USE, NO_SPACE or CREATE_FAILED; on NO_SPACE and
 *   CREATE_FAILED the partial file is removed
 */
export function createMappedFile(path: string, size: number, options: CreateOptions): MappedFile {
  refuseInUse(path);
  const fd = openSafely(path, options.mode);
  try {
    const { buffer, dev, ino } = fillAndMap(fd, path, size);
    openPaths.add(path);
    return { target: statsBytes(buffer), buffer, dev, ino };
  } catch (error) {
    // A half-filled file is no stats file (byte 0 is still 0): it is ours (same inode), remove
    // it. Best effort: a failure here must not replace the error the caller can degrade on.
    try {
      unlinkMapped(fstatSync(fd), path, false);
    } catch {
      // Left for `mmstats clean`: it is a plain file of this user, no stats file.
    }
    throw error;
  } finally {
    // The mapping outlives the descriptor: no file descriptor is held per opened model.
    closeSync(fd);
  }
}

/** Writes `size` zero bytes over whatever `fd` held and maps it shared. */
function fillAndMap(fd: number, path: string, size: number): { buffer: Buffer; dev: number; ino: number } {
  const stat = fstatSync(fd);
  try {
    // Cut any old content first, then write real zeros (see the module comment).
    if (stat.size > 0) ftruncateSync(fd, 0);
  } catch (error) {
    throw fromSystemError(error, path, 'empty the existing stats file');
  }
  writeZeros(fd, path, size);
  try {
    const buffer = mmap.map(size, (mmap.PROT_READ | mmap.PROT_WRITE) as 3, mmap.MAP_SHARED, fd, 0);
    return { buffer, dev: stat.dev, ino: stat.ino };
  } catch (error) {
    throw new MmstatsError('CREATE_FAILED', `cannot map the stats file (${String(error)})`, { path, cause: error });
  }
}

/**
 * Writes `size` zero bytes from offset 0, so that every page a mapping of `size` bytes covers
 * is backed by the file system. A short count (libuv returns one on ENOSPC: 32768 of 65536)
 * is followed by a write of the rest, which then reports the error; a write that makes no
 * progress counts as no space too.
 *
 * @throws MmstatsError NO_SPACE saying how many of the bytes were written, or another error of
 *   a failed `write` (see {@link fromSystemError})
 */
function writeZeros(fd: number, path: string, size: number): void {
  const zeros = new Uint8Array(Math.min(size, 1 << 20));
  let at = 0;
  while (at < size) {
    let written: number;
    try {
      written = writeSync(fd, zeros, 0, Math.min(zeros.length, size - at), at);
    } catch (error) {
      throw fromSystemError(error, path, `fill the stats file (${at} of ${size} bytes written)`);
    }
    if (written <= 0) throw new MmstatsError('NO_SPACE', `cannot fill the stats file (${at} of ${size} bytes written): a write made no progress`, { path });
    at += written;
  }
}

/** A v2 stats file being made under a temporary name, mapped (spec/format-v2.md#lifecycle). */
export interface MappedV2File {
  /** The mapping's typed views. */
  readonly target: V2StatsBytes;
  /** The mapping itself, for msync. */
  readonly buffer: Buffer;
  /** Device and inode: kept by the rename, so `remove()` can tell our file from one put in its place. */
  readonly dev: number;
  readonly ino: number;
  /** The temporary name (in the target's directory) until {@link commitV2File} renames it. */
  readonly tempPath: string;
}

/**
 * Creates a v2 file of `size` zero bytes under a new temporary name next to `path`
 * (`O_CREAT | O_EXCL | O_NOFOLLOW`, hidden and without the `.mmstats` suffix, so no reader
 * lists it) and maps it shared. What is at `path` is checked first, so a file that could
 * never be put in place is not made: see {@link checkV2Target}.
 *
 * @throws MmstatsError naming `path`: FILE_IN_USE, SYMLINK_REFUSED, NOT_OWNER,
 *   NOT_REGULAR_FILE, DIRECTORY_NOT_FOUND, ACCESS_DENIED, NO_SPACE or CREATE_FAILED; the
 *   temporary file is removed
 */
export function createV2TempFile(path: string, size: number, options: CreateOptions): MappedV2File {
  refuseInUse(path);
  checkV2Target(path);
  const { O_RDWR, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;
  let fd: number | undefined;
  let tempPath = '';
  for (let attempt = 0; fd === undefined; attempt++) {
    tempPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      fd = openSync(tempPath, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, options.mode);
    } catch (error) {
      // A name taken by chance (or by someone else): try another; anything else is an error.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 8) throw fromSystemError(error, path, 'create the stats file');
    }
  }
  try {
    const { buffer, dev, ino } = fillAndMap(fd, path, size);
    openPaths.add(path);
    return { target: statsBytesV2(buffer), buffer, dev, ino, tempPath };
  } catch (error) {
    unlinkQuietly(tempPath);
    throw error;
  } finally {
    closeSync(fd);
  }
}

/**
 * What may be replaced at `path` (spec/files.md#creation): nothing, or a regular file with one
 * link that this user owns (a stale file of a dead writer). A symbolic link is never replaced
 * (nor followed), another user's file never, nor anything else.
 *
 * @throws MmstatsError naming `path`: SYMLINK_REFUSED, NOT_OWNER, NOT_REGULAR_FILE, or the
 *   errors of a failed `lstat` (DIRECTORY_NOT_FOUND, ACCESS_DENIED...)
 */
function checkV2Target(path: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw fromSystemError(error, path, 'check the stats file path');
  }
  if (stat.isSymbolicLink()) throw new MmstatsError('SYMLINK_REFUSED', 'a symbolic link is at the stats file path; it is never replaced nor followed', { path });
  checkReusable(stat, path);
}

/**
 * Puts a complete v2 file in place (spec/format-v2.md#lifecycle step 4): checks `path` again
 * (something may have appeared since the temporary file was made), then renames over it.
 * On failure the temporary file is removed.
 *
 * @throws MmstatsError naming `path`, as {@link checkV2Target}, or CREATE_FAILED when the rename fails
 */
export function commitV2File(file: MappedV2File, path: string): void {
  try {
    checkV2Target(path);
    try {
      renameSync(file.tempPath, path);
    } catch (error) {
      throw fromSystemError(error, path, 'rename the new stats file into place');
    }
  } catch (error) {
    discardV2File(file, path);
    throw error;
  }
}

/** Removes a temporary v2 file that will not be put in place, and forgets `path`. */
function discardV2File(file: MappedV2File, path: string): void {
  openPaths.delete(path);
  unlinkQuietly(file.tempPath);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: fine.
  }
}

function openSafely(path: string, mode: number): number {
  const { O_RDWR, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;
  // Two tries: the file may vanish between a failed exclusive create and the reopen.
  for (let attempt = 0; ; attempt++) {
    try {
      return openSync(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fromSystemError(error, path, 'create the stats file');
    }
    let fd: number;
    try {
      fd = openSync(path, O_RDWR | O_NOFOLLOW);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && attempt === 0) continue;
      throw fromSystemError(error, path, 'reopen the existing stats file');
    }
    try {
      checkReusable(fstatSync(fd), path);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return fd;
  }
}

/** An existing file is only taken over when it is a plain file with one link that we own. */
function checkReusable(stat: { isFile(): boolean; nlink: number; uid: number }, path: string): void {
  if (!stat.isFile()) throw new MmstatsError('NOT_REGULAR_FILE', 'something other than a regular file is at the stats file path', { path });
  if (stat.nlink !== 1) throw new MmstatsError('NOT_REGULAR_FILE', `the existing file has ${stat.nlink} links; refusing to overwrite a file linked elsewhere`, { path });
  const uid = process.geteuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new MmstatsError('NOT_OWNER', `the existing file belongs to uid ${stat.uid}, not to this process (uid ${uid})`, { path });
  }
}

/** Flushes the mapping to disk: `msync(MS_SYNC)` when `blocking`, else `MS_ASYNC`. */
export function flushMapped(file: { readonly buffer: Buffer }, path: string, blocking: boolean): void {
  try {
    mmap.sync(file.buffer, 0, file.buffer.length, blocking);
  } catch (error) {
    throw new MmstatsError('FLUSH_FAILED', `msync failed (${String(error)})`, { path, cause: error });
  }
}

/**
 * Unlinks the stats file if the path still holds our file (same device and inode). Missing
 * files are fine: removal is idempotent. `release: false` when this thread no longer claims
 * the path (a closed v2 file: another writer of this thread may have it now).
 */
export function unlinkMapped(file: { readonly dev: number; readonly ino: number }, path: string, release = true): void {
  if (release) openPaths.delete(path);
  try {
    const stat = lstatSync(path);
    if (stat.dev === file.dev && stat.ino === file.ino) unlinkSync(path);
  } catch {
    // Already gone, or its directory is: nothing left to remove.
  }
}

/**
 * Removes this process's leftover per-thread files next to `path`: names the `matcher`
 * recognises (same template, same pid, another tid) whose thread is no longer alive, that are
 * plain files owned by us. Python removes them all; checking `/proc/self/task` means a
 * worker's `remove()` never deletes the file of a worker that is still running.
 *
 * @returns the paths removed
 */
export function removeLeftovers(path: string, matcher: (name: string) => number | undefined, ownTid: number): string[] {
  const dir = dirname(path);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  const uid = process.geteuid?.();
  for (const name of names) {
    const tid = matcher(name);
    if (tid === undefined || tid === ownTid) continue;
    const other = join(dir, name);
    if (openPaths.has(other) || isLiveThread(tid) === true) continue;
    try {
      const stat = lstatSync(other);
      if (!stat.isFile() || (uid !== undefined && stat.uid !== uid)) continue;
      unlinkSync(other);
      removed.push(other);
    } catch {
      // Raced with another cleaner: fine.
    }
  }
  return removed;
}
