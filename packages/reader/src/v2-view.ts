/**
 * Reading a v2 file that a writer may be changing: the header and the walked records are kept,
 * records published since are picked up from where the last walk stopped
 * (spec/format-v2.md#publication), and composite values are read under their sequence words
 * (spec/format-v2.md#seqlock), from the shared mapping or, without one, with positioned reads.
 *
 * @internal
 * @module
 */
import {
  MmstatsError,
  V2_HEADER_OFFSETS,
  V2_SEQLOCK_TRIES,
  alignedBytes,
  parseV2Header,
  readV2Value,
  statsBytesV2,
  valueUnstableError,
  walkV2Records,
  type Notice,
  type V2Header,
  type V2RecordLayout,
  type V2StatsBytes,
  type V2Value,
  type V2ValueRead,
} from '@mmstats/format';
import { isScalarEncoding, v2Field, type StatsSnapshot } from './fields.js';

/**
 * How an unmapped view gets fresh bytes: `pread(bytes, start, end)` copies the file's bytes
 * `[start, end)` into `bytes` (the view's copy) at the same offsets, throwing a coded error
 * (with the path) when the file is shorter now.
 *
 * @internal
 */
export type Pread = (bytes: Uint8Array, start: number, end: number) => void;

/**
 * Options of a {@link V2View}.
 *
 * @internal
 */
export interface V2ViewOptions {
  /**
   * Keep each composite record's last consistent copy and give it back, marked `stale`, when a
   * later read fails because the writer kept the sequence word moving (spec/format-v2.md#seqlock:
   * a poller SHOULD keep showing the last good copy). For live views; a one-shot read has no
   * earlier copy. Default `false`.
   */
  readonly keepLastGood?: boolean;
}

const RECORD_COUNT_WORD = V2_HEADER_OFFSETS.recordCount >> 2;
const FILE_ID_WORD = V2_HEADER_OFFSETS.fileId >> 2;

/**
 * A v2 value read by a view: {@link V2ValueRead}, and `stale` when it is the record's last
 * consistent copy because the writer was too busy to copy it this time (spec/format-v2.md#seqlock).
 *
 * @internal
 */
export type V2Read = V2ValueRead | { readonly ok: true; readonly value: V2Value; readonly stale: true };

/**
 * A v2 file's header, its records as walked so far, and how to read their values.
 *
 * @internal
 */
export class V2View {
  readonly path: string;
  /** The mapping (shared, live) or the copy (refreshed by `pread`). */
  readonly file: V2StatsBytes;
  /** The header as parsed at open: its fixed fields (`capacity`, `header_size`, `file_id`) never change. */
  readonly header: V2Header;
  readonly records: V2RecordLayout[] = [];
  readonly notices: Notice[] = [];
  /** Where the last walk stopped: the next record, once published, starts here. */
  #end: number;
  /** `record_count` as loaded before the last walk. */
  #seenCount: number;
  readonly #fileIdLow: number;
  readonly #fileIdHigh: number;
  readonly #pread: ((start: number, end: number) => void) | undefined;
  /** With `keepLastGood`: each composite record's last consistent copy (values are never changed once read), by value offset. */
  readonly #lastGood: Map<number, V2Value> | undefined;

  /**
   * Parses the header and walks the records of `bytes` (a mapping, or a copy with `pread`).
   *
   * @throws `MmstatsError` with `path` set for a bad header or record
   */
  constructor(path: string, bytes: Uint8Array, pread: Pread | undefined, options: V2ViewOptions = {}) {
    this.path = path;
    this.#lastGood = options.keepLastGood === true ? new Map() : undefined;
    const header = parseV2Header(bytes);
    if (!header.ok) throw header.error.withPath(path);
    this.header = header.value;
    // Mappings start on a page; a copy that does not start 8-byte aligned is copied once more.
    this.file = statsBytesV2(pread === undefined ? bytes : alignedBytes(bytes));
    this.#pread = pread === undefined ? undefined : (start, end) => pread(this.file.bytes, start, end);
    this.#fileIdLow = this.file.i32[FILE_ID_WORD]!;
    this.#fileIdHigh = this.file.i32[FILE_ID_WORD + 1]!;
    this.#end = this.header.headerSize;
    this.#seenCount = Atomics.load(this.file.i32, RECORD_COUNT_WORD);
    this.#walk();
  }

  /**
   * Brings the view up to date: re-reads the copy (unmapped), checks that the file is still
   * the one opened (`file_id`), and walks the records published since the last walk when
   * `record_count` changed. The caller has checked that the file did not shrink (mapped).
   *
   * @throws `MmstatsError` with `path`: `READ_FAILED` when the file was rewritten in place, or
   *   the format error of a new record
   */
  refresh(): void {
    const pread = this.#pread;
    if (pread !== undefined) pread(0, this.#end);
    if (this.fileIdChanged()) {
      throw new MmstatsError('READ_FAILED', 'the file was rewritten in place (its file_id changed); reopen() it', { path: this.path });
    }
    const count = Atomics.load(this.file.i32, RECORD_COUNT_WORD);
    if (count === this.#seenCount) return;
    if (pread !== undefined) pread(this.#end, this.header.capacity);
    this.#walk();
    // Only after a walk that worked: a failed one is tried again on the next refresh.
    this.#seenCount = count;
  }

  /** `true` when the bytes at hand no longer carry the `file_id` seen at open. */
  fileIdChanged(): boolean {
    return this.file.i32[FILE_ID_WORD] !== this.#fileIdLow || this.file.i32[FILE_ID_WORD + 1] !== this.#fileIdHigh;
  }

  /**
   * The current value of `record`, read under its sequence word: from the mapping with the
   * format's seqlock reader; from the file with positioned reads (`seq`, the value area, `seq`
   * again) when unmapped, since a copy alone cannot show whether it was torn.
   *
   * With `keepLastGood`, a value whose sequence word kept moving (`busy`) is the record's last
   * consistent copy, marked `stale`, when there is one (spec/format-v2.md#seqlock).
   *
   * @param fresh - the copy was just re-read by {@link V2View.refresh}, so an unmapped scalar
   *   need not be read again
   * @returns the value; or, with the path, `MMSTATS-E014` (and its `reason`) when it never
   *   settled, `MMSTATS-E013` when a consistent copy is invalid (a text length past its capacity)
   */
  read(record: V2RecordLayout, fresh = false): V2Read {
    const read = this.#readNow(record, fresh);
    const kept = this.#lastGood;
    if (kept === undefined || isScalar(record)) return read;
    if (read.ok) {
      kept.set(record.valueOffset, read.value);
      return read;
    }
    if (read.reason === 'busy') {
      const last = kept.get(record.valueOffset);
      if (last !== undefined) return { ok: true, value: last, stale: true };
    }
    return read;
  }

  #readNow(record: V2RecordLayout, fresh: boolean): V2Read {
    const pread = this.#pread;
    if (pread === undefined || isScalar(record)) {
      if (pread !== undefined && !fresh) pread(record.valueOffset, record.valueOffset + record.valueSize);
      const value = readV2Value(this.file, record);
      return value.ok ? value : { ...value, error: value.error.withPath(this.path) };
    }
    const seq = record.valueOffset;
    const i32 = this.file.i32;
    let first: number | undefined;
    let moved = false;
    let last = 0;
    for (let attempt = 0; attempt < V2_SEQLOCK_TRIES; attempt++) {
      pread(seq, seq + 4);
      const s1 = i32[seq >> 2]!;
      first ??= s1;
      if (s1 !== first) moved = true;
      last = s1;
      if ((s1 & 1) !== 0) continue;
      pread(seq, seq + record.valueSize);
      pread(seq, seq + 4);
      const s2 = i32[seq >> 2]!;
      if (s2 !== s1) {
        moved = true;
        last = s2;
        continue;
      }
      // Everything between the two reads of an unchanged even seq is one consistent copy: its
      // contents are what the file holds, so a rejected copy (E013) is bad bytes, not a race.
      const value = readV2Value(this.file, record, { tries: 1 });
      if (value.ok) return value;
      if (value.error.errorName !== 'VALUE_UNSTABLE') return { ok: false, error: value.error.withPath(this.path) };
    }
    // Stuck: the same odd seq on every try (a writer that died mid-write); otherwise busy.
    const reason = !moved && (last & 1) !== 0 ? 'stuck' : 'busy';
    return { ok: false, error: valueUnstableError(record, reason, last, V2_SEQLOCK_TRIES).withPath(this.path), reason };
  }

  /**
   * Every record with its current value, and the header as it is now. Call
   * {@link V2View.refresh} first.
   *
   * @throws `MmstatsError` with `path` when the header no longer parses (rewritten in place)
   */
  snapshot(): StatsSnapshot {
    const header = parseV2Header(this.file.bytes);
    if (!header.ok) throw header.error.withPath(this.path);
    const fields = this.records.map((record) => v2Field(record, this.read(record, true)));
    return { path: this.path, version: 2, header: header.value, notices: [...this.notices], fields };
  }

  #walk(): void {
    const walk = walkV2Records(this.file, this.header, this.#end);
    if (!walk.ok) throw walk.error.withPath(this.path);
    this.records.push(...walk.value.records);
    this.notices.push(...walk.value.notices);
    this.#end = walk.value.end;
  }
}

function isScalar(record: V2RecordLayout): boolean {
  return isScalarEncoding(record.encodingName);
}
