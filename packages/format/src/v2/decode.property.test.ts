// Property tests: whatever the bytes, the v2 decoder returns a file or a coded error. It never
// throws anything else and never hangs (every record advances by its size, at least 48 bytes,
// and a value that never settles costs a bounded number of tries).
import test from 'ava';
import fc from 'fast-check';
import { fixtureBytes, validV2Fixtures, validV2Groups } from '@mmstats/fixtures';
import { decodeV2 } from './decode.js';
import { isCodedError, mutatedFiles } from '../common/decode.test.util.js';
import { ErrorCodes } from '../common/errors.js';

function assertWellBehaved(bytes: Uint8Array): boolean {
  const result = decodeV2(bytes);
  if (!result.ok) return isCodedError(result.error);
  const { header, records } = result.value;
  // Records lie inside capacity, in order, without overlap.
  let at = header.headerSize;
  for (const record of records) {
    if (record.offset < at || record.offset + record.size > header.capacity) return false;
    if (record.valueOffset + record.valueSize > record.offset + record.size) return false;
    if (record.error !== undefined && record.error.code !== ErrorCodes.VALUE_UNSTABLE && record.error.code !== ErrorCodes.BAD_RECORD) return false;
    at = record.offset + record.size;
  }
  return true;
}

const header = (capacity: number): number[] => {
  const h = new Uint8Array(128);
  const view = new DataView(h.buffer);
  h.set([2, 0x6d, 0x6d, 0x73, 0x74, 0x61, 0x74, 0x73, 1, 0]);
  view.setUint16(10, 128, true);
  view.setUint32(12, 1, true);
  view.setUint32(16, capacity, true);
  view.setBigUint64(32, 1n, true);
  return [...h];
};

test('random bodies behind a good header decode to records or a coded error', (t) => {
  t.notThrows(() => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1024 }), (body) => {
        const capacity = 128 + Math.floor(body.length / 8) * 8;
        return assertWellBehaved(Uint8Array.from([...header(capacity), ...body]));
      }),
      { numRuns: 3000 },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), assertWellBehaved), { numRuns: 2000 });
  });
});

const seeds = validV2Groups.flatMap((group) => validV2Fixtures(group)).map((fixture) => fixtureBytes(fixture));

test('mutated v2 files decode to records or a coded error', (t) => {
  // Mutate the header and the first records, where the structure is; cut anywhere.
  t.notThrows(() => fc.assert(
    fc.property(mutatedFiles(seeds, 1200, 'anywhere'), assertWellBehaved),
    { numRuns: 3000 },
  ));
});

test('a file of 1 MiB of minimal records decodes completely', (t) => {
  // Worst case for the walk: 56-byte records (48 fixed bytes, a 1-byte label, an f64 value... padded to 64).
  const capacity = 1 << 20;
  const bytes = new Uint8Array(capacity);
  bytes.set(header(capacity));
  const view = new DataView(bytes.buffer);
  let count = 0;
  for (let at = 128; at + 64 <= capacity; at += 64, count++) {
    view.setUint32(at, 1, true);
    view.setUint32(at + 4, 64, true);
    view.setUint16(at + 8, 1, true);
    bytes[at + 10] = 1;
    view.setUint32(at + 12, 56, true);
    view.setUint32(at + 16, 8, true);
    view.setUint16(at + 20, 1, true);
    bytes[at + 48] = 0x61;
  }
  const result = decodeV2(bytes);
  if (!result.ok) return t.fail(result.error.message);
  t.is(result.value.records.length, count);
});
