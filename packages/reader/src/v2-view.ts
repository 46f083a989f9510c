/**
 * Reading a v2 file that a writer may be changing, through positioned reads only
 * (spec/format-v2.md#reading-by-system-calls): each snapshot is three reads of the file, A
 * (header and records), B (the same, the copy values are taken from) and C (the records
 * again). A composite value is consistent when its `seq` is even and the same in A and C; its
 * value is then B's. Records published since the last walk are walked from B, keeping those
 * already published in A (spec/format-v2.md#publication). A record that fails the test is retried alone
 * (bounded), and one whose `seq` stays odd is watched once, all such records of the snapshot
 * together, before it is called stuck.
 *
 * @internal
 * @module
 */
import {
  MmstatsError,
  decodeV2Consistent,
  isV2ScalarEncoding,
  V2_HEADER_OFFSETS,
  V2_PUBLISHED,
  V2_STUCK_MILLIS,
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
import { archiveInfoOfFields, serviceOfFields } from './archive.js';
import { v2Field, type StatsSnapshot, type V2StatsField } from './fields.js';
import { anyOddSightings, forgetOdd, oddSince } from './odd-sightings.js';
import { preadExactly, type OpenedStatsFile } from './open-stats-file.js';

/**
 * How long a live view calls an odd, unchanged `seq` busy before it calls it stuck: 1 s. The
 * spec's floor is 10 ms (spec/format-v2.md#reading-by-system-calls); a one-shot read must wait
 * that long, but a live view never waits, so a longer span costs it nothing, and on a loaded
 * machine a live writer is often off the CPU in the middle of an update for tens of
 * milliseconds. A dead writer's record still shows `MMSTATS-E014` within a second.
 *
 * @internal
 */
export const LIVE_STUCK_MILLIS = 1000;

/**
 * Options of a {@link V2View}.
 *
 * @internal
 */
export interface V2ViewOptions {
  /**
   * A live view, read again and again (`LiveStatsFile`), instead of a one-shot read. It keeps
   * each composite record's last consistent copy and gives it back, marked `stale`, when a
   * later read fails because the writer kept the sequence word moving (spec/format-v2.md#seqlock:
   * a poller SHOULD keep showing the last good copy); and it never waits on an odd `seq`: a
   * value odd for less than {@link LIVE_STUCK_MILLIS} is busy this time, stuck at a read after. A
   * one-shot read has no earlier copy and no later read, so it watches. Default `false`.
   */
  readonly live?: boolean;
}

/**
 * A v2 value read by a view: {@link V2ValueRead}, and `stale` when it is the record's last
 * consistent copy because the writer was too busy to copy it this time (spec/format-v2.md#seqlock).
 *
 * @internal
 */
export type V2Read = V2ValueRead | { readonly ok: true; readonly value: V2Value; readonly stale: true };

/**
 * Tries of one record retried alone (seq, value area, seq: three reads a try). A try by system
 * calls takes microseconds, so 100 of them watch a value longer than the 1000 tries of a reader
 * over a mapping (spec/format-v2.md#seqlock lets a reader choose its bound).
 */
const RECORD_TRIES = 100;

/**
 * Tries of all the records of one snapshot retried alone, together: what one file can cost
 * beyond its three reads when its writer keeps many values moving.
 */
const SNAPSHOT_TRIES = 1000;

const RECORD_COUNT_WORD = V2_HEADER_OFFSETS.recordCount >> 2;
const USED_WORD = V2_HEADER_OFFSETS.used >> 2;
const FILE_ID_WORD = V2_HEADER_OFFSETS.fileId >> 2;

/**
 * A v2 file's header, its records as walked so far, and its values, read by system calls.
 *
 * @internal
 */
export class V2View {
  readonly path: string;
  /**
   * The copy of read B: the header and values of the last snapshot, up to the end of the
   * records walked (not the whole capacity: a view of a file mostly empty keeps little). A
   * one-shot view's is a buffer shared by all of them: take its snapshot before another
   * one-shot view is made.
   */
  file: V2StatsBytes;
  /** The header as parsed at open: its fixed fields (`capacity`, `header_size`, `file_id`) never change. */
  readonly header: V2Header;
  readonly records: V2RecordLayout[] = [];
  readonly notices: Notice[] = [];
  /** Where the last walk stopped: the next record, once published, starts here. */
  #end: number;
  /** `record_count` and `used` as of the last walk: a walk is due when either changed. */
  #walkedCount = -1;
  #walkedUsed = -1;
  readonly #fileIdLow: number;
  readonly #fileIdHigh: number;
  /** Device, inode and `file_id`: names this file in the table of odd sightings. */
  readonly #identity: string;
  /** Live views: each composite record's last consistent copy (values are never changed once read), by value offset. */
  readonly #lastGood: Map<number, V2Value> | undefined;
  /** The reads of the last {@link V2View.readValues}, by record index. */
  #reads: V2Read[] = [];
  /**
   * What each record's last read was read from, by record index (two words a record): a
   * scalar's two value words; a composite's `seq` (even) and 1. A record whose words did not
   * change keeps its read (and its value object), so a view of a mostly idle file allocates
   * little per read. (A composite's `seq` equal after exactly 2^32 writes would be taken for
   * unchanged; a seqlock cannot tell that case either.)
   */
  #lastWords = new Int32Array(0);
  /** The fields of the last {@link V2View.snapshot} and the reads they were made from: a field whose read did not change is reused. */
  #fields: V2StatsField[] = [];
  #fieldReads: V2Read[] = [];

  /**
   * Parses the header of `first` (the whole file, read from `opened`: read A of the first
   * snapshot), then takes that snapshot: {@link V2View.snapshot} gives it.
   *
   * @throws `MmstatsError` with `path` set for a bad header or record, or a file that changed
   */
  constructor(opened: OpenedStatsFile, first: Uint8Array, options: V2ViewOptions = {}) {
    this.path = opened.path;
    this.#lastGood = options.live === true ? new Map() : undefined;
    const header = parseV2Header(first);
    if (!header.ok) throw header.error.withPath(this.path);
    this.header = header.value;
    this.file = statsBytesV2(new Uint8Array(0));
    const a = statsBytesV2(first);
    this.#fileIdLow = a.i32[FILE_ID_WORD]!;
    this.#fileIdHigh = a.i32[FILE_ID_WORD + 1]!;
    this.#identity = `${opened.stats.dev}:${opened.stats.ino}:${this.header.fileId}`;
    this.#end = this.header.headerSize;
    this.#snapshotFrom(opened, a, true);
  }

  /**
   * Takes a new snapshot of `opened` (the same file, checked by the caller): reads A, B and C,
   * walks the records published since, and reads every value.
   *
   * @returns the reads, by index of {@link V2View.records}
   * @throws `MmstatsError` with `path`: `FILE_CHANGED` when the file shrank or was rewritten in
   *   place (another `file_id`), the format error of a new record
   */
  readValues(opened: OpenedStatsFile): readonly V2Read[] {
    const a = scratch(0, this.header.capacity);
    preadExactly(opened, a.bytes, 0, this.#end);
    this.#snapshotFrom(opened, a, false);
    return this.#reads;
  }

  /**
   * The current value of one record, from three reads of its value area (A, B, C), or one
   * read for a scalar. Does not look for new records or check `file_id`.
   */
  readValue(opened: OpenedStatsFile, record: V2RecordLayout): V2Read {
    const { valueOffset: start, valueSize } = record;
    const end = start + valueSize;
    if (isScalar(record)) {
      preadExactly(opened, this.file.bytes, start, end);
      return this.#keep(record, withPath(readV2Value(this.file, record), this.path));
    }
    const a = scratch(0, end);
    const c = scratch(1, end);
    preadExactly(opened, a.bytes, start, start + 4);
    preadExactly(opened, this.file.bytes, start, end);
    preadExactly(opened, c.bytes, start, start + 4);
    return this.#settle(opened, [record], a, c)[0]!;
  }

  /**
   * Every record with its value as of the last snapshot, and the header as it was then.
   *
   * @throws `MmstatsError` with `path` when the header no longer parses (rewritten in place)
   */
  snapshot(): StatsSnapshot {
    const header = parseV2Header(headerBytes(this.file, this.header));
    if (!header.ok) throw header.error.withPath(this.path);
    const reads = this.#reads;
    const fields = this.records.map((record, i) => {
      const read = reads[i]!;
      if (this.#fieldReads[i] === read) return this.#fields[i]!;
      this.#fieldReads[i] = read;
      return (this.#fields[i] = v2Field(record, read));
    });
    const snapshot: StatsSnapshot = { path: this.path, version: 2, header: header.value, notices: [...this.notices], fields };
    // Taken now, from every record: a caller may filter the fields before merging.
    return { ...snapshot, service: serviceOfFields(snapshot), archive: archiveInfoOfFields(snapshot) };
  }

  /**
   * A snapshot whose read A is `a`: the header and records to the last walk's end, or the
   * `whole` file.
   */
  #snapshotFrom(opened: OpenedStatsFile, a: V2StatsBytes, whole: boolean): void {
    if (a.i32[FILE_ID_WORD] !== this.#fileIdLow || a.i32[FILE_ID_WORD + 1] !== this.#fileIdHigh) {
      throw new MmstatsError('FILE_CHANGED', 'the file was rewritten in place (its file_id changed); reopen() it', { path: this.path });
    }
    const count = a.i32[RECORD_COUNT_WORD]!;
    const used = a.i32[USED_WORD]!;
    if (count === this.#walkedCount && used === this.#walkedUsed) {
      preadExactly(opened, this.file.bytes, 0, this.#end);
    } else {
      // A walk that left out a record A did not see published is due again next time.
      if (this.#walkNew(opened, a, whole)) {
        this.#walkedCount = count;
        this.#walkedUsed = used;
      }
    }
    const c = scratch(1, this.#end);
    preadExactly(opened, c.bytes, this.header.headerSize, this.#end);
    this.#reads = this.#settle(opened, this.records, a, c);
  }

  /**
   * The reads of `records`, given reads A and C (B is {@link V2View.file}): scalars from B,
   * composites from B when their `seq` is even and the same in A and C; the others retried
   * alone, and those odd and unchanged watched together for up to 10 ms before they are stuck
   * (a live view does not watch: it calls them busy, then stuck after LIVE_STUCK_MILLIS).
   */
  #settle(opened: OpenedStatsFile, records: readonly V2RecordLayout[], a: V2StatsBytes, c: V2StatsBytes): V2Read[] {
    const reads: V2Read[] = new Array(records.length);
    const moving: number[] = [];
    const odd: number[] = [];
    // The view's own records, read in full: unchanged values keep their last read.
    const own = records === this.records;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      if (isScalar(record)) {
        reads[i] = own ? this.#scalarRead(record, i) : readV2Value(this.file, record);
        continue;
      }
      const word = record.valueOffset >> 2;
      const seq = a.i32[word]!;
      if (seq !== c.i32[word]) moving.push(i);
      else if ((seq & 1) !== 0) odd.push(i);
      else {
        if (anyOddSightings()) forgetOdd(this.#key(record));
        reads[i] = own ? this.#compositeRead(record, i, seq) : this.#decodeB(record);
      }
    }
    for (const i of this.#watch(opened, records, odd, c, reads)) moving.push(i);
    let budget = SNAPSHOT_TRIES;
    for (const i of moving) {
      const tries = Math.min(RECORD_TRIES, budget);
      const { read, used } = this.#retry(opened, records[i]!, tries);
      budget -= used;
      reads[i] = read;
    }
    for (let i = 0; i < records.length; i++) reads[i] = this.#keep(records[i]!, reads[i]!);
    return reads;
  }

  /**
   * One-shot: watches the records `odd` (odd `seq`, the same in A and C) for up to 10 ms from when this
   * process first saw each so, all together: those whose `seq` stays put are stuck (their
   * reads set in `reads`), the indices of those that moved are returned, to be retried. A
   * live view never waits: a record not yet odd for {@link LIVE_STUCK_MILLIS} is busy this
   * time (the spec's "try again at the next tick"), and stuck at a read after that.
   */
  #watch(opened: OpenedStatsFile, records: readonly V2RecordLayout[], odd: readonly number[], c: V2StatsBytes, reads: V2Read[]): number[] {
    const now = performance.now();
    const watched = odd.map((i) => {
      const record = records[i]!;
      const seq = c.i32[record.valueOffset >> 2]!;
      return { i, seq, until: oddSince(this.#key(record), seq, now) + (this.#lastGood === undefined ? V2_STUCK_MILLIS : LIVE_STUCK_MILLIS), looks: 2 };
    });
    const moved: number[] = [];
    let pending = watched.filter((w) => w.until > now);
    if (this.#lastGood !== undefined) {
      // A live view does not spin: it is read again soon, and time passes in between. Until
      // LIVE_STUCK_MILLIS are up, a value being written is busy (its last good copy, if any).
      const young = new Set(pending.map((w) => w.i));
      for (const w of watched) {
        const record = records[w.i]!;
        reads[w.i] = young.has(w.i) ? this.#beingWritten(record, w.seq, w.until - now) : this.#unstable(record, 'stuck', w.seq, w.looks);
      }
      return moved;
    }
    while (pending.length > 0) {
      const time = performance.now();
      pending = pending.filter((w) => {
        const record = records[w.i]!;
        const at = record.valueOffset;
        preadExactly(opened, c.bytes, at, at + 4);
        w.looks++;
        if (c.i32[at >> 2] !== w.seq) {
          forgetOdd(this.#key(record));
          moved.push(w.i);
          return false;
        }
        return w.until > time;
      });
    }
    const live = new Set(moved);
    for (const w of watched) {
      if (!live.has(w.i)) reads[w.i] = this.#unstable(records[w.i]!, 'stuck', w.seq, w.looks);
    }
    return moved;
  }

  /** `record` retried alone, up to `tries` times: `seq`, the value area (into B), `seq`. */
  #retry(opened: OpenedStatsFile, record: V2RecordLayout, tries: number): { read: V2Read; used: number } {
    const at = record.valueOffset;
    const word = at >> 2;
    const i32 = this.file.i32;
    let last = i32[word]!;
    for (let attempt = 1; attempt <= tries; attempt++) {
      preadExactly(opened, this.file.bytes, at, at + 4);
      const s1 = i32[word]!;
      last = s1;
      if ((s1 & 1) !== 0) continue;
      preadExactly(opened, this.file.bytes, at, at + record.valueSize);
      // The value area's own copy of seq is overwritten by the third read: equal to s1, the
      // copy is consistent and decodes with its seq.
      preadExactly(opened, this.file.bytes, at, at + 4);
      last = i32[word]!;
      if (last === s1) return { read: this.#decodeB(record), used: attempt };
    }
    // It moved between reads A and C or during the watch: a live writer, too busy to copy.
    return { read: this.#unstable(record, 'busy', last, tries), used: tries };
  }

  /**
   * The read of scalar record `index` (of {@link V2View.records}) from B: the last one when
   * its two words are unchanged, else a new read.
   */
  #scalarRead(record: V2RecordLayout, index: number): V2Read {
    const word = record.valueOffset >> 2;
    const low = this.file.i32[word]!;
    const high = this.file.i32[word + 1]!;
    const last = this.#reads[index];
    const words = this.#lastWords;
    if (last !== undefined && words[2 * index] === low && words[2 * index + 1] === high) return last;
    words[2 * index] = low;
    words[2 * index + 1] = high;
    return readV2Value(this.file, record);
  }

  /** The read of composite record `index`, consistent in B with sequence word `seq`: the last one when it was good and had this `seq`. */
  #compositeRead(record: V2RecordLayout, index: number, seq: number): V2Read {
    const last = this.#reads[index];
    const words = this.#lastWords;
    if (last?.ok === true && !('stale' in last) && words[2 * index] === seq && words[2 * index + 1] === 1) return last;
    const read = this.#decodeB(record);
    words[2 * index] = seq;
    words[2 * index + 1] = read.ok ? 1 : 0;
    return read;
  }

  /** Decodes `record` from B, which holds a consistent copy of its value area (a rejected one is bad bytes, E013). */
  #decodeB(record: V2RecordLayout): V2Read {
    return withPath(decodeV2Consistent(this.file, record), this.path);
  }

  /** The `busy` E014 of a record whose `seq` has been odd for less than {@link LIVE_STUCK_MILLIS}, `left` ms to go. */
  #beingWritten(record: V2RecordLayout, seq: number, left: number): V2Read {
    const detail = `value of record ${JSON.stringify(record.label)} is being written (seq ${seq >>> 0} odd; called stuck if it stays so ${Math.ceil(left)} ms more)`;
    return { ok: false, error: new MmstatsError('VALUE_UNSTABLE', detail, { offset: record.valueOffset, path: this.path }), reason: 'busy' };
  }

  #unstable(record: V2RecordLayout, reason: 'stuck' | 'busy', seq: number, tries: number): V2Read {
    return { ok: false, error: valueUnstableError(record, reason, seq, tries).withPath(this.path), reason };
  }

  /** Live views: remember a good composite copy, or gives the last one back for a busy value. */
  #keep(record: V2RecordLayout, read: V2Read): V2Read {
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

  #key(record: V2RecordLayout): string {
    return `${this.#identity}:${record.valueOffset}`;
  }

  /**
   * Reads B to the capacity and walks the records published since the last walk
   * (spec/format-v2.md#publication), keeping those whose `state` was already 1 in read A:
   * those were whole before B was read. A walk that fails is tried once more on fresh reads A
   * and B, so that a record being published during the reads is not taken for a bad one.
   *
   * @returns `false` when a record was left for the next walk
   */
  #walkNew(opened: OpenedStatsFile, a: V2StatsBytes, whole: boolean): boolean {
    const capacity = this.header.capacity;
    // Read B of the whole file goes to a shared buffer; the view keeps what the walk reached.
    const b = scratch(2, capacity);
    if (!whole) preadExactly(opened, a.bytes, this.#end, capacity);
    preadExactly(opened, b.bytes, 0, capacity);
    let walk = walkV2Records(b, this.header, this.#end);
    if (!walk.ok) {
      preadExactly(opened, a.bytes, this.#end, capacity);
      preadExactly(opened, b.bytes, 0, capacity);
      walk = walkV2Records(b, this.header, this.#end);
      if (!walk.ok) throw walk.error.withPath(this.path);
    }
    const { records, notices } = walk.value;
    const unseen = records.findIndex((record) => a.i32[record.offset >> 2] !== V2_PUBLISHED);
    const end = unseen < 0 ? walk.value.end : records[unseen]!.offset;
    this.records.push(...(unseen < 0 ? records : records.slice(0, unseen)));
    if (this.#lastWords.length < 2 * this.records.length) {
      const words = new Int32Array(2 * this.records.length);
      words.set(this.#lastWords);
      this.#lastWords = words;
    }
    this.notices.push(...notices.filter((notice) => notice.offset < end));
    this.#end = end;
    // A one-shot view is dropped once its snapshot is made (values are copies): its B goes to a
    // shared buffer, as A and C do.
    if (this.#lastGood === undefined) this.file = scratch(3, end);
    else if (this.file.bytes.length < end) this.file = statsBytesV2(new Uint8Array((end + 7) & ~7));
    this.file.bytes.set(b.bytes.subarray(0, end));
    return unseen < 0;
  }
}

/**
 * The header of `file` (a view's copy, which ends with its records) in a buffer of at least
 * its `capacity`, as the header's parse requires: the reads that filled the copy already
 * found the file that long.
 */
function headerBytes(file: V2StatsBytes, { capacity, headerSize }: V2Header): Uint8Array {
  const bytes = scratch(2, capacity).bytes;
  bytes.set(file.bytes.subarray(0, headerSize));
  return bytes;
}

function isScalar(record: V2RecordLayout): boolean {
  return isV2ScalarEncoding(record.encodingName);
}

function withPath(read: V2ValueRead, path: string): V2ValueRead {
  return read.ok ? read : { ...read, error: read.error.withPath(path) };
}

// Reads A and C, and B of a walk, go to buffers shared by every view: reading is synchronous,
// so one snapshot at a time uses them, and a live view keeps only its copy of B (a one-shot
// view not even that).
const scratchBuffers: V2StatsBytes[] = [0, 1, 2, 3].map(() => statsBytesV2(new Uint8Array(0)));

/** Scratch buffer `which` (0: read A, 1: read C, 2: read B of a walk, 3: B of a one-shot view), at least `size` bytes. */
function scratch(which: 0 | 1 | 2 | 3, size: number): V2StatsBytes {
  let buffer = scratchBuffers[which]!;
  if (buffer.bytes.length < size) {
    buffer = statsBytesV2(new Uint8Array((Math.max(size, 2 * buffer.bytes.length) + 7) & ~7));
    scratchBuffers[which] = buffer;
  }
  return buffer;
}
