/**
 * Decoding a file of either version. It sits above v1/ and v2/ because it imports both; they
 * import neither it nor each other.
 *
 * @module
 */
import type { Result } from './common/errors.js';
import { V1_VERSION, versionError } from './common/version.js';
import { decodeV1, type DecodedFile } from './v1/decode.js';
import { decodeV2, type DecodedV2File } from './v2/decode.js';

/** A decoded file of either version: check `version` to tell them apart. */
export type DecodedStatsFile = DecodedFile | DecodedV2File;

/**
 * Decodes a v1 or a v2 file, by its first byte (spec/format-v1.md#file-version,
 * spec/format-v2.md#compatibility). A file of a future major version (byte 0 of 3 or more
 * followed by `mmstats`) is `MMSTATS-E002` naming that version.
 */
export function decodeStats(bytes: Uint8Array): Result<DecodedStatsFile> {
  const unsupported = versionError(bytes);
  if (unsupported !== undefined) return { ok: false, error: unsupported };
  return bytes[0] === V1_VERSION ? decodeV1(bytes) : decodeV2(bytes);
}
