/**
 * The version byte and signature that tell a v1 file from a v2 file (spec/format-v1.md#file-version,
 * spec/format-v2.md#compatibility). Here, not in either format's folder, so that each can name
 * the other's version without importing it.
 *
 * @module
 */
import { MmstatsError, byteHex } from './errors.js';

/** The first byte of every v1 file (spec/format-v1.md#file-version). */
export const V1_VERSION = 0x01;

/** The first byte of every v2 file. */
export const V2_VERSION = 0x02;

/** ASCII `mmstats`: bytes 1 to 7 of a v2 file (and, by our rule, of every later major version). */
export const MAGIC: readonly number[] = [0x6d, 0x6d, 0x73, 0x74, 0x61, 0x74, 0x73];

/**
 * `true` when the 8 bytes at 0 are a version byte of 3 or more followed by `mmstats`: a file
 * of a future major version (spec/format-v2.md#compatibility), which readers name as such.
 */
export function futureMajorVersion(bytes: Uint8Array): number | undefined {
  const version = bytes[0];
  if (version === undefined || version <= V2_VERSION || bytes.length < 8) return undefined;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i + 1] !== MAGIC[i]) return undefined;
  return version;
}

/**
 * Why `bytes` is not a file of one of the `readable` versions: `EMPTY_FILE` for no bytes,
 * `UNSUPPORTED_VERSION` for another first byte (naming the version when it is a future major
 * version of this format, {@link futureMajorVersion}); `undefined` when byte 0 is readable
 * (spec/format-v1.md#file-version, spec/format-v2.md#compatibility).
 *
 * @param readable - the version bytes the caller decodes; default both, 0x01 and 0x02
 */
export function versionError(bytes: Uint8Array, readable: readonly number[] = [V1_VERSION, V2_VERSION]): MmstatsError | undefined {
  if (bytes.length === 0) return new MmstatsError('EMPTY_FILE', 'file is empty (a writer may still be creating it)');
  const version = bytes[0]!;
  if (readable.includes(version)) return undefined;
  const future = futureMajorVersion(bytes);
  const versions = readable.join(' and ');
  const detail = future === undefined
    ? `version byte is 0x${byteHex(version)}, expected ${readable.map((v) => `0x${byteHex(v)}`).join(' or ')}`
    : `file is from a future version ${future} of the format (this reader reads version${readable.length > 1 ? 's' : ''} ${versions})`;
  return new MmstatsError('UNSUPPORTED_VERSION', detail, { offset: 0 });
}
