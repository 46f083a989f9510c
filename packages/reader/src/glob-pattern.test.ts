import test from 'ava';
import fc from 'fast-check';
import { compileSegment, hasWildcards, segmentMatcher } from './glob-pattern.js';

const matches = (pattern: string, names: string[]): string[] => names.filter(compileSegment(pattern));

test('* and ? match any run and any one character', (t) => {
  const names = ['a.mmstats', 'ab.mmstats', 'a.txt', 'mmstats'];
  t.deepEqual(matches('*.mmstats', names), ['a.mmstats', 'ab.mmstats']);
  t.deepEqual(matches('?.mmstats', names), ['a.mmstats']);
  t.deepEqual(matches('*', names), names);
});

test('sets match one character of a set, ranges and negations included', (t) => {
  const names = ['a1', 'b2', 'c3', ']4', '-5'];
  t.deepEqual(matches('[ab]?', names), ['a1', 'b2']);
  t.deepEqual(matches('[a-b]?', names), ['a1', 'b2']);
  t.deepEqual(matches('[!ab]?', names), ['c3', ']4', '-5']);
  t.deepEqual(matches('[^ab]?', names), ['c3', ']4', '-5']);
  t.deepEqual(matches('[]]?', names), [']4']);
  t.deepEqual(matches('[-]?', names), ['-5']);
});

test('a [ without its ] is an ordinary character; [*] is a literal star', (t) => {
  t.deepEqual(matches('a[1', ['a[1', 'a1']), ['a[1']);
  t.deepEqual(matches('a[*]', ['a*', 'ab']), ['a*']);
});

test('regex characters in a pattern are literal', (t) => {
  t.deepEqual(matches('a.b+(c)', ['a.b+(c)', 'axbb(c)', 'a.bb(c)']), ['a.b+(c)']);
  t.deepEqual(matches('$^{1}|\\', ['$^{1}|\\', '']), ['$^{1}|\\']);
});

test('hidden names match only patterns that start with a dot', (t) => {
  t.deepEqual(matches('*', ['.hidden', 'shown']), ['shown']);
  t.deepEqual(matches('?hidden', ['.hidden']), []);
  t.deepEqual(matches('.*', ['.hidden', 'shown']), ['.hidden']);
});

test('? is one character even outside the BMP, and a reversed range matches nothing', (t) => {
  t.deepEqual(matches('?.mmstats', ['😀.mmstats', 'é.mmstats', 'ab.mmstats']), ['😀.mmstats', 'é.mmstats']);
  t.deepEqual(matches('[z-a]', ['a', 'z']), []);
});

test('hasWildcards finds *, ? and [ only', (t) => {
  t.true(hasWildcards('/tmp/*.mmstats'));
  t.true(hasWildcards('a?'));
  t.true(hasWildcards('stats[1]'));
  t.false(hasWildcards('/tmp/app.mmstats'));
  t.false(hasWildcards('{a,b}'));
});

/** Milliseconds `fn` takes. */
function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

test('patterns built to make a backtracking matcher explode answer in milliseconds (issue 10, item 8)', (t) => {
  const name = 'a'.repeat(255); // the longest file name Linux allows, with no x to find
  // The inputs of the report: runs of stars before a literal that is not there.
  for (const pattern of ['**********x', '***********x', `${'*'.repeat(254)}x`]) {
    const ms = timeMs(() => t.false(compileSegment(pattern)(name)));
    t.true(ms < 200, `${pattern.length}-character pattern took ${ms.toFixed(1)} ms`);
  }
  // Stars that cannot be merged: `*a*a…*ax`. A backtracking regex is exponential in the
  // number of stars; this matcher is linear in pattern × name, so doubling the stars at most
  // about doubles the time.
  const cost = (stars: number): number => timeMs(() => compileSegment(`${'*a'.repeat(stars)}x`)(name));
  cost(8); // warm up the JIT
  let previous = cost(15);
  for (const stars of [30, 60, 120]) {
    const ms = cost(stars);
    t.true(ms < 200, `${stars} stars took ${ms.toFixed(1)} ms`);
    t.true(ms < 8 * previous + 20, `${stars} stars took ${ms.toFixed(1)} ms, half as many ${previous.toFixed(1)} ms`);
    previous = ms;
  }
});

/**
 * The reference: how these patterns were matched before, by translating them to a regular
 * expression (fine for the small patterns of the property test, exponential on long ones).
 */
function referenceMatcher(pattern: string): ((name: string) => boolean) | undefined {
  let source = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      let j = i + 1;
      const negated = chars[j] === '!' || chars[j] === '^';
      if (negated) j++;
      const first = j;
      if (chars[j] === ']') j++;
      while (j < chars.length && chars[j] !== ']') j++;
      if (j >= chars.length) source += '\\[';
      else {
        const members = chars.slice(first, j).map((m) => (/[\\\]^[]/.test(m) ? `\\${m}` : m)).join('');
        source += `[${negated ? '^' : ''}${members}]`;
        i = j;
      }
    } else source += /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
  }
  try {
    const regex = new RegExp(`^${source}$`, 'su');
    return (name) => regex.test(name);
  } catch {
    return undefined;
  }
}

test('the matcher agrees with a regular-expression translation on random small patterns and names', (t) => {
  const patternChar = fc.constantFrom('a', 'b', 'z', '-', '*', '?', '[', ']', '!', '^', '.', '\\', '😀');
  const nameChar = fc.constantFrom('a', 'b', 'z', '-', ']', '[', '!', '^', '.', '\\', '*', '😀', 'é');
  fc.assert(
    fc.property(fc.array(patternChar, { maxLength: 10 }), fc.array(nameChar, { maxLength: 10 }), (patternChars, nameChars) => {
      const pattern = patternChars.join('');
      const name = nameChars.join('');
      const ours = segmentMatcher(pattern);
      const reference = referenceMatcher(pattern);
      if (reference === undefined) return ours === undefined;
      return ours !== undefined && ours(name) === reference(name);
    }),
    { numRuns: 20_000 },
  );
  t.pass();
});
