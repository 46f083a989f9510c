import test from 'ava';
import { fixtureBytes, invalidFixtures, validFixtures, validV2Fixtures, validV2Groups } from '@mmstats/fixtures';
import { decodeStats, decodeV2 } from './decode-v2.js';
import { ErrorCodes } from './errors.js';
import { toJsonV2File } from './expected-json.js';

for (const group of validV2Groups) {
  for (const fixture of validV2Fixtures(group)) {
    test(`${group}/${fixture.name} decodes to its expected JSON`, (t) => {
      const bytes = fixtureBytes(fixture);
      t.is(bytes.length, fixture.json.file_size);
      const decoded = decodeV2(bytes);
      if (!decoded.ok) return t.fail(decoded.error.message);
      const json = toJsonV2File(decoded.value, { producer: fixture.json.producer, note: fixture.json.note, fileSize: bytes.length });
      t.deepEqual(JSON.parse(JSON.stringify(json)), fixture.json);
    });
  }
}

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

test('a record whose value never settles carries E014; the others read as usual', (t) => {
  const fixture = validV2Fixtures('v2/edge').find((f) => f.name === 'stuck-seq')!;
  const decoded = decodeV2(fixtureBytes(fixture));
  if (!decoded.ok) return t.fail(decoded.error.message);
  const [stuck, counter] = decoded.value.records;
  t.is(stuck?.error?.code, ErrorCodes.VALUE_UNSTABLE);
  t.is(stuck?.value, undefined);
  t.is(counter?.value, 3);
});

test('unknown encodings are skipped and unknown kinds read as gauges, each with a notice', (t) => {
  const [fixture] = validV2Fixtures('v2/future');
  const decoded = decodeV2(fixtureBytes(fixture!));
  if (!decoded.ok) return t.fail(decoded.error.message);
  t.is(decoded.value.header.minor, 2);
  t.is(decoded.value.header.headerSize, 136);
  t.deepEqual(decoded.value.records.map((r) => r.label), ['requests', 'new.kind', 'version']);
  t.deepEqual(decoded.value.notices.map((n) => n.code), ['MMSTATS-W001', 'MMSTATS-W002']);
});

test('bytes that do not start 8-byte aligned are copied, not misread', (t) => {
  const original = fixtureBytes(validV2Fixtures('v2/ts').find((f) => f.name === 'all-kinds')!);
  const shifted = new Uint8Array(original.length + 3).subarray(3);
  shifted.set(original);
  const a = decodeV2(original);
  const b = decodeV2(shifted);
  if (!a.ok || !b.ok) return t.fail();
  t.deepEqual(b.value.records.map((r) => r.value), a.value.records.map((r) => r.value));
});
