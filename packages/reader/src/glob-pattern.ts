/**
 * Shell-style wildcards for one path segment, as Python's `fnmatch`/`glob` read them (the
 * Python mmstats tools take their file arguments through `glob.glob`):
 *
 * - `*` any run of characters, `?` one character;
 * - `[abc]`, `[a-z]` one of a set, `[!abc]` (or `[^abc]`) one not in it; a `]` right after the
 *   `[` or `[!` is part of the set, and a `[` without its `]` is an ordinary character;
 * - a name starting with `.` is matched only by a pattern starting with `.` (hidden files stay
 *   hidden, as in the shell);
 * - there is no backslash escape: write `[*]` for a literal `*`.
 *
 * @module
 */

/** `true` when `text` has a wildcard (`*`, `?` or `[`), i.e. means more than the name it spells. */
export function hasWildcards(text: string): boolean {
  return /[*?[]/.test(text);
}

/**
 * Compiles one segment pattern (no `/`) into a predicate on directory-entry names.
 * A set with a reversed range such as `[z-a]` matches nothing.
 */
export function compileSegment(pattern: string): (name: string) => boolean {
  const matchesHidden = pattern.startsWith('.');
  const regex = segmentRegExp(pattern);
  if (regex === undefined) return () => false;
  return (name) => (matchesHidden || !name.startsWith('.')) && regex.test(name);
}

/**
 * The regular expression for one segment pattern (no `/`), matching whole names, without the
 * hidden-name rule; `undefined` when the pattern has a set out of order such as `[z-a]`.
 */
export function segmentRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^${segmentSource(pattern)}$`, 'su');
  } catch {
    return undefined;
  }
}

function segmentSource(pattern: string): string {
  let source = '';
  // Iterate by code point so that `?` and sets treat an astral character as one character.
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const set = readSet(chars, i);
      if (set === undefined) source += '\\[';
      else {
        source += set.source;
        i = set.end;
      }
    } else source += escapeRegex(c);
  }
  return source;
}

/** The set starting at `chars[start] === '['`, or `undefined` when it has no closing `]`. */
function readSet(chars: readonly string[], start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  const negated = chars[i] === '!' || chars[i] === '^';
  if (negated) i++;
  const first = i;
  // A `]` first in the set is a member, not the end.
  if (chars[i] === ']') i++;
  while (i < chars.length && chars[i] !== ']') i++;
  if (i >= chars.length) return undefined;
  const members = chars.slice(first, i).map((c) => (c === '-' ? c : escapeInSet(c))).join('');
  return { source: `[${negated ? '^' : ''}${members}]`, end: i };
}

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function escapeInSet(c: string): string {
  return /[\\\]^[]/.test(c) ? `\\${c}` : c;
}
