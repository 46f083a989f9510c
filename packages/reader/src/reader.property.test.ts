import test from 'ava';
import fc from 'fast-check';
import { ftruncateSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMmstatsError, type Value } from '@mmstats/format';
import { fixtureBytes, validFixtures, validV2Fixtures, validV2Groups } from '@mmstats/fixtures';
import { LiveStatsFile } from './live-stats-file.js';
import { readStats } from './read-stats.js';
import { tempDir } from './test-support.js';

const fixtures = validFixtures('v1/python-0.8.0');

/** The bytes of `fixture` with `edits` (offset, byte; offsets wrap) applied and, unless `cut` is null, cut short. */
function edited(fixture: { path: string }, edits: readonly (readonly [number, number])[], cut: number | null): Uint8Array {
  const bytes = fixtureBytes(fixture);
  for (const [at, byte] of edits) bytes[at % bytes.length] = byte;
  return cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
}

/** `true` for what a reader may throw for a bad file: a format error (`MMSTATS-E0xx`) naming `path`. */
function isFormatErrorOf(error: unknown, path: string): boolean {
  return isMmstatsError(error) && error.path === path && /^MMSTATS-E0\d\d$/.test(error.code);
}

/** Random files and fixtures with a few bytes changed and/or cut short. */
const fileBytes = fc.oneof(
  fc.uint8Array({ maxLength: 600 }),
  fc.uint8Array({ maxLength: 64 }).map((tail) => Uint8Array.of(1, ...tail)),
  fc
    .record({
      fixture: fc.constantFrom(...fixtures),
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      cut: fc.option(fc.nat()),
    })
    .map(({ fixture, edits, cut }) => edited(fixture, edits, cut)),
);

test('any file content reads as fields or throws a coded error naming the file ', (t) => {
  const path = join(tempDir(t), 'fuzz.mmstats');
  let decoded = 0;
  fc.assert(
    fc.property(fileBytes, (bytes) => {
      writeFileSync(path, bytes);
      try {
        const snapshot = readStats(path);
        decoded++;
        return snapshot.fields.every((f) => f.layout.offset + f.layout.size <= bytes.length);
      } catch (error) {
        return isFormatErrorOf(error, path);
      }
    }),
    { numRuns: 1500 },
  );
  // The generator must reach the decoding path, not only the errors.
  t.true(decoded > 50, `decoded ${decoded}`);
});

test('a live view survives its file being cut to any length, then reads again once reopened', (t) => {
  const path = join(tempDir(t), 'live.mmstats');
  const outcomes = { read: 0, refused: 0 };
  fc.assert(
    fc.property(fc.constantFrom(...fixtures), fc.nat(), (fixture, cut) => {
      writeFileSync(path, fixtureBytes(fixture));
      const live = LiveStatsFile.open(path);
      try {
        const length = cut % fixture.fileSize;
        const fd = openSync(path, 'r+');
        ftruncateSync(fd, length);
        closeSync(fd);
        const values: Value[] = [];
        let readable = true;
        try {
          live.readAll(values);
        } catch (error) {
          if (!isMmstatsError(error)) throw error;
          readable = false;
        }
        // A view refuses a file cut into its fields (FILE_CHANGED), and reads one cut after them.
        const fieldsEnd = Math.max(1, ...live.fields.map((f) => f.offset + f.size));
        if (readable !== length >= fieldsEnd) return false;
        outcomes[readable ? 'read' : 'refused']++;
        writeFileSync(path, fixtureBytes(fixture));
        live.reopen();
        return live.readAll(values).length === fixture.fields.length;
      } finally {
        live.close();
      }
    }),
    { numRuns: 300 },
  );
  // Both outcomes must have been exercised for the property to mean anything.
  t.true(outcomes.read > 0 && outcomes.refused > 0, JSON.stringify(outcomes));
});

const v2Fixtures = validV2Groups.flatMap((group) => validV2Fixtures(group));

/** v2 fixtures with a few bytes changed (mostly in the header and the first records) and/or cut short. */
const v2FileBytes = fc
  .record({
    fixture: fc.constantFrom(...v2Fixtures),
    edits: fc.array(fc.tuple(fc.oneof(fc.nat({ max: 400 }), fc.nat()), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    cut: fc.option(fc.nat(), { freq: 4 }),
  })
  .map(({ fixture, edits, cut }) => edited(fixture, edits, cut));

test('any changed v2 file reads as fields (each with a value or its own error) or throws a coded error', (t) => {
  const path = join(tempDir(t), 'fuzz-v2.mmstats');
  let decoded = 0;
  fc.assert(
    fc.property(v2FileBytes, (bytes) => {
      writeFileSync(path, bytes);
      try {
        const snapshot = readStats(path);
        decoded++;
        return snapshot.fields.every((f) =>
          f.layout.offset + f.layout.size <= bytes.length && (f.error === undefined) === (f.value !== undefined) && (f.error === undefined || f.error.path === path));
      } catch (error) {
        return isFormatErrorOf(error, path);
      }
    }),
    { numRuns: 600 },
  );
  t.true(decoded > 50, `decoded ${decoded}`);
});
