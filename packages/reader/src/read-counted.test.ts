import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, writeV2Scalar } from '@mmstats/format';
import { foldIntoArchive } from './fold.js';
import { createV2File } from './raw-writer.test.util.js';
import { readCounted } from './read-counted.js';
import { tempDir } from './test-support.js';

/** A file of the unnamed service whose counter `requests` counted `count`. */
function counterFile(dir: string, name: string, count: number): string {
  const path = join(dir, name);
  const raw = createV2File(path, 4096, [{ label: 'requests', kind: 'counter' }]);
  writeV2Scalar(raw.file, raw.records.get('requests')!, count);
  return path;
}

/** A clock on which every read of the files takes 61 s, one more than an archive's retention. */
function slowClock(): () => number {
  let now = 0;
  return () => (now += 61_000);
}

test('a read that stays slower than the retention in every try says so for each archive it counts (MMSTATS-E106)', async (t) => {
  const dir = tempDir(t);
  const gone = counterFile(dir, 'gone.mmstats', 2);
  const archive = foldIntoArchive(dir, undefined, [{ path: gone, bytes: readFileSync(gone) }]).archive!.path;
  counterFile(dir, 'live.mmstats', 3);
  const read = await readCounted([dir], { clock: slowClock() });
  t.deepEqual(read.errors.map((e) => [e.path, e.code]), [[archive, ErrorCodes.READ_TOO_SLOW]]);
  t.regex(read.errors[0]!.message, /read 61 s after the other files of its directory, over the 60 s its folded list keeps a removed file/);
  t.is(read.snapshots.length, 2, 'the answer is still given: the live file and the archive (gone.mmstats is folded in it)');
});

test('a slow read without an archive misses nothing and says nothing', async (t) => {
  const dir = tempDir(t);
  counterFile(dir, 'live.mmstats', 3);
  const read = await readCounted([dir], { clock: slowClock() });
  t.deepEqual(read.errors, []);
  t.is(read.snapshots.length, 1);
});
