import test from 'ava';
import { closeSync, openSync, readFileSync, renameSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, statsBytes, writeV1Value, type MmstatsError, type V1FieldLayout, type Value } from '@mmstats/format';
import { invalidFixtures, validFixtures, validGroups, validV2Fixtures } from '@mmstats/fixtures';
import { LiveStatsFile } from './live-stats-file.js';
import { mapShared } from './raw-writer.test.util.js';
import type { FieldValue } from './fields.js';
import { asExpected, asJson as toJsonValue, copyFixture, tempDir, v1Fixture, v1Fields } from './test-support.js';

const allTypes = v1Fixture('all-types');
const webstats = v1Fixture('webstats');

/** Writes `value` into `field` of the file at `path` as a writer would (double-buffer rule), with plain file writes. */
function writeValue(path: string, field: V1FieldLayout, value: Value): void {
  const bytes = new Uint8Array(readFileSync(path));
  writeV1Value(statsBytes(bytes), field, value);
  const fd = openSync(path, 'r+');
  try {
    // The write-buffer byte and the buffers: everything a value update changes.
    const end = field.offset + field.size;
    writeSync(fd, bytes, field.writeBufferOffset, end - field.writeBufferOffset, field.writeBufferOffset);
  } finally {
    closeSync(fd);
  }
}

function fieldNamed(live: LiveStatsFile, label: string): V1FieldLayout {
  return v1Fields(live).find((f) => f.label === label)!;
}

for (const group of validGroups) {
  for (const fixture of validFixtures(group)) {
    test(`${group}/${fixture.name} reads live as its expected JSON`, (t) => {
      const live = LiveStatsFile.open(fixture.path);
      t.teardown(() => live.close());
      t.deepEqual(asExpected(fixture, live.snapshot().fields), [...fixture.fields]);
      t.deepEqual(live.readAll().map(toJsonValue), fixture.fields.map((f) => f.value));
      t.deepEqual(live.fields.map((f) => toJsonValue(live.read(f))), fixture.fields.map((f) => f.value));
    });
  }
}

for (const fixture of invalidFixtures()) {
  test(`invalid/${fixture.name}: open throws ${fixture.error} naming the file`, (t) => {
    const error = t.throws<MmstatsError>(() => LiveStatsFile.open(fixture.path));
    t.is(error.code as string, fixture.error);
    t.is(error.path, fixture.path);
  });
}

test('open of a missing file throws NOT_FOUND with its path', (t) => {
  const path = join(tempDir(t), 'nope.mmstats');
  const error = t.throws<MmstatsError>(() => LiveStatsFile.open(path));
  t.is(error.code, ErrorCodes.NOT_FOUND);
  t.is(error.path, path);
});

test(`sees values a writer changes, buffered and unbuffered`, (t) => {
  const path = copyFixture(allTypes, tempDir(t));
  const live = LiveStatsFile.open(path);
  t.teardown(() => live.close());
  const counter = fieldNamed(live, 'counter'); // buffered Q
  const text = fieldNamed(live, 'text'); // unbuffered 16s
  t.is(live.read(counter), 42n);

  writeValue(path, counter, 43n);
  writeValue(path, text, 'changed');

  t.is(live.read(counter), 43n);
  t.is(live.read(text), 'changed');
  const values = live.readAll();
  t.is(values[live.fields.indexOf(counter)], 43n);
  t.is(live.snapshot().fields.find((f) => f.label === 'text')?.value, 'changed');
  // Writing values neither replaces nor resizes the file.
  t.false(live.hasBeenReplaced());
});

test('a writer\'s shared mapping is seen by the live view without any file write', (t) => {
  const path = copyFixture(webstats, tempDir(t));
  const fd = openSync(path, 'r+');
  t.teardown(() => closeSync(fd));
  const writer = statsBytes(mapShared(fd, webstats.fileSize));
  const live = LiveStatsFile.open(path);
  t.teardown(() => live.close());
  const values: (FieldValue | undefined)[] = [];
  for (let i = 1; i <= 3; i++) {
    for (const field of v1Fields(live)) if (field.valueType.kind === 'uint') writeV1Value(writer, field, BigInt(i * 1000) as Value);
    live.readAll(values);
    const counters = v1Fields(live).flatMap((f, k) => (f.valueType.kind === 'uint' ? [values[k]] : []));
    t.true(counters.length > 0);
    t.true(counters.every((v) => v === BigInt(i * 1000) || v === i * 1000), `round ${i}: ${counters.join(',')}`);
  }
});

test('readAll reuses and resizes the array it is given', (t) => {
  const live = LiveStatsFile.open(allTypes.path);
  t.teardown(() => live.close());
  const into: (FieldValue | undefined)[] = ['stale', 'stale'];
  const first = live.readAll(into);
  t.is(first, into);
  t.is(into.length, allTypes.fields.length);
  t.is(live.readAll(into), into);
  t.deepEqual(into.map(toJsonValue), allTypes.fields.map((f) => f.value));
});

test('notices a file renamed over it: reads refuse the new file until reopen() reads it', (t) => {
  const dir = tempDir(t);
  const path = copyFixture(allTypes, dir, 'app.mmstats');
  const live = LiveStatsFile.open(path);
  t.teardown(() => live.close());
  t.false(live.hasBeenReplaced());

  // A restarted writer makes a new file and renames it into place.
  const next = copyFixture(webstats, dir, 'app.mmstats.new');
  renameSync(next, path);

  t.true(live.hasBeenReplaced());
  // The view holds no descriptor: it never reads the new file's bytes with the old layout.
  t.throws(() => live.readAll(), { code: ErrorCodes.FILE_CHANGED });
  live.reopen();
  t.false(live.hasBeenReplaced());
  t.deepEqual(live.fields.map((f) => f.label), webstats.fields.map((f) => f.label));
  t.deepEqual(live.readAll().map(toJsonValue), webstats.fields.map((f) => f.value));
});

test('a file truncated under the view is FILE_CHANGED, never a crash; one cut after its fields reads on', (t) => {
  const path = copyFixture(allTypes, tempDir(t));
  const live = LiveStatsFile.open(path);
  t.teardown(() => live.close());

  truncateSync(path, 100); // cuts the 4th field
  t.true(live.hasBeenReplaced());
  const error = t.throws<MmstatsError>(() => live.readAll());
  t.is(error.code, ErrorCodes.FILE_CHANGED);
  t.is(error.path, path);
  t.regex(error.message, /shrank/);
  t.throws(() => live.snapshot(), { code: ErrorCodes.FILE_CHANGED });

  // Re-parsing the cut file gives its format error, and the old view stays guarded.
  t.throws(() => live.reopen(), { code: ErrorCodes.TRUNCATED_RECORD });
  truncateSync(path, 0);
  t.throws(() => live.reopen(), { code: ErrorCodes.EMPTY_FILE });

  writeFileSync(path, readFileSync(allTypes.path));
  live.reopen();
  t.false(live.hasBeenReplaced());
  t.is(live.readAll().length, allTypes.fields.length);

  truncateSync(path, allTypes.fileSize - 1); // past the last field: nothing read is lost
  t.true(live.hasBeenReplaced());
  t.is(live.readAll().length, allTypes.fields.length);
});

test('a grown file counts as replaced but reads on; a deleted file is NOT_FOUND', (t) => {
  const path = copyFixture(allTypes, tempDir(t));
  const live = LiveStatsFile.open(path);
  t.teardown(() => live.close());
  writeFileSync(path, new Uint8Array(4096), { flag: 'a' });
  t.true(live.hasBeenReplaced());
  t.is(live.readAll().length, allTypes.fields.length);
  live.reopen();
  t.false(live.hasBeenReplaced());
  unlinkSync(path);
  t.true(live.hasBeenReplaced());
  t.throws(() => live.readAll(), { code: ErrorCodes.NOT_FOUND });
  t.throws(() => live.reopen(), { code: ErrorCodes.NOT_FOUND });
});

test('snapshotOrReopen follows the path: a v1 file rewritten in place with another layout, a v2 file replaced; an unchanged one is not reopened', (t) => {
  const dir = tempDir(t);
  const path = copyFixture(allTypes, dir);
  const live = LiveStatsFile.open(path);
  t.teardown(() => live.close());
  t.is(live.snapshotOrReopen().fields.length, allTypes.fields.length);
  t.is(live.reopens, 0);
  // Same inode, another size and layout, as a restarted Python writer leaves it. (v1 has no
  // file_id: a rewrite to another layout of the same size cannot be told from the bytes' size.)
  const many = validFixtures('v1/python-0.8.0').find((f) => f.name === 'many-fields')!;
  writeFileSync(path, readFileSync(many.path));
  t.deepEqual(live.snapshotOrReopen().fields.map((f) => f.label), many.fields.map((f) => f.label));
  t.is(live.reopens, 1);
  // A v2 file renamed over the path: the read itself finds another inode, and the view follows.
  const v2 = validV2Fixtures('v2/ts').find((f) => f.name === 'all-kinds')!;
  renameSync(copyFixture(v2, dir, 'next'), path);
  t.is(live.snapshotOrReopen().version, 2);
  t.is(live.reopens, 2);
  t.is(live.snapshotOrReopen().version, 2);
  t.is(live.reopens, 2, 'nothing changed: not reopened');
  unlinkSync(path);
  t.throws(() => live.snapshotOrReopen(), { code: ErrorCodes.NOT_FOUND });
});

test('close() ends reading; calling it twice is fine; reopen() opens again', (t) => {
  const live = LiveStatsFile.open(allTypes.path);
  live.close();
  live.close();
  t.true(live.hasBeenReplaced());
  t.throws(() => live.readAll(), { code: ErrorCodes.READ_FAILED });
  t.throws(() => live.read(live.fields[0]!), { code: ErrorCodes.READ_FAILED });
  t.is(live.fields.length, allTypes.fields.length);
  live.reopen();
  t.is(live.read(live.fields[0]!), 42n);
  live.close();
});
