// Shared by the v1 and v2 property tests (v1/ and v2/decode.property.test.ts, decode-stats.test.ts):
// what a decoder may fail with, and fixture files mutated where their structure is.
import fc from 'fast-check';
import { ErrorCodes, MmstatsError } from './errors.js';

const knownCodes = new Set<string>(Object.values(ErrorCodes));

/** `true` when `error` is an {@link MmstatsError} with a code of the catalogue. */
export function isCodedError(error: unknown): boolean {
  return error instanceof MmstatsError && knownCodes.has(error.code);
}

/**
 * Copies of `seeds` with 1 to 8 bytes overwritten within their first `used` bytes (where the
 * header and the first records are), sometimes cut short: anywhere (`cut: 'anywhere'`) or
 * within those `used` bytes too (`cut: 'used'`).
 */
export function mutatedFiles(seeds: readonly Uint8Array[], used: number, cut: 'anywhere' | 'used'): fc.Arbitrary<Uint8Array> {
  return fc
    .record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      cutAt: fc.option(fc.nat(), { nil: undefined }),
    })
    .map(({ seed, flips, cutAt }) => {
      const original = seeds[seed]!;
      const within = Math.min(original.length, used);
      const length = cutAt === undefined ? original.length : 1 + (cutAt % (cut === 'used' ? within : original.length));
      const bytes = original.slice(0, length);
      for (const [at, byte] of flips) bytes[at % Math.min(within, bytes.length)] = byte;
      return bytes;
    });
}
