import test from 'ava';
import { parseNameGlob } from './name-glob.js';

function matcher(glob: string): (path: string) => boolean {
  const parsed = parseNameGlob(glob);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.matches;
}

test('wildcards match the file name, never the directories', (t) => {
  t.true(matcher('web-*.mmstats')('/run/app/web-12.mmstats'));
  t.false(matcher('web-*.mmstats')('/run/web-app/x.mmstats'));
  t.true(matcher('?.mmstats')('/tmp/🚀.mmstats'), '? is one code point');
  t.true(matcher('[ab]*')('/tmp/b1'));
  t.false(matcher('[!ab]*')('/tmp/b1'));
  t.true(matcher('[]]x')('/tmp/]x'), '] first in a set is a member');
  t.true(matcher('[x')('/tmp/[x'), 'an unclosed [ is literal');
  t.true(matcher('a.b+c')('/tmp/a.b+c'));
  t.false(matcher('a.b')('/tmp/aXb'), 'regex characters are literal');
  t.true(matcher('')('/anything'));
});

test('anything path-like is refused with a reason', (t) => {
  for (const glob of ['/etc/*', 'a/b', 'a\\b', '..', '..*', 'x\u0000', 'x\n', 'x\u007f', 'a'.repeat(256), '[z-a]']) {
    const parsed = parseNameGlob(glob);
    t.false(parsed.ok, JSON.stringify(glob));
    if (!parsed.ok) t.regex(parsed.reason, /^the glob /);
  }
});
