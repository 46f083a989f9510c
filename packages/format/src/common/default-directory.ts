/**
 * The default stats directory's name (spec/files.md#default-directory): one rule, shared by
 * writers (where a file goes when neither `path` nor `MMSTATS_PATH` says) and readers (where
 * default discovery looks). Names only: checking the directories needs the file system, which
 * this package never touches.
 *
 * @module
 */

/** The default directory's name in the OS temporary directory: `mmstats-<euid>`. */
export function defaultStatsDirName(euid: number): string {
  return `mmstats-${euid}`;
}

/**
 * `true` for the names a writer's own default directories have in the OS temporary directory:
 * `mmstats-<euid>`, and `mmstats-<euid>.XXXXXX`, the private directory a writer makes when the
 * first is squatted.
 */
export function isDefaultStatsDirName(name: string, euid: number): boolean {
  const base = defaultStatsDirName(euid);
  return name === base || (name.startsWith(`${base}.`) && name.length > base.length + 1);
}

/** What {@link privateDirectoryProblem} looks at: the parts of an `lstat` result it needs. */
export interface DirectoryStat {
  /** Whether the name is a symbolic link (`lstat`, so the link itself, not what it points at). */
  isSymbolicLink(): boolean;
  /** Whether the name is a directory. */
  isDirectory(): boolean;
  /** The owner's user id. */
  readonly uid: number;
  /** The mode bits, permissions included (`st_mode`). */
  readonly mode: number;
}

/**
 * Why a default directory is not this user's own (spec/files.md#default-directory), in words,
 * or `undefined` when it is: from `lstat`, a directory (not a symbolic link) owned by `euid`
 * with none of the `forbidden` mode bits. Writers forbid every group and other bit (`0o077`);
 * readers only group and other write (`0o022`, the default).
 *
 * @param stat - the directory's `lstat`, or `undefined` when it could not be taken
 */
export function privateDirectoryProblem(stat: DirectoryStat | undefined, euid: number, forbidden = 0o022): string | undefined {
  if (stat === undefined) return 'cannot be examined';
  if (stat.isSymbolicLink()) return 'is a symbolic link';
  if (!stat.isDirectory()) return 'is not a directory';
  if (stat.uid !== euid) return `belongs to uid ${stat.uid}, not to this process (euid ${euid})`;
  if ((stat.mode & forbidden) !== 0) return `has mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}, open to other users`;
  return undefined;
}
