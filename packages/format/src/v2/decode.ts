/**
 * Decoding a whole v2 file in one call.
 *
 * @module
 */
import type { MmstatsError, Notice, Result } from '../common/errors.js';
import { parseV2Header, type V2Header } from './header.js';
import { walkV2Records, type V2RecordLayout } from './records.js';
import type { SeqlockReadOptions } from './seqlock.js';
import { readV2Value, type V2Value, type V2ValueRead } from './values.js';
import { alignedBytes, statsBytesV2 } from './views.js';

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
  const records = walk.value.records.map((record) => withValue(record, readV2Value(file, record, options)));
  return { ok: true, value: { version: 2, header: header.value, records, notices: walk.value.notices } };
}

/**
 * `record` with its value or error. A literal, not `{ ...record, value }`: spreads are slow.
 * Same keys in the same order (V2RecordLayout's, then `value` or `error`), so JSON.stringify
 * gives the same text.
 */
function withValue(record: V2RecordLayout, read: V2ValueRead): DecodedV2Record {
  const decoded: { -readonly [K in keyof V2RecordLayout]: V2RecordLayout[K] } & { value?: V2Value; error?: MmstatsError } = {
    offset: record.offset,
    size: record.size,
    kind: record.kind,
    kindName: record.kindName,
    encoding: record.encoding,
    encodingName: record.encodingName,
    merge: record.merge,
    mergeName: record.mergeName,
    valueOffset: record.valueOffset,
    valueSize: record.valueSize,
    label: record.label,
    unit: record.unit,
    help: record.help,
    dims: record.dims,
    params: record.params,
  };
  if (read.ok) decoded.value = read.value;
  else decoded.error = read.error;
  // One of the two is set: the union DecodedV2Record is, but TypeScript cannot follow the branch.
  return decoded as DecodedV2Record;
}
