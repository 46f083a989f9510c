/**
 * The globs clients may send (`/files/<glob>`, `?glob=`): patterns over the *names* of the
 * stats files mmash was configured with, never paths. Matching a name against the files
 * already found is what keeps a request from reaching anything outside the configured paths:
 * no request glob is ever expanded against the file system.
 *
 * @module
 */
import { basename } from 'node:path';
import { segmentMatcher } from '@mmstats/reader';

/** What {@link parseNameGlob} gives: a matcher for file names, or why the glob was refused. */
export type NameGlob =
  | {
      /** The glob is usable. */
      readonly ok: true;
      /** `true` when the file at `path` has a name the glob matches. */
      readonly matches: (path: string) => boolean;
    }
  | {
      /** The glob was refused. */
      readonly ok: false;
      /** Why, in words, for the 400 response. */
      readonly reason: string;
    };

/** The longest glob accepted, in UTF-16 code units: a file name cannot be longer on Linux. */
export const MAX_GLOB_LENGTH = 255;

/**
 * Checks and compiles a client's glob. The wildcards are those of the Python tools: `*` any
 * run of characters, `?` one character, `[abc]`/`[a-z]`/`[!abc]` a set; everything else is
 * literal. An empty glob matches every file. Matching takes at most O(glob length × name
 * length) steps (no backtracking: `segmentMatcher` of `@mmstats/reader`).
 *
 * Refused with a reason (so that nobody mistakes it for a path): a `/` or `\` anywhere (also when it came
 * URL-encoded as `%2F` or `%5C`), a `..`, a NUL or other control character, more than
 * {@link MAX_GLOB_LENGTH} characters, or a set out of order such as `[z-a]`.
 */
export function parseNameGlob(glob: string): NameGlob {
  if (glob.length > MAX_GLOB_LENGTH) return refuse(`is longer than ${MAX_GLOB_LENGTH} characters`);
  if (/[/\\]/.test(glob)) return refuse('contains a / or \\: globs match file names inside the configured paths, not paths');
  if (glob.includes('..')) return refuse('contains ".."');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(glob)) return refuse('contains a control character');
  if (glob === '') return { ok: true, matches: () => true };
  const matches = segmentMatcher(glob);
  if (matches === undefined) return refuse('has a set that is out of order, such as [z-a]');
  return { ok: true, matches: (path) => matches(basename(path)) };
}

function refuse(why: string): NameGlob {
  return { ok: false, reason: `the glob ${why}` };
}
