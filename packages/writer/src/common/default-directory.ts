/**
 * The default stats directory (spec/files.md#default-directory): `<tmpdir>/mmstats-<euid>`,
 * made with mode 0700 when missing and checked with `lstat` before every use: a directory
 * (not a symbolic link), owned by this euid, with no group or other permission bits. Files
 * named after the next pids in a shared `/tmp` are then no way for another local user to stop
 * the app from starting: they cannot create names in our directory. When the name itself is
 * squatted (it fails the check: made by another user, say), the writer still starts: it uses
 * a fresh private directory from `mkdtemp(<tmpdir>/mmstats-<euid>.)`, which default
 * discovery also reads, and warns once naming both (`MMSTATS-W202`).
 *
 * Not `$XDG_RUNTIME_DIR`: a service started by systemd or cron has none while the operator's
 * login shell has one, so writer and reader would look in different places.
 *
 * @module
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoticeCodes, defaultStatsDirName, privateDirectoryProblem, type MmstatsError } from '@mmstats/format';
import { fromSystemError } from './errors.js';

/** The code of the warning given when the default directory is squatted: `NoticeCodes.UNSAFE_DEFAULT_DIRECTORY`. */
export const UNSAFE_DEFAULT_DIRECTORY_WARNING = NoticeCodes.UNSAFE_DEFAULT_DIRECTORY;

/** A writer's directory has no group or other permission bits at all. */
const WRITER_FORBIDDEN_BITS = 0o077;

// The private directory used instead of a squatted default, made once per process.
let fallback: string | undefined;

/** The default directory, or the error that keeps it (and a private replacement) from being had. */
export interface DefaultDirectory {
  /** The directory to use; when `error` is set, the one that could not be had. */
  readonly dir: string;
  /** Why no private directory could be had (the temp directory missing or not writable...). */
  readonly error: MmstatsError | undefined;
}

/**
 * The directory stats files go in when neither the `path` option nor `MMSTATS_PATH` is set:
 * `<tmpdir>/mmstats-<euid>` when it is (or can be made) this user's private directory, else
 * this process's fresh private `<tmpdir>/mmstats-<euid>.XXXXXX`. Without user ids (Windows),
 * the OS temporary directory. Never throws: an error (DIRECTORY_NOT_FOUND, ACCESS_DENIED,
 * NO_SPACE... naming the directory) is returned, for the writer to report like a failed
 * creation (`degrade` applies).
 */
export function defaultStatsDirectory(): DefaultDirectory {
  try {
    return { dir: privateDefaultDirectory(), error: undefined };
  } catch (error) {
    const euid = process.geteuid?.() ?? 0;
    return { dir: join(tmpdir(), defaultStatsDirName(euid)), error: error as MmstatsError };
  }
}

function privateDefaultDirectory(): string {
  const euid = process.geteuid?.();
  if (euid === undefined) return tmpdir();
  const dir = join(tmpdir(), defaultStatsDirName(euid));
  let made = true;
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fromSystemError(error, dir, 'make the default stats directory');
    made = false;
  }
  // A umask of 0077 or stricter keeps 0700; a looser one cannot add group or other bits; only
  // a umask that removes our own bits needs the chmod (safe: nobody else can rename our entry
  // in the sticky temp directory).
  if (made) chmodSync(dir, 0o700);
  const problem = privateDirectoryProblem(lstatQuietly(dir), euid, WRITER_FORBIDDEN_BITS);
  if (problem === undefined) return dir;
  if (fallback === undefined || privateDirectoryProblem(lstatQuietly(fallback), euid, WRITER_FORBIDDEN_BITS) !== undefined) {
    try {
      fallback = mkdtempSync(`${dir}.`);
    } catch (error) {
      throw fromSystemError(error, `${dir}.XXXXXX`, 'make a private stats directory');
    }
    process.emitWarning(
      `${dir}: ${UNSAFE_DEFAULT_DIRECTORY_WARNING} the default stats directory ${problem}, so it is not used; stats files go in ${fallback} instead (default discovery reads it too)`,
      { type: 'MmstatsWarning', code: UNSAFE_DEFAULT_DIRECTORY_WARNING },
    );
  }
  return fallback;
}

function lstatQuietly(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
