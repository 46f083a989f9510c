/**
 * How the writer turns failed system calls into coded errors. The codes (`E2xx`) are defined
 * with all the others in `@mmstats/format`'s catalogue (spec/errors.md#writer-errors).
 *
 * @module
 */
import { MmstatsError } from '@mmstats/format';

/**
 * Maps a failed system call on `path` to a writer error: the errno decides the code, the
 * original error stays attached as `cause`.
 */
export function fromSystemError(error: unknown, path: string, doing: string): MmstatsError {
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const because = errno === undefined ? String(error) : errno;
  switch (errno) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new MmstatsError('DIRECTORY_NOT_FOUND', `cannot ${doing}: the directory does not exist (${because})`, { path, cause: error });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new MmstatsError('ACCESS_DENIED', `cannot ${doing}: permission denied (${because})`, { path, cause: error });
    case 'ELOOP':
      return new MmstatsError('SYMLINK_REFUSED', `cannot ${doing}: the path is a symbolic link, which is never followed`, { path, cause: error });
    case 'ENOSPC':
    case 'EDQUOT':
      return new MmstatsError('NO_SPACE', `cannot ${doing}: no space left on the file system (${because})`, { path, cause: error });
    case 'EISDIR':
      return new MmstatsError('NOT_REGULAR_FILE', `cannot ${doing}: the path is a directory`, { path, cause: error });
    default:
      return new MmstatsError('CREATE_FAILED', `cannot ${doing} (${because})`, { path, cause: error });
  }
}
