/**
 * Getting at the bytes of a stats file, only ever through positioned reads (`pread`): refuse
 * anything that is not a regular file, open it, `fstat` it once, read, close. No mapping, so a
 * file that shrinks under the reader gives a short read (a coded error), never `SIGBUS`. Live
 * views keep at most {@link MAX_KEPT_DESCRIPTORS} descriptors open between reads, for the
 * files read most recently, so that watching many files does not use up the descriptor limit
 * (spec/errors.md#partial-answers) while watching a few costs two system calls a read.
 *
 * @module
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type BigIntStats, type Stats } from 'node:fs';
import { MmstatsError } from '@mmstats/format';
import { fileError, notAFile } from './file-errors.js';

/** A stats file open for one read: the descriptor and its `fstat`. */
export interface OpenedStatsFile {
  /** The path as given, for errors. */
  readonly path: string;
  /** The open descriptor (read-only), closed by {@link withStatsFile} when the read is done. */
  readonly fd: number;
  /**
   * `fstat` of the descriptor: `dev`, `ino` and `size` name the file. As bigints, because inode
   * numbers can exceed 2^53.
   */
  readonly stats: BigIntStats;
}

/** What names a file: a file replaced under its path has another device or inode. */
export interface FileIdentity {
  readonly dev: bigint;
  readonly ino: bigint;
}

// O_NONBLOCK: if the path was swapped for a FIFO after our stat, open() must not wait for a
// writer (it would hang the reader). It changes nothing for regular files. O_NOCTTY: opening a
// terminal must not make it ours. Both are 0 where the platform lacks them.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * Opens the regular file at `path`, runs `read` on it and closes it, whatever `read` does.
 * A path that is not a regular file (directory, device, FIFO, socket) is refused from a `stat`
 * before it is opened, and again from `fstat` after, so that no device is read from.
 *
 * @throws `MmstatsError` with `path` set: `NOT_FOUND`, `NOT_A_FILE`, `TOO_MANY_OPEN_FILES`
 *   (no descriptor left), `READ_FAILED`; or whatever `read` throws, as a coded error
 */
export function withStatsFile<T>(path: string, read: (file: OpenedStatsFile) => T): T {
  let file: OpenedStatsFile | undefined;
  try {
    file = openRegular(path);
    return read(file);
  } catch (error) {
    throw fileError(path, error);
  } finally {
    if (file !== undefined) closeQuietly(file.fd);
  }
}

/**
 * Opens `path` if it is a regular file (stat before, fstat after); the caller closes it. Out
 * of descriptors, the kept ones are given up and the open is tried once more.
 */
function openRegular(path: string): OpenedStatsFile {
  refuseIrregular(path, statSync(path));
  const fd = openDescriptor(path);
  try {
    const stats = fstatSync(fd, { bigint: true });
    refuseIrregular(path, stats);
    return { path, fd, stats };
  } catch (error) {
    closeQuietly(fd);
    throw error;
  }
}

/**
 * How many descriptors live views keep open between reads, in all (the files read most
 * recently; the others are opened for each read).
 */
export const MAX_KEPT_DESCRIPTORS = 16;

/** Kept descriptors by path, least recently used first. */
const kept = new Map<string, OpenedStatsFile>();

/**
 * Runs `read` on the file at `path` if it is still the file `identity` names, through a kept
 * descriptor when there is one (checked with one `stat` of the path), else opened as by
 * {@link withStatsFile} and then kept. Out of descriptors, the kept ones are closed and the
 * open tried once more.
 *
 * @throws `MmstatsError` with `path` set: `FILE_CHANGED` when the path names another file
 *   now, the errors of {@link withStatsFile}, or whatever `read` throws, as a coded error
 */
export function withKeptStatsFile<T>(path: string, identity: FileIdentity, read: (file: OpenedStatsFile) => T): T {
  let file = kept.get(path);
  if (file !== undefined && !isSameFile(file, identity)) {
    forgetKept(path);
    file = undefined;
  }
  try {
    if (file === undefined) {
      file = openKept(path);
      if (!isSameFile(file, identity)) throw replacedError(path);
    } else {
      // Refresh its place, and check that the path still names it (stat, not the descriptor).
      kept.delete(path);
      kept.set(path, file);
      const now = statSync(path, { bigint: true });
      if (now.dev !== identity.dev || now.ino !== identity.ino) throw replacedError(path);
    }
    return read(file);
  } catch (error) {
    forgetKept(path);
    throw fileError(path, error);
  }
}

/** Closes the descriptor kept for `path`, if any. */
export function forgetKept(path: string): void {
  const file = kept.get(path);
  if (file === undefined) return;
  kept.delete(path);
  closeQuietly(file.fd);
}

function openKept(path: string): OpenedStatsFile {
  // Make room first, so a full cache never needs a descriptor beyond its own.
  if (kept.size >= MAX_KEPT_DESCRIPTORS) forgetKept(kept.keys().next().value!);
  const file = openRegular(path);
  kept.set(path, file);
  return file;
}

function openDescriptor(path: string): number {
  try {
    return openSync(path, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code !== 'EMFILE' && code !== 'ENFILE') || kept.size === 0) throw error;
    // Out of descriptors: give up kept ones, oldest first, one at a time, until the open works.
    forgetKept(kept.keys().next().value!);
    return openDescriptor(path);
  }
}

function replacedError(path: string): MmstatsError {
  return new MmstatsError('FILE_CHANGED', 'the path names another file now (replaced or recreated); reopen() it', { path });
}

/** Reads the whole of `file` (its size from `fstat`) into a fresh buffer whose views may be 8-byte aligned. */
function readWhole(file: OpenedStatsFile): Uint8Array {
  const size = Number(file.stats.size);
  const bytes = new Uint8Array(new ArrayBuffer(size));
  preadExactly(file, bytes, 0, size);
  return bytes;
}

/** Files up to this size are read by {@link readWholeShared} into its shared buffer: 1 MiB. */
const SHARED_READ_LIMIT = 1 << 20;
let sharedRead = new ArrayBuffer(0);

/**
 * {@link readWhole} into a buffer shared by every call, for a caller that keeps nothing of
 * the bytes but what it copies: they are valid until the next call. Reading a thousand files
 * then allocates one buffer, not a thousand (a file over 1 MiB still gets its own).
 */
export function readWholeShared(file: OpenedStatsFile): Uint8Array {
  const size = Number(file.stats.size);
  if (size > SHARED_READ_LIMIT) return readWhole(file);
  if (sharedRead.byteLength < size) sharedRead = new ArrayBuffer(Math.max(size, 2 * sharedRead.byteLength));
  const bytes = new Uint8Array(sharedRead, 0, size);
  preadExactly(file, bytes, 0, size);
  return bytes;
}

/**
 * Reads `bytes[start, end)` from the same offsets of the file, looping over short reads.
 *
 * @throws `MmstatsError` `FILE_CHANGED` when the file ends before `end` (it shrank since the
 *   caller learnt its size), `READ_FAILED` for an I/O error
 */
export function preadExactly(file: OpenedStatsFile, bytes: Uint8Array, start: number, end: number): void {
  let at = start;
  while (at < end) {
    const n = readSync(file.fd, bytes, at, end - at, at);
    if (n === 0) throw shrunkError(file.path, at, end);
    at += n;
  }
}

/** The `FILE_CHANGED` of a file (at `path`) that ended at `size` bytes, below the `needed` the reader reads. */
function shrunkError(path: string, size: number, needed: number): MmstatsError {
  return new MmstatsError('FILE_CHANGED', `the file shrank while it was read: it ends at byte ${size}, below the ${needed} bytes read`, { path });
}

/** `true` when `file` is the file `identity` names (same device and inode). */
function isSameFile(file: OpenedStatsFile, identity: FileIdentity): boolean {
  return file.stats.dev === identity.dev && file.stats.ino === identity.ino;
}

/** Closes `fd`, ignoring errors: a failed close of a read-only descriptor loses nothing. */
function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Nothing to report: the bytes were read (or the read is already failing).
  }
}

function refuseIrregular(path: string, stats: Stats | BigIntStats): void {
  if (stats.isFile()) return;
  throw notAFile(path, describe(stats));
}

function describe(stats: Stats | BigIntStats): string {
  if (stats.isDirectory()) return 'directory';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isBlockDevice()) return 'block device';
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isSocket()) return 'socket';
  return 'special file';
}
