// Property tests: whatever the bytes, the decoder returns fields or a coded error. It never
// throws anything else and never hangs (each record consumes at least 5 bytes).
import test from 'ava';
import fc from 'fast-check';
import { fixtureBytes, validFixtures } from '@mmstats/fixtures';
import { decodeV1 } from './decode.js';
import { isCodedError, mutatedFiles } from '../common/decode.test.util.js';

function assertWellBehaved(bytes: Uint8Array): boolean {
  const result = decodeV1(bytes);
  if (result.ok) {
    // Every field lies inside the file and they follow each other without gaps.
    let at = 1;
    for (const field of result.value.fields) {
      if (field.offset !== at || field.offset + field.size > bytes.length) return false;
      at += field.size;
    }
    return true;
  }
  return isCodedError(result.error);
}

test('random buffers decode to fields or a coded error', (t) => {
  t.notThrows(() => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (body) => assertWellBehaved(Uint8Array.of(1, ...body))),
      { numRuns: 5000 },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), assertWellBehaved), { numRuns: 2000 });
  });
});

const seeds = validFixtures('v1/python-0.8.0').map((fixture) => fixtureBytes(fixture));

test('mutated Python files decode to fields or a coded error', (t) => {
  // Mutate and cut only the used part of the file: the zero padding after it rarely matters.
  t.notThrows(() => fc.assert(fc.property(mutatedFiles(seeds, 600, 'used'), assertWellBehaved), { numRuns: 5000 }));
});

test('a file of 131072 one-byte records decodes completely', (t) => {
  // Worst case for the loop: 1-byte labels, 1-byte values, a whole 1 MiB of them.
  const record = [1, 0, 0x61, 1, 0, 0x42, 0xff, 7];
  const bytes = new Uint8Array(1 + record.length * 131072);
  bytes[0] = 1;
  for (let i = 0; i < 131072; i++) bytes.set(record, 1 + i * record.length);
  const result = decodeV1(bytes);
  t.true(result.ok);
  if (result.ok) t.is(result.value.fields.length, 131072);
});
