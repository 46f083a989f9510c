import test from 'ava';
import fc from 'fast-check';
import { fixtureBytes, invalidFixtures, validFixtures, validGroups, validV2Fixtures, validV2Groups } from '@mmstats/fixtures';
import { isCodedError, mutatedFiles } from './common/decode.test.util.js';
import { ErrorCodes } from './common/errors.js';
import { decodeStats } from './decode-stats.js';
import { decodeV1 } from './v1/decode.js';
import { decodeV2 } from './v2/decode.js';

for (const fixture of invalidFixtures()) {
  test(`invalid/${fixture.name} is rejected by decodeStats with ${fixture.error}`, (t) => {
    const bytes = fixtureBytes(fixture);
    const decoded = decodeStats(bytes);
    if (decoded.ok) return t.fail(`decoded: ${fixture.description}`);
    t.is(decoded.error.code as string, fixture.error, decoded.error.message);
    if (fixture.version === 2) {
      const v2 = decodeV2(bytes);
      t.false(v2.ok);
      if (!v2.ok) t.is(v2.error.code as string, fixture.error, 'decodeV2 gives the same code');
      t.true(decoded.error.offset !== undefined && decoded.error.offset <= bytes.length, decoded.error.message);
    }
  });
}

test('decodeStats tells the versions apart by the first byte', (t) => {
  const v1 = decodeStats(fixtureBytes(validFixtures('v1/python-0.8.0')[0]!));
  const v2 = decodeStats(fixtureBytes(validV2Fixtures('v2/ts')[0]!));
  t.true(v1.ok && v1.value.version === 1);
  t.true(v2.ok && v2.value.version === 2);
  if (v2.ok && v2.value.version === 2) t.true(v2.value.records.length > 0);
});

test('a file from a future major version is E002 naming that version', (t) => {
  const fixture = invalidFixtures(2).find((f) => f.name === 'v2-future-major')!;
  const decoded = decodeStats(fixtureBytes(fixture));
  if (decoded.ok) return t.fail();
  t.is(decoded.error.code, ErrorCodes.UNSUPPORTED_VERSION);
  t.regex(decoded.error.message, /future version 3/);
});

/** `decodeStats` gives what the decoder of the file's version gives: the same success, or the same code. */
function dispatchesByVersion(bytes: Uint8Array): boolean {
  const any = decodeStats(bytes);
  const own = bytes[0] === 1 ? decodeV1(bytes) : decodeV2(bytes);
  if (any.ok || own.ok) return any.ok && own.ok && any.value.version === own.value.version;
  return isCodedError(any.error) && any.error.code === own.error.code;
}

const seeds = [
  ...validGroups.flatMap((group) => validFixtures(group)),
  ...validV2Groups.flatMap((group) => validV2Fixtures(group)),
].map((fixture) => fixtureBytes(fixture));

test('random and mutated files decode as their version\'s decoder decodes them', (t) => {
  t.notThrows(() => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), dispatchesByVersion), { numRuns: 2000 });
    fc.assert(fc.property(mutatedFiles(seeds, 1200, 'anywhere'), dispatchesByVersion), { numRuns: 3000 });
  });
});
