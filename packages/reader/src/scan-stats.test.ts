import test from 'ava';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes } from '@mmstats/format';
import { invalidFixtures, validFixtures } from '@mmstats/fixtures';
import { scanStats } from './scan-stats.js';
import { tempDir } from './test-support.js';

test('a scan yields every good file and reports every bad one, in the order given', (t) => {
  const dir = tempDir(t);
  const missing = join(dir, 'missing.mmstats');
  const directory = join(dir, 'dir.mmstats');
  mkdirSync(directory);
  const good = validFixtures('v1/python-0.8.0');
  const bad = invalidFixtures();
  const paths = [good[0]!.path, missing, bad[0]!.path, good[1]!.path, directory, ...bad.slice(1).map((f) => f.path), good[2]!.path];

  const results = [...scanStats(paths)];

  t.deepEqual(results.map((r) => r.path), paths);
  const ok = results.flatMap((r) => (r.ok ? [r] : []));
  t.deepEqual(ok.map((r) => r.path), [good[0]!.path, good[1]!.path, good[2]!.path]);
  t.is(ok[1]!.snapshot.fields.length, good[1]!.fields.length);
  const failed = new Map(results.flatMap((r) => (r.ok ? [] : [[r.path, r.error] as const])));
  t.is(failed.size, 2 + bad.length);
  t.is(failed.get(missing)?.code, ErrorCodes.NOT_FOUND);
  t.is(failed.get(directory)?.code, ErrorCodes.NOT_A_FILE);
  for (const fixture of bad) {
    t.is(failed.get(fixture.path)?.code as string | undefined, fixture.error, fixture.name);
    t.is(failed.get(fixture.path)?.path, fixture.path);
  }
});

test('a scan is lazy: nothing is read until its result is asked for', (t) => {
  const dir = tempDir(t);
  const read: string[] = [];
  function* paths(): Generator<string> {
    for (const name of ['a.mmstats', 'b.mmstats']) {
      read.push(name);
      yield join(dir, name);
    }
  }
  const scan = scanStats(paths());
  t.deepEqual(read, []);
  const first = scan.next();
  t.deepEqual(read, ['a.mmstats']);
  t.false(!first.done && first.value.ok);
});

test('an empty list of paths yields nothing', (t) => {
  t.deepEqual([...scanStats([])], []);
});
