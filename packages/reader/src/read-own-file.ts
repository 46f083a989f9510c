/**
 * Reading a file that `mmstats clean` may delete, without ever following a symbolic link and
 * without reading anything but a regular file.
 *
 * @module
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type BigIntStats } from 'node:fs';
import { MmstatsError } from '@mmstats/format';

/** Stats files are a few pages; anything far bigger is not one and is not read whole. */
export const MAX_STATS_FILE_BYTES = 64 * 1024 * 1024;

/** A regular file read through a descriptor opened without following links. */
export interface OwnFile {
  /** Its bytes: all of them, or the first ones from `readOwnFileStart`. */
  readonly bytes: Uint8Array;
  /** Device and inode it had: the file removed later must still be this one. */
  readonly identity: {
    /** `st_dev`. */
    readonly dev: bigint;
    /** `st_ino`. */
    readonly ino: bigint;
  };
}

/**
 * Reads `path` when it is a regular file itself: a symbolic link is refused from `lstat`, and
 * again by `O_NOFOLLOW` should one be swapped in before the open.
 *
 * @throws `MmstatsError`: `NOT_A_FILE` for a link, directory, device..., `NOT_FOUND`,
 *   `READ_FAILED` (permissions, or larger than {@link MAX_STATS_FILE_BYTES})
 */
export function readOwnFile(path: string): OwnFile {
  return withOwnFile(path, (fd, stats) => {
    if (stats.size > MAX_STATS_FILE_BYTES) throw new MmstatsError('READ_FAILED', `is ${stats.size} bytes, too big for a stats file`, { path });
    return readFirst(fd, Number(stats.size), stats);
  });
}

/**
 * The first `length` bytes of `path` (all of them when it is shorter), with the checks of
 * {@link readOwnFile}: for a header, without reading a whole file of any size.
 *
 * @throws `MmstatsError`: `NOT_A_FILE` for a link, directory, device..., `NOT_FOUND`, `READ_FAILED`
 */
export function readOwnFileStart(path: string, length: number): OwnFile {
  return withOwnFile(path, (fd, stats) => readFirst(fd, Math.min(length, Number(stats.size)), stats));
}

/** Runs `read` on `path` opened when it is a regular file itself, not a link (`lstat`, `O_NOFOLLOW`, then `fstat` the same file), and closes it. */
function withOwnFile(path: string, read: (fd: number, stats: BigIntStats) => OwnFile): OwnFile {
  const before = lstat(path);
  if (before.isSymbolicLink()) throw new MmstatsError('NOT_A_FILE', 'is a symbolic link; not followed', { path });
  if (!before.isFile()) throw new MmstatsError('NOT_A_FILE', 'is not a regular file', { path });
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new MmstatsError('NOT_A_FILE', 'is a symbolic link; not followed', { path });
    throw new MmstatsError(code === 'ENOENT' ? 'NOT_FOUND' : 'READ_FAILED', `cannot open (${code ?? String(error)})`, { path, cause: error });
  }
  try {
    const stats = fstatSync(fd, { bigint: true });
    if (!stats.isFile() || stats.ino !== before.ino || stats.dev !== before.dev) {
      throw new MmstatsError('NOT_A_FILE', 'changed while being read; left alone', { path });
    }
    return read(fd, stats);
  } finally {
    closeSync(fd);
  }
}

/** The first `length` bytes of `fd` (fewer when it ends first). */
function readFirst(fd: number, length: number, stats: BigIntStats): OwnFile {
  const bytes = Buffer.alloc(length);
  let at = 0;
  while (at < bytes.length) {
    const n = readSync(fd, bytes, at, bytes.length - at, at);
    if (n === 0) break;
    at += n;
  }
  return { bytes: bytes.subarray(0, at), identity: { dev: stats.dev, ino: stats.ino } };
}

function lstat(path: string): BigIntStats {
  try {
    return lstatSync(path, { bigint: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MmstatsError(code === 'ENOENT' || code === 'ENOTDIR' ? 'NOT_FOUND' : 'READ_FAILED', code === 'ENOENT' ? 'no such file' : `cannot stat (${code ?? String(error)})`, { path, cause: error });
  }
}
