/**
 * Getting at the bytes of a stats file: refuse anything that is not a regular file before
 * reading it, then map it read-only or, when mapping is off or fails, read it.
 *
 * @module
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type BigIntStats, type Stats } from 'node:fs';
import { fileError, notAFile } from './file-errors.js';
import { mmapBinding } from './mmap-binding.js';

/** An open stats file. The caller owns `fd` and must close it. */
export interface OpenedStatsFile {
  /** The open descriptor (read-only). A mapping stays valid after it is closed. */
  readonly fd: number;
  /**
   * `fstat` of the descriptor when the bytes were taken: `dev`, `ino` and `size` name the file.
   * As bigints, because inode numbers can exceed 2^53.
   */
  readonly stats: BigIntStats;
  /** The whole file: a shared read-only mapping (`mapped`), or a copy read at open. */
  readonly bytes: Uint8Array;
  /** `true` when `bytes` is a mapping and so shows the writer's changes as they happen. */
  readonly mapped: boolean;
}

// O_NONBLOCK: if the path was swapped for a FIFO after our stat, open() must not wait for a
// writer (it would hang the reader). It changes nothing for regular files. O_NOCTTY: opening a
// terminal must not make it ours. Both are 0 where the platform lacks them.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * Opens the regular file at `path` and takes its bytes.
 *
 * With `mmap` the file is mapped read-only and shared (`PROT_READ`, `MAP_SHARED`) over its
 * size at open; an empty file, a failed mapping or a binding that cannot load here fall back to
 * a plain read. A file that is not regular (directory, device, FIFO, socket) is refused from a
 * `stat` before it is opened, and again from `fstat` after, so that no device is read from.
 *
 * @throws `MmstatsError` with `path` set: `NOT_FOUND`, `NOT_A_FILE` or `READ_FAILED`
 */
export function openStatsFile(path: string, mmap: boolean): OpenedStatsFile {
  let fd: number | undefined;
  try {
    refuseIrregular(path, statSync(path));
    fd = openSync(path, OPEN_FLAGS);
    const stats = fstatSync(fd, { bigint: true });
    refuseIrregular(path, stats);
    const size = Number(stats.size);
    const mapping = mmap ? mapWhole(fd, size) : undefined;
    const bytes = mapping ?? readWhole(fd, size);
    return { fd, stats, bytes, mapped: mapping !== undefined };
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd);
    throw fileError(path, error);
  }
}

/**
 * Reads up to `size` bytes from the start of `fd` into a fresh buffer (positioned reads,
 * so the descriptor's offset does not matter). Returns fewer bytes when the file is shorter
 * now; never more, so a file that keeps growing cannot keep us reading.
 */
function readWhole(fd: number, size: number): Uint8Array {
  const buffer = Buffer.alloc(size);
  return buffer.subarray(0, readInto(fd, buffer, 0, size));
}

/**
 * Reads `bytes[start, end)` from the same offsets of `fd`, looping over short reads.
 *
 * @returns the offset where reading stopped: `end`, or less at the end of the file
 */
export function readInto(fd: number, bytes: Uint8Array, start: number, end: number): number {
  let at = start;
  while (at < end) {
    const n = readSync(fd, bytes, at, end - at, at);
    if (n === 0) break;
    at += n;
  }
  return at;
}

/** Closes `fd`, ignoring errors: used on paths that are already reporting a failure. */
export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Nothing useful to add to the error being reported.
  }
}

function mapWhole(fd: number, size: number): Uint8Array | undefined {
  // mmap(2) refuses a length of 0; an empty file decodes to EMPTY_FILE from a plain read.
  if (size === 0) return undefined;
  const binding = mmapBinding();
  if (binding === undefined) return undefined;
  try {
    return binding.map(size, binding.PROT_READ, binding.MAP_SHARED, fd, 0);
  } catch {
    // e.g. a file system that cannot map (some FUSE mounts), or address space exhausted.
    return undefined;
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
