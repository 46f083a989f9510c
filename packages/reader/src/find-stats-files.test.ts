import test, { type ExecutionContext } from 'ava';
import { chmodSync, chownSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findStatsFiles } from './find-stats-files.js';
import { tempDir } from './test-support.js';

/**
 * root/
 *   a.mmstats  b.mmstats  .hidden.mmstats  notes.txt  dir.mmstats/  weird[1].mmstats
 *   sub/c.mmstats  sub/deeper/d.mmstats  .cache/e.mmstats  loop -> root
 */
function tree(t: ExecutionContext): { root: string; at: (...parts: string[]) => string } {
  const root = tempDir(t);
  const at = (...parts: string[]): string => join(root, ...parts);
  for (const file of ['a.mmstats', 'b.mmstats', '.hidden.mmstats', 'notes.txt', 'weird[1].mmstats']) writeFileSync(at(file), '');
  mkdirSync(at('dir.mmstats'));
  mkdirSync(at('sub', 'deeper'), { recursive: true });
  mkdirSync(at('.cache'));
  writeFileSync(at('sub', 'c.mmstats'), '');
  writeFileSync(at('sub', 'deeper', 'd.mmstats'), '');
  writeFileSync(at('.cache', 'e.mmstats'), '');
  symlinkSync(root, at('loop'));
  return { root, at };
}

const noEnv = { env: {} };

test('a directory gives its *.mmstats files: not recursive, no hidden files, no directories', async (t) => {
  const { root, at } = tree(t);
  t.deepEqual(await findStatsFiles([root], noEnv), [at('a.mmstats'), at('b.mmstats'), at('weird[1].mmstats')]);
});

test('an explicit file is kept even when it does not exist, so reading it reports NOT_FOUND', async (t) => {
  const { at } = tree(t);
  t.deepEqual(await findStatsFiles([at('missing.mmstats'), at('notes.txt')], noEnv), [at('missing.mmstats'), at('notes.txt')]);
});

test('relative targets resolve against cwd; results are absolute, sorted and de-duplicated', async (t) => {
  const { root, at } = tree(t);
  const found = await findStatsFiles(['b.mmstats', './a.mmstats', at('b.mmstats'), 'sub/../a.mmstats', '.'], { cwd: root });
  t.deepEqual(found, [at('a.mmstats'), at('b.mmstats'), at('weird[1].mmstats')]);
});

test('globs: * ? and sets match file names; directories and hidden files are left out', async (t) => {
  const { root, at } = tree(t);
  t.deepEqual(await findStatsFiles([join(root, '*.mmstats')]), [at('a.mmstats'), at('b.mmstats'), at('weird[1].mmstats')]);
  t.deepEqual(await findStatsFiles([join(root, '?.mmstats')]), [at('a.mmstats'), at('b.mmstats')]);
  t.deepEqual(await findStatsFiles([join(root, '[!a].mmstats')]), [at('b.mmstats')]);
  t.deepEqual(await findStatsFiles([join(root, 'nothing-*')]), []);
});

test('globs never enter a link to a directory (spec/files.md#no-dir-links), but a directory named before the first wildcard may be one', async (t) => {
  const { root, at } = tree(t);
  // `loop -> root`, as another user's `evil -> /elsewhere` in a shared directory would be.
  t.deepEqual(await findStatsFiles([join(root, '*', '*.mmstats')]), [at('sub', 'c.mmstats')]);
  t.deepEqual(await findStatsFiles([join(root, '*', 'sub', '*.mmstats')]), [], 'nor through a literal name after a wildcard');
  t.deepEqual(await findStatsFiles([join(root, '*')]), [at('a.mmstats'), at('b.mmstats'), at('notes.txt'), at('weird[1].mmstats')], 'and a link to a directory is not a file');
  t.deepEqual(await findStatsFiles([join(root, 'loop', 'sub', '*.mmstats')]), [at('loop', 'sub', 'c.mmstats')], 'the caller named loop');
});

test('globs: ** matches any depth, skips hidden directories and does not follow links (no loop)', async (t) => {
  const { root, at } = tree(t);
  const everywhere = [at('a.mmstats'), at('b.mmstats'), at('sub', 'c.mmstats'), at('sub', 'deeper', 'd.mmstats'), at('weird[1].mmstats')];
  t.deepEqual(await findStatsFiles([join(root, '**', '*.mmstats')]), everywhere);
  t.deepEqual(await findStatsFiles([join(root, 'sub', '**')]), [at('sub', 'c.mmstats'), at('sub', 'deeper', 'd.mmstats')]);
  t.deepEqual(await findStatsFiles([join(root, '**', '**', 'd.mmstats')]), [at('sub', 'deeper', 'd.mmstats')]);
});

test('a file whose name has wildcard characters is still found by its name', async (t) => {
  const { at } = tree(t);
  // "weird[1]" as a pattern means "weird1", which does not exist; the literal name does.
  t.deepEqual(await findStatsFiles([at('weird[1].mmstats')]), [at('weird[1].mmstats')]);
});

test('no targets: MMSTATS_GLOB, several patterns separated by path.delimiter', async (t) => {
  const { root, at } = tree(t);
  const env = { MMSTATS_GLOB: [join(root, 'a*'), join(root, 'sub', '*.mmstats'), join(root, 'missing')].join(delimiter), MMSTATS_PATH: '/nowhere' };
  t.deepEqual(await findStatsFiles([], { env }), [at('a.mmstats'), at('sub', 'c.mmstats')]);
});

test('no targets: MMSTATS_PATH is a directory whose *.mmstats files are read', async (t) => {
  const { root, at } = tree(t);
  t.deepEqual(await findStatsFiles([], { env: { MMSTATS_PATH: join(root, 'sub'), MMSTATS_GLOB: '' } }), [at('sub', 'c.mmstats')]);
  t.deepEqual(await findStatsFiles([], { env: { MMSTATS_PATH: at('nowhere') } }), []);
  // `$MMSTATS_PATH/*.mmstats`: a file there is not a directory of stats files.
  t.deepEqual(await findStatsFiles([], { env: { MMSTATS_PATH: at('a.mmstats') } }), []);
});

test('no targets, no variables: the *.mmstats files of this user’s default directories; any not this user’s own is skipped and reported', async (t) => {
  const root = tempDir(t);
  const euid = process.geteuid!();
  const dir = (name: string, mode = 0o700): string => {
    const path = join(root, name);
    mkdirSync(path);
    chmodSync(path, mode);
    writeFileSync(join(path, 'app-1-1.mmstats'), '');
    return path;
  };
  const own = dir(`mmstats-${euid}`);
  const fallback = dir(`mmstats-${euid}.Xa91bQ`); // a writer's private directory when the first was squatted
  const open = dir(`mmstats-${euid}.open`, 0o777);
  dir(`mmstats-${euid + 1}`); // another user's default: not ours to read, nor to report
  symlinkSync(fallback, join(root, `mmstats-${euid}.link`));
  writeFileSync(join(root, 'loose.mmstats'), ''); // directly in the temp directory: not a default place
  const skipped: Array<[string, string]> = [];
  const found = await findStatsFiles([], { env: {}, tmpdir: root, onSkipped: (d, why) => skipped.push([d, why]) });
  t.deepEqual(found, [join(fallback, 'app-1-1.mmstats'), join(own, 'app-1-1.mmstats')]); // sorted: '.' before '/'
  t.deepEqual(skipped, [
    [join(root, `mmstats-${euid}.link`), 'is a symbolic link'],
    [open, 'has mode 0777, open to other users'],
  ]);
  if (euid !== 0) return;
  // Root can also make one that another user owns: skipped too.
  const theirs = dir(`mmstats-${euid}.theirs`);
  chownSync(theirs, 4321, 4321);
  skipped.length = 0;
  t.deepEqual(await findStatsFiles([], { env: {}, tmpdir: root, onSkipped: (d, why) => skipped.push([d, why]) }), found);
  t.deepEqual(skipped.map(([d]) => d), [join(root, `mmstats-${euid}.link`), open, theirs]);
});

test('no targets, no options: this user’s default directory in os.tmpdir() is searched', async (t) => {
  const home = join(tmpdir(), `mmstats-${process.geteuid!()}`);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const own = join(home, `${tempDir(t).split(/[\\/]/).pop()}.mmstats`);
  writeFileSync(own, '');
  t.teardown(() => rmSync(own, { force: true }));
  const found = await findStatsFiles([], { env: {}, onSkipped: () => {} });
  t.true(found.includes(own));
  t.true(found.every((path) => path.startsWith(`${home}`) && path.endsWith('.mmstats')));
});
