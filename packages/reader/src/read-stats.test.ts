import test from 'ava';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, isMmstatsError, type MmstatsError } from '@mmstats/format';
import { invalidFixtures, validFixtures, validGroups } from '@mmstats/fixtures';
import { readStats } from './read-stats.js';
import { asExpected, tempDir, v1Fixture } from './test-support.js';

for (const group of validGroups) {
  for (const fixture of validFixtures(group)) {
    test(`${group}/${fixture.name} reads as its expected JSON`, (t) => {
      const snapshot = readStats(fixture.path);
      t.is(snapshot.path, fixture.path);
      t.is(snapshot.version, 1);
      t.deepEqual(asExpected(fixture, snapshot.fields), [...fixture.fields]);
    });
  }
}

for (const fixture of invalidFixtures()) {
  test(`invalid/${fixture.name} throws ${fixture.error} naming the file`, (t) => {
    const error = t.throws<MmstatsError>(() => readStats(fixture.path));
    t.true(isMmstatsError(error));
    t.is(error.code as string, fixture.error, error.message);
    t.is(error.path, fixture.path);
    t.true(error.message.startsWith(`${fixture.path}: ${fixture.error} `), error.message);
  });
}

test('values are typed: bigint for 64-bit integers, number, boolean, string', (t) => {
  const fixture = v1Fixture('all-types');
  const values = new Map(readStats(fixture.path).fields.map((f) => [f.label, f.value]));
  t.is(values.get('counter'), 42n);
  t.is(values.get('u64'), 18446744073709551615n);
  t.is(values.get('u32'), 4294967196);
  t.is(values.get('flag'), true);
  t.is(values.get('text'), 'héllo wörld, t');
});

test('a missing file throws NOT_FOUND with its path', (t) => {
  const path = join(tempDir(t), 'gone.mmstats');
  const error = t.throws<MmstatsError>(() => readStats(path));
  t.is(error.code, ErrorCodes.NOT_FOUND);
  t.is(error.path, path);
});

test('a path through a file (ENOTDIR) is NOT_FOUND too', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'file'), 'x');
  const error = t.throws<MmstatsError>(() => readStats(join(dir, 'file', 'a.mmstats')));
  t.is(error.code, ErrorCodes.NOT_FOUND);
});

test('a directory throws NOT_A_FILE', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'stats.mmstats'));
  const error = t.throws<MmstatsError>(() => readStats(join(dir, 'stats.mmstats')));
  t.is(error.code, ErrorCodes.NOT_A_FILE);
  t.regex(error.message, /is a directory/);
});

test('a device throws NOT_A_FILE without being read', (t) => {
  // /dev/zero would map and read as endless zeros; it must be refused from its stat.
  const error = t.throws<MmstatsError>(() => readStats('/dev/zero'));
  t.is(error.code, ErrorCodes.NOT_A_FILE);
  t.is(error.path, '/dev/zero');
});

test('a symbolic link loop throws READ_FAILED carrying the system error as cause', (t) => {
  const dir = tempDir(t);
  symlinkSync(join(dir, 'b'), join(dir, 'a'));
  symlinkSync(join(dir, 'a'), join(dir, 'b'));
  const error = t.throws<MmstatsError>(() => readStats(join(dir, 'a')));
  t.is(error.code, ErrorCodes.READ_FAILED);
  t.is((error.cause as NodeJS.ErrnoException).code, 'ELOOP');
});

const root = process.getuid?.() === 0;
(root ? test.skip : test)('an unreadable file throws READ_FAILED (EACCES) — skipped as root, who can read anything', (t) => {
  const path = join(tempDir(t), 'secret.mmstats');
  writeFileSync(path, new Uint8Array([1]));
  chmodSync(path, 0o000);
  const error = t.throws<MmstatsError>(() => readStats(path));
  t.is(error.code, ErrorCodes.READ_FAILED);
  t.is((error.cause as NodeJS.ErrnoException).code, 'EACCES');
});

test('a symbolic link to a stats file is read through', (t) => {
  const [fixture] = validFixtures('v1/python-0.8.0');
  const link = join(tempDir(t), 'link.mmstats');
  symlinkSync(fixture!.path, link);
  const snapshot = readStats(link);
  t.is(snapshot.path, link);
  t.is(snapshot.fields.length, fixture!.fields.length);
});

test('an empty file throws EMPTY_FILE', (t) => {
  const path = join(tempDir(t), 'empty.mmstats');
  writeFileSync(path, '');
  const error = t.throws<MmstatsError>(() => readStats(path));
  t.is(error.code, ErrorCodes.EMPTY_FILE);
});

test('a FIFO throws NOT_A_FILE at once instead of waiting for a writer', (t) => {
  const path = join(tempDir(t), 'pipe.mmstats');
  execFileSync('mkfifo', [path]);
  const error = t.throws<MmstatsError>(() => readStats(path));
  t.is(error.code, ErrorCodes.NOT_A_FILE);
  t.regex(error.message, /FIFO/);
});
