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
 * This is the one matcher for every pattern a user gives (CLI arguments, `MMSTATS_GLOB`,
 * mmash's request globs). Patterns come from people and from the network, so a pattern is
 * compiled to a list of tokens and matched without backtracking: at most
 * O(pattern length × name length) steps, whatever the pattern (a regular expression built
 * from `**********x` takes exponential time on a long name): spec/files.md#glob-matching.
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
  const matches = segmentMatcher(pattern);
  if (matches === undefined) return () => false;
  return (name) => (matchesHidden || !name.startsWith('.')) && matches(name);
}

/**
 * Compiles one segment pattern (no `/`) into a predicate matching whole names, without the
 * hidden-name rule; `undefined` when the pattern has a set out of order such as `[z-a]`.
 * `?` and sets take one code point, so an astral character counts as one character.
 * Matching takes at most O(pattern length × name length) steps.
 */
export function segmentMatcher(pattern: string): ((name: string) => boolean) | undefined {
  const tokens = parseSegment(pattern);
  if (tokens === undefined) return undefined;
  return (name) => matchTokens(tokens, [...name]);
}

/** One code point of a name, or any run of them. */
type Token =
  | { readonly kind: 'star' }
  | { readonly kind: 'any' }
  | { readonly kind: 'literal'; readonly char: string }
  /** `ranges` holds inclusive code point bounds, two by two: `[a-cx]` is `[97, 99, 120, 120]`. */
  | { readonly kind: 'set'; readonly negated: boolean; readonly ranges: readonly number[] };

const STAR: Token = { kind: 'star' };
const ANY: Token = { kind: 'any' };

/** The tokens of `pattern`, or `undefined` when a set has a range out of order. */
function parseSegment(pattern: string): Token[] | undefined {
  const tokens: Token[] = [];
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '*') {
      // A run of stars means what one star means, and one is cheaper to match.
      if (tokens.at(-1) !== STAR) tokens.push(STAR);
    } else if (c === '?') tokens.push(ANY);
    else if (c === '[') {
      const set = readSet(chars, i);
      if (set === 'reversed') return undefined;
      if (set === undefined) tokens.push({ kind: 'literal', char: c });
      else {
        tokens.push(set.token);
        i = set.end;
      }
    } else tokens.push({ kind: 'literal', char: c });
  }
  return tokens;
}

/**
 * The set starting at `chars[start] === '['` and the index of its `]`; `undefined` when it has
 * no closing `]` (then the `[` is literal), `'reversed'` when a range is out of order.
 * Ranges read as in a regular expression: `x-y` between two members, a `-` first or last is a member.
 */
function readSet(chars: readonly string[], start: number): { token: Token; end: number } | 'reversed' | undefined {
  let i = start + 1;
  const negated = chars[i] === '!' || chars[i] === '^';
  if (negated) i++;
  const first = i;
  // A `]` first in the set is a member, not the end.
  if (chars[i] === ']') i++;
  while (i < chars.length && chars[i] !== ']') i++;
  if (i >= chars.length) return undefined;
  const members = chars.slice(first, i).map((c) => c.codePointAt(0)!);
  const ranges: number[] = [];
  for (let j = 0; j < members.length; ) {
    const low = members[j]!;
    if (members[j + 1] === DASH && j + 2 < members.length) {
      const high = members[j + 2]!;
      if (low > high) return 'reversed';
      ranges.push(low, high);
      j += 3;
    } else {
      ranges.push(low, low);
      j += 1;
    }
  }
  return { token: { kind: 'set', negated, ranges }, end: i };
}

const DASH = 0x2d;

function matchesOne(token: Token, char: string): boolean {
  switch (token.kind) {
    case 'star':
      return false;
    case 'any':
      return true;
    case 'literal':
      return token.char === char;
    case 'set': {
      const code = char.codePointAt(0)!;
      let inSet = false;
      for (let r = 0; r < token.ranges.length && !inSet; r += 2) inSet = code >= token.ranges[r]! && code <= token.ranges[r + 1]!;
      return inSet !== token.negated;
    }
  }
}

/**
 * Whole-name match, greedy with one backtrack point: each token other than `*` takes exactly
 * one character, so when a match fails after a star it is enough to let the *last* star take
 * one more character and go on from there; earlier stars never need to be revisited. Each
 * retry moves the star's start right by one, so there are at most `name.length` retries of at
 * most `tokens.length` steps each.
 */
function matchTokens(tokens: readonly Token[], name: readonly string[]): boolean {
  let t = 0;
  let n = 0;
  let starToken = -1;
  let starStart = 0;
  while (n < name.length) {
    const token = tokens[t];
    if (token === STAR) {
      starToken = t++;
      starStart = n;
    } else if (token !== undefined && matchesOne(token, name[n]!)) {
      t++;
      n++;
    } else if (starToken >= 0) {
      t = starToken + 1;
      n = ++starStart;
    } else return false;
  }
  while (tokens[t] === STAR) t++;
  return t === tokens.length;
}
