import { copyFileSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { validFixtures } from '@mmstats/fixtures';
import { ErrorCodes, foldIntoArchive } from '@mmstats/reader';
import { counter, defineModel } from '@mmstats/writer';
import { StatsSource } from './stats-source.js';
import { tempDir } from './test-support.test.util.js';

test('a removed file is gone at once, before the next search; a missing file named explicitly is reported', async (t) => {
  const { dir, cleanup } = tempDir();
  t.teardown(cleanup);
  const path = join(dir, 'a.mmstats');
  copyFileSync(validFixtures('v1/python-0.8.0')[0]!.path, path);
  const missing = join(dir, 'named.mmstats');
  // No search again during the test: what happens between searches is the point.
  const source = new StatsSource({ targets: [dir, missing], rescanMs: 3_600_000 });
  t.teardown(() => source.close());
  const summary = async (): Promise<Array<[string, string]>> => (await source.read()).map((r) => [r.path, r.ok ? 'ok' : r.error.code]);
  t.deepEqual(await summary(), [
    [path, 'ok'],
    [missing, 'MMSTATS-E101'],
  ]);
  rmSync(path);
  t.deepEqual(await summary(), [[missing, 'MMSTATS-E101']]);
  t.deepEqual(await summary(), [[missing, 'MMSTATS-E101']], 'and stays gone');
});

test('a v1 file rewritten in place with a larger layout (same inode, as a restarted Python writer does) is read anew', async (t) => {
  const { dir, cleanup } = tempDir();
  t.teardown(cleanup);
  const path = join(dir, 'a.mmstats');
  const fixture = (name: string) => validFixtures('v1/python-0.8.0').find((f) => f.name === name)!;
  copyFileSync(fixture('thread-0').path, path);
  const source = new StatsSource({ targets: [path], rescanMs: 3_600_000 });
  t.teardown(() => source.close());
  const labels = async (): Promise<string[]> => {
    const [result] = await source.read();
    if (!result?.ok) throw new Error('not read');
    return result.snapshot.fields.map((field) => field.label);
  };
  t.deepEqual(await labels(), fixture('thread-0').fields.map((f) => f.label));
  const inode = statSync(path).ino;
  writeFileSync(path, readFileSync(fixture('many-fields').path));
  t.is(statSync(path).ino, inode, 'the same file, only its size and layout changed');
  t.deepEqual(await labels(), fixture('many-fields').fields.map((f) => f.label));
});

test('a read slower than the archive retention every time says so for the archive it counts (MMSTATS-E106)', async (t) => {
  const { dir, cleanup } = tempDir();
  t.teardown(cleanup);
  const Model = defineModel({ requests: counter() }, { system: false });
  const gone = Model.open({ path: dir, filename: 'gone.mmstats' });
  gone.requests.incr(2);
  const archive = foldIntoArchive(dir, undefined, [{ path: gone.path, bytes: readFileSync(gone.path) }]).archive!.path;
  gone.remove();
  const live = Model.open({ path: dir, filename: 'live.mmstats' });
  t.teardown(() => live.remove());
  let now = 0;
  // Every read of the files takes 61 s on this clock: one more than the folded list's retention.
  const source = new StatsSource({ targets: [dir], clock: () => (now += 61_000) });
  t.teardown(() => source.close());
  const results = (await source.read()).map((r) => [r.path, r.ok ? 'ok' : r.error.code]);
  t.deepEqual(results.filter(([, code]) => code !== 'ok'), [[archive, ErrorCodes.READ_TOO_SLOW]]);
  t.deepEqual(results.filter(([, code]) => code === 'ok').map(([path]) => path).sort(), [archive, live.path].sort(), 'the answer is still given');
});
