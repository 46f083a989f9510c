import test from 'ava';
import { fixtureBytes, invalidFixtures, validFixtures, validGroups } from '@mmstats/fixtures';
import { decodeV1 } from './decode.js';
import { parseV1Layout } from './layout.js';
import { toJsonValue } from '../expected-json.js';

for (const group of validGroups) {
  for (const fixture of validFixtures(group)) {
    test(`${group}/${fixture.name} decodes to its expected JSON`, (t) => {
      const bytes = fixtureBytes(fixture);
      t.is(bytes.length, fixture.fileSize);
      const decoded = decodeV1(bytes);
      if (!decoded.ok) return t.fail(decoded.error.message);
      const got = decoded.value.fields.map((field) => ({
        offset: field.offset,
        label: field.label,
        type: field.type,
        write_buffer: field.writeBuffer,
        value_offset: field.valueOffset,
        size: field.size,
        value: toJsonValue(field.value),
      }));
      t.deepEqual(got, [...fixture.fields]);
    });
  }
}

// The v2 cases (v2-*) are decodeStats's and decodeV2's: ../decode-stats.test.ts.
for (const fixture of invalidFixtures(1)) {
  test(`invalid/${fixture.name} is rejected with ${fixture.error}`, (t) => {
    const decoded = decodeV1(fixtureBytes(fixture));
    if (decoded.ok) return t.fail(`decoded ${decoded.value.fields.length} fields: ${fixture.description}`);
    t.is(decoded.error.code as string, fixture.error, decoded.error.message);
    t.regex(decoded.error.message, /^MMSTATS-E\d{3} .+/);
    // Every error about bytes says where they are, except an empty file, which has none.
    if (fixture.error === 'MMSTATS-E001') t.is(decoded.error.offset, undefined);
    else t.true(decoded.error.offset !== undefined && decoded.error.offset >= 0 && decoded.error.offset <= fixtureBytes(fixture).length);
  });
}

test('64-bit integers decode as exact bigints over their whole range', (t) => {
  const [fixture] = validFixtures('v1/python-0.8.0').filter((f) => f.name === 'all-types');
  const decoded = decodeV1(fixtureBytes(fixture!));
  if (!decoded.ok) return t.fail(decoded.error.message);
  const byLabel = new Map(decoded.value.fields.map((f) => [f.label, f.value]));
  t.is(byLabel.get('u64'), 18446744073709551615n);
  t.is(byLabel.get('su64'), 9223372036854775813n);
  t.is(byLabel.get('si64'), -1099511627776n);
  t.is(byLabel.get('counter'), 42n);
  t.is(byLabel.get('u32'), 4294967196);
  t.is(byLabel.get('flag'), true);
  t.is(byLabel.get('text'), 'héllo wörld, t');
});

test('a decoded file is a snapshot: later changes to the bytes do not change it', (t) => {
  const [fixture] = validFixtures('v1/python-0.8.0').filter((f) => f.name === 'webstats');
  const bytes = fixtureBytes(fixture!);
  const decoded = decodeV1(bytes);
  if (!decoded.ok) return t.fail(decoded.error.message);
  bytes.fill(0xee, 1);
  t.is(decoded.value.fields[0]?.value, 17n);
});

test('a decoded field has its layout\'s keys in order, then writeBuffer and value (JSON text depends on it)', (t) => {
  const bytes = fixtureBytes(validFixtures('v1/ts')[0]!);
  const layout = parseV1Layout(bytes);
  const decoded = decodeV1(bytes);
  if (!layout.ok || !decoded.ok) return t.fail();
  t.deepEqual(Object.keys(decoded.value.fields[0]!), [...Object.keys(layout.value.fields[0]!), 'writeBuffer', 'value']);
});
