import test, { type ExecutionContext } from 'ava';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { fixtureBytes, invalidFixtures, validFixtures, validGroups } from '@mmstats/fixtures';
import { mutatedFiles } from '../common/decode.test.util.js';
import { parseV1Layout, type V1Layout } from './layout.js';
import { V1LayoutCache } from './layout-cache.js';
import type { Result } from '../common/errors.js';

const python = validFixtures('v1/python-0.8.0').map((fixture) => fixtureBytes(fixture));
const webstats = fixtureBytes(validFixtures('v1/python-0.8.0').find((f) => f.name === 'webstats')!);

/** What must be the same whether the cache or a parse answers: the layout, or the error's code, offset and message. */
function answer(result: Result<V1Layout>): unknown {
  return result.ok ? result.value : [result.error.code, result.error.offset, result.error.message];
}

function same(t: ExecutionContext, found: Result<V1Layout>, wanted: Result<V1Layout>, message?: string): void {
  t.deepEqual(answer(found), answer(wanted), message);
}

test('a file laid out like one parsed before gets the kept layout object, whatever its values', (t) => {
  const cache = new V1LayoutCache();
  const first = cache.parse(webstats);
  if (!first.ok) return t.fail(first.error.message);
  // Other values and the other buffer written last: the same layout, not parsed again.
  const next = webstats.slice();
  for (const field of first.value.fields) {
    next.fill(0x5a, field.valueOffset, field.offset + field.size);
    if (field.buffered) next[field.writeBufferOffset] = next[field.writeBufferOffset]! ^ 1;
  }
  const again = cache.parse(next);
  t.true(again.ok && again.value === first.value);
});

test('a file that differs in a label, a buffering or its end of fields is parsed anew', (t) => {
  const cache = new V1LayoutCache();
  const kept = cache.parse(webstats);
  if (!kept.ok) return t.fail(kept.error.message);
  const [field] = kept.value.fields;
  const renamed = webstats.slice();
  renamed[field!.offset + 2] = 'X'.charCodeAt(0);
  const unbuffered = webstats.slice();
  const buffered = kept.value.fields.find((f) => f.buffered)!;
  unbuffered[buffered.writeBufferOffset] = 0xff;
  const longer = new Uint8Array(kept.value.end + 10);
  longer.set(webstats.subarray(0, kept.value.end));
  longer.set([3, 0, 0x61, 0x62, 0x63], kept.value.end); // label_sz 3, "abc": a record starts, cut off
  const cut = webstats.slice(0, kept.value.end - 1);
  for (const [name, bytes] of Object.entries({ renamed, unbuffered, longer, cut })) {
    const found = cache.parse(bytes);
    same(t, found, parseV1Layout(bytes), name);
    t.false(found.ok && found.value === kept.value, name);
  }
});

test('every fixture: the cache answers as parseV1Layout, kept or not', (t) => {
  const cache = new V1LayoutCache(2);
  const files = [...validGroups.flatMap((group) => validFixtures(group)), ...invalidFixtures(1)].map((fixture) => fixtureBytes(fixture));
  for (const round of [1, 2]) for (const [i, bytes] of files.entries()) same(t, cache.parse(bytes), parseV1Layout(bytes), `round ${round}, file ${i}`);
});

test('mutated Python files: the cache, primed with the originals, answers as parseV1Layout', (t) => {
  const cache = new V1LayoutCache();
  for (const bytes of python) cache.parse(bytes);
  t.notThrows(() =>
    fc.assert(
      fc.property(mutatedFiles(python, 600, 'used'), (bytes) => isDeepStrictEqual(answer(cache.parse(bytes)), answer(parseV1Layout(bytes)))),
      { numRuns: 3000 },
    ),
  );
});
