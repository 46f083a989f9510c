/**
 * Decoding a whole v2 file in one call, and decoding a file of either version.
 *
 * @module
 */
import { decodeV1, type DecodedFile } from './decode.js';
import type { MmstatsError, Notice, Result } from './errors.js';
import { parseV2Header, versionError, type V2Header } from './header-v2.js';
import { V1_VERSION } from './layout-v1.js';
import { walkV2Records, type V2RecordLayout } from './records-v2.js';
import type { SeqlockReadOptions } from './seqlock-v2.js';
import { readV2Value, type V2Value } from './values-v2.js';
import { alignedBytes, statsBytesV2 } from './views-v2.js';

/**
 * A record with the value it held when decoded, or, when its sequence word never settled,
 * the `MMSTATS-E014` error instead (spec/format-v2.md#seqlock): the file's other records are
 * unaffected.
 */
export type DecodedV2Record = V2RecordLayout &
  (
    | {
        /** The value: see {@link V2Value} for which JS type each encoding gives. */
        readonly value: V2Value;
        /** Absent: the value was read. */
        readonly error?: never;
      }
    | {
        /** Absent: see `error`. */
        readonly value?: never;
        /** `MMSTATS-E014` (the value never settled) or `MMSTATS-E013` (a text length past its capacity). */
        readonly error: MmstatsError;
      }
  );

/** A decoded v2 file. */
export interface DecodedV2File {
  /** The format version from the first byte. */
  readonly version: 2;
  /** The header. */
  readonly header: V2Header;
  /** The published records in file order (records of unknown encodings are left out, see `notices`). */
  readonly records: readonly DecodedV2Record[];
  /** What was skipped or read as a gauge (`MMSTATS-W001`, `MMSTATS-W002`). */
  readonly notices: readonly Notice[];
}

/**
 * Decodes a v2 file: header, every published record and its value. Never throws on bad bytes.
 * Bytes that do not start 8-byte aligned are copied first (the typed views need alignment).
 *
 * @param bytes - the whole file
 * @returns the file, or the coded error that stopped decoding (spec/format-v2.md#reader-errors)
 */
export function decodeV2(bytes: Uint8Array, options: SeqlockReadOptions = {}): Result<DecodedV2File> {
  const header = parseV2Header(bytes);
  if (!header.ok) return header;
  const file = statsBytesV2(alignedBytes(bytes));
  const walk = walkV2Records(file, header.value);
  if (!walk.ok) return walk;
  const records = walk.value.records.map((record): DecodedV2Record => {
    const value = readV2Value(file, record, options);
    return value.ok ? { ...record, value: value.value } : { ...record, error: value.error };
  });
  return { ok: true, value: { version: 2, header: header.value, records, notices: walk.value.notices } };
}

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
