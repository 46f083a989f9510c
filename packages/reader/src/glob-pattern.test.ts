import test from 'ava';
import { compileSegment, hasWildcards } from './glob-pattern.js';

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
