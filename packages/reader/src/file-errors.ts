/**
 * Turning Node's file-system errors into the format's coded errors, so that every caller
 * (the CLI, a dashboard, a port's harness) matches on one set of codes (spec/errors.md).
 *
 * @module
 */
import { MmstatsError, isMmstatsError } from '@mmstats/format';

/**
 * The coded error for a failure to get at the file at `path`:
 * `ENOENT`/`ENOTDIR` give `NOT_FOUND` (E101), `EISDIR` gives `NOT_A_FILE` (E102),
 * `EMFILE`/`ENFILE` give `TOO_MANY_OPEN_FILES` (E104), anything else (`EACCES`, `EIO`...) gives
 * `READ_FAILED` (E103); the last two keep the original error as `cause`. An {@link MmstatsError} passes through with its path set.
 */
export function fileError(path: string, error: unknown): MmstatsError {
  if (isMmstatsError(error)) return error.path === path ? error : error.withPath(path);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new MmstatsError('NOT_FOUND', 'no such file', { path });
    case 'EISDIR':
      return new MmstatsError('NOT_A_FILE', 'is a directory, not a stats file', { path });
    case 'EMFILE':
    case 'ENFILE':
      return new MmstatsError('TOO_MANY_OPEN_FILES', `no file descriptor left to open it (${code}); raise the limit (ulimit -n)`, { path, cause: error });
    default: {
      const reason = error instanceof Error ? error.message : String(error);
      return new MmstatsError('READ_FAILED', `cannot read the file (${reason})`, { path, cause: error });
    }
  }
}

/** The error for a path that exists but is not a regular file (`what` says what it is). */
export function notAFile(path: string, what: string): MmstatsError {
  return new MmstatsError('NOT_A_FILE', `is a ${what}, not a stats file`, { path });
}
