import test from 'ava';
import { fixtureBytes, validV2Fixtures, validV2Groups } from '@mmstats/fixtures';
import { decodeV2 } from './decode.js';
import { parseV2Header } from './header.js';
import { walkV2Records } from './records.js';
import { alignedBytes, statsBytesV2 } from './views.js';
import { ErrorCodes } from '../common/errors.js';
import { toJsonV2File } from '../expected-json.js';

// The invalid files and telling versions apart are decodeStats's: ../decode-stats.test.ts.
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
  t.is(decoded.value.header.minor, 3);
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

test('a decoded record has its layout\'s keys in order, then value or error (JSON text depends on it)', (t) => {
  const bytes = fixtureBytes(validV2Fixtures('v2/edge').find((f) => f.name === 'stuck-seq')!);
  const header = parseV2Header(bytes);
  if (!header.ok) return t.fail();
  const walk = walkV2Records(statsBytesV2(alignedBytes(bytes)), header.value);
  const decoded = decodeV2(bytes);
  if (!walk.ok || !decoded.ok) return t.fail();
  const layoutKeys = Object.keys(walk.value.records[0]!);
  t.deepEqual(decoded.value.records.map((r) => Object.keys(r)), [[...layoutKeys, 'error'], [...layoutKeys, 'value']]);
});
