/**
 * A live view of one stats file for pollers and dashboards. v1: the layout is parsed once,
 * then values are re-read at their offsets (spec/format-v1.md#buffering). v2: the header and
 * the records walked so far are kept, records published since are picked up when the header's
 * `record_count` changes (spec/format-v2.md#publication), and values are read under their
 * sequence words (spec/format-v2.md#seqlock).
 *
 * @module
 */
import {
  MmstatsError,
  isMmstatsError,
  readV1Value,
  statsBytes,
  type Notice,
  type StatsBytes,
  type V1FieldLayout,
  type V1Layout,
  type V2Header,
  type Value,
  V2_HEADER_OFFSETS,
} from '@mmstats/format';
import { statSync } from 'node:fs';
import { isV2Layout, type FieldLayout, type FieldValue, type StatsSnapshot } from './fields.js';
import { forgetKept, preadExactly, readWholeShared, withKeptStatsFile, withStatsFile, type FileIdentity, type OpenedStatsFile } from './open-stats-file.js';

/** What names the file a view was opened on: a replaced or resized file differs in one of these. */
interface Identity extends FileIdentity {
  readonly size: bigint;
}
import { checkVersion, isV2, parseLayout, snapshotOf } from './read-stats.js';
import { V2View } from './v2-view.js';

const V2_FILE_ID = V2_HEADER_OFFSETS.fileId;

/**
 * What was parsed of the file: a v1 layout and the view's copy of the file, or a v2 view
 * (header, records, value reads).
 */
type Parsed = { readonly version: 1; readonly layout: V1Layout; readonly copy: StatsBytes } | { readonly version: 2; readonly view: V2View };

/**
 * A stats file of format v1 or v2, parsed once for repeated reading.
 *
 * Every read goes through the operating system, never a mapping
 * (spec/format-v2.md#reading-by-system-calls): the view checks that the path still names the
 * file it parsed (same device and inode, from one `stat` or `fstat`) and reads it. So
 * a file that shrinks, is truncated or is replaced under the view is a coded error
 * (`FILE_CHANGED`, E105), never `SIGBUS`. Views keep at most 16 descriptors open between
 * reads in all (`MAX_KEPT_DESCRIPTORS`: the files read most recently, whose reads are then a
 * `stat` of the path and the reads), so a poller can watch more files than its descriptor
 * limit (out of descriptors, a read is `TOO_MANY_OPEN_FILES`, E104, and the next may work). v1: {@link LiveStatsFile.readAll}
 * re-reads the fields' bytes with one `pread`. v2: three reads of the records per snapshot (A,
 * B, C), a composite value being consistent when its `seq` is even and equal in A and C.
 *
 * v2 files gain records while they are open (spec/format-v2.md#publication):
 * {@link LiveStatsFile.readAll} and {@link LiveStatsFile.snapshot} look at the header's
 * `record_count` and `used` and walk only the records published since the last walk;
 * {@link LiveStatsFile.fields} then lists them too, after those already known (indices never
 * move). A v2 value that cannot be read is `undefined` in `readAll` and the field's `error` in
 * `snapshot`, while the file's other values read as usual: `MMSTATS-E014` when its sequence
 * word did not settle, `MMSTATS-E013` for invalid contents. A read never waits on a value left
 * odd (a writer in the middle of a write, or dead there): until it has been odd for 1 s
 * (`LIVE_STUCK_MILLIS`; the spec's floor is 10 ms) it is busy (its last good copy, below), and from then on stuck, at once, until its `seq` moves.
 *
 * Busy values (spec/format-v2.md#seqlock). A sequence word that does not settle is one of two
 * cases: odd and unchanged (a writer that died mid-write: `MMSTATS-E014`, as above), or still
 * moving (a writer changing the value faster than a copy takes, e.g. a 1026-bucket histogram
 * observed in a tight loop). For the second, as the spec says a poller should, the view keeps
 * showing the record's last consistent copy: it remembers, per v2 record, the last value it
 * read consistently, and gives it back instead of the error, as the same object it returned
 * before (values are copies: do not change them). `readAll` returns it, `snapshot` gives it
 * with `stale: true` on the field, `read` returns it. Without an earlier good copy the error
 * stands; the next read usually gets a fresh value. The copies are dropped by
 * {@link LiveStatsFile.reopen}.
 *
 * @example
 * ```ts
 * const live = LiveStatsFile.open('/tmp/app.mmstats');
 * const values: (FieldValue | undefined)[] = [];
 * setInterval(() => {
 *   if (live.hasBeenReplaced()) live.reopen();
 *   live.readAll(values); // same array every time
 * }, 1000);
 * ```
 */
export class LiveStatsFile {
  /** The path as given to {@link LiveStatsFile.open}, used for every read and error. */
  readonly path: string;
  #parsed: Parsed;
  #identity: Identity;
  #reopens = 0;
  #closed = false;

  private constructor(path: string, opened: { parsed: Parsed; identity: Identity }) {
    this.path = path;
    this.#parsed = opened.parsed;
    this.#identity = opened.identity;
  }

  /**
   * Opens `path`, parses its layout (v1) or its header and published records (v2), and
   * closes it again.
   *
   * @throws `MmstatsError` with `path` set: a format error (`MMSTATS-E0xx`) or an access error
   *   (`NOT_FOUND`, `NOT_A_FILE`, `READ_FAILED`, `TOO_MANY_OPEN_FILES`, `FILE_CHANGED`; see `readStats`)
   */
  static open(path: string): LiveStatsFile {
    return new LiveStatsFile(path, openAndParse(path));
  }

  /** The format version of the file, from its first byte: 1 or 2. */
  get version(): 1 | 2 {
    return this.#parsed.version;
  }

  /**
   * The fields in file order, as parsed at open (or the last {@link LiveStatsFile.reopen}):
   * `V1FieldLayout`s for a v1 file, `V2RecordLayout`s for a v2 file, which grows by the records
   * found by each {@link LiveStatsFile.readAll} and {@link LiveStatsFile.snapshot}.
   */
  get fields(): readonly FieldLayout[] {
    return this.#parsed.version === 1 ? this.#parsed.layout.fields : this.#parsed.view.records;
  }

  /**
   * v2 only: the header as parsed at open (its `record_count`, `flags` and `heartbeat` are
   * those of that moment; {@link LiveStatsFile.snapshot} gives the current ones). `undefined`
   * for a v1 file.
   */
  get header(): V2Header | undefined {
    return this.#parsed.version === 2 ? this.#parsed.view.header : undefined;
  }

  /** v2: what the walks skipped or guessed so far (`MMSTATS-W001`, `MMSTATS-W002`); always empty for v1. */
  get notices(): readonly Notice[] {
    return this.#parsed.version === 2 ? this.#parsed.view.notices : [];
  }

  /**
   * The current value of `field` (one of {@link LiveStatsFile.fields}): v1 by the
   * double-buffer rule (spec/format-v1.md#buffering), allocating nothing but the value itself
   * (a `bigint` or a string); v2 by its encoding, composite values under the sequence word
   * (spec/format-v2.md#seqlock). Does not check the file's size: see the class notes.
   *
   * A v2 composite value the writer was changing too fast to copy (its sequence word still
   * moving after 1000 tries) is the record's last consistent copy when this view has one, the
   * same object as returned before (see the class notes); `snapshot` marks it `stale`.
   *
   * @throws `MmstatsError` `READ_FAILED` when the view is closed or (unmapped) the read fails;
   *   `VALUE_UNSTABLE` (E014) for a v2 value that never settled (stuck odd, or still moving
   *   with no earlier good copy), `BAD_RECORD` (E013) for an invalid one (a text length past
   *   its capacity); `TypeError` for a layout of the other version
   */
  read(field: V1FieldLayout): Value;
  read(field: FieldLayout): FieldValue;
  read(field: FieldLayout): FieldValue {
    const parsed = this.#parsed;
    if (isV2Layout(field)) {
      if (parsed.version !== 2) throw new TypeError(`a v2 record layout given to the view of a v1 file (${this.path})`);
      const value = this.#withFile((file) => parsed.view.readValue(file, field));
      if (!value.ok) throw value.error;
      return value.value;
    }
    if (parsed.version !== 1) throw new TypeError(`a v1 field layout given to the view of a v2 file (${this.path})`);
    // The write-buffer byte and both buffers: one pread of the field's moving parts.
    this.#withFile((file) => preadExactly(file, parsed.copy.bytes, field.writeBufferOffset, field.offset + field.size));
    return readV1Value(parsed.copy, field);
  }

  /**
   * The current values of all fields, in the order of {@link LiveStatsFile.fields}, written
   * into `into` (which is resized and returned) so that a poller reuses one array. For v2,
   * picks up records published since the last call (so `into` may grow). A v2 value that could
   * not be read (never settled, `MMSTATS-E014`, or invalid, `MMSTATS-E013`) is `undefined`:
   * {@link LiveStatsFile.snapshot} or {@link LiveStatsFile.read} give its error. A v2 value
   * whose sequence word was still moving is instead the record's last consistent copy when the
   * view has one: the same object as before, so `values[i] === previous[i]` tells a stale copy
   * from a fresh one (the class notes; {@link LiveStatsFile.snapshot} marks it `stale`).
   *
   * @param into - an array to reuse; default a new one
   * @throws `MmstatsError` with `path`: `FILE_CHANGED` (E105) when the file shrank under the
   *   view, the path names another file now, or a v2 file was rewritten in place (`file_id`):
   *   {@link LiveStatsFile.reopen} it ({@link LiveStatsFile.snapshotOrReopen} does); `READ_FAILED` when the view is closed; the access errors
   *   of opening the path (`NOT_FOUND`, `TOO_MANY_OPEN_FILES`...); the format error
   *   (`MMSTATS-E013`, `E007`) of a bad new v2 record
   */
  readAll(into: (FieldValue | undefined)[] = []): (FieldValue | undefined)[] {
    const parsed = this.#parsed;
    if (parsed.version === 2) {
      const reads = this.#withFile((file) => parsed.view.readValues(file));
      into.length = reads.length;
      for (let i = 0; i < reads.length; i++) {
        const read = reads[i]!;
        into[i] = read.ok ? read.value : undefined;
      }
      return into;
    }
    this.#withFile((file) => preadExactly(file, parsed.copy.bytes, 0, parsed.layout.end));
    const fields = parsed.layout.fields;
    into.length = fields.length;
    for (let i = 0; i < fields.length; i++) into[i] = readV1Value(parsed.copy, fields[i]!);
    return into;
  }

  /**
   * Every field with its current value, as `readStats` would give it (for v2 with the current
   * header and any records published since the last call). Unlike `readStats`, a v2 value the
   * writer was changing too fast to copy is the record's last consistent copy when the view has
   * one, with `stale: true` on the field (`V2StatsField.stale`), not `MMSTATS-E014`.
   *
   * @throws like {@link LiveStatsFile.readAll}
   */
  snapshot(): StatsSnapshot {
    const parsed = this.#parsed;
    if (parsed.version === 2) {
      this.#withFile((file) => parsed.view.readValues(file));
      return parsed.view.snapshot();
    }
    this.#withFile((file) => preadExactly(file, parsed.copy.bytes, 0, parsed.layout.end));
    return snapshotOf(this.path, parsed.layout, parsed.copy);
  }

  /**
   * `true` when the view no longer shows the file at {@link LiveStatsFile.path}: the path is
   * gone or unreadable, names a different file (other device or inode: a writer renamed a new
   * file over it, or a new process recreated it), or the file's size changed since it was
   * opened, or (v2) carries another `file_id` than at open (rewritten in place). Also `true`
   * once closed. One `stat` (v2: and an open, an 8-byte `pread` and a close). Never throws.
   */
  hasBeenReplaced(): boolean {
    if (this.#closed) return true;
    let now;
    try {
      now = statSync(this.path, { bigint: true, throwIfNoEntry: false });
    } catch {
      return true;
    }
    if (now === undefined) return true;
    const then = this.#identity;
    if (now.dev !== then.dev || now.ino !== then.ino || now.size !== then.size) return true;
    return this.#parsed.version === 2 && this.#fileIdChanged(this.#parsed.view.header.fileId);
  }

  /**
   * Opens {@link LiveStatsFile.path} again and parses it anew (fields may have changed, and so
   * may the format version), forgetting the v2 records' last good copies. Works after
   * {@link LiveStatsFile.close} too.
   *
   * @throws `MmstatsError` with `path` set when the file is now missing or bad; the view is
   *   then left as it was
   */
  reopen(): void {
    const { parsed, identity } = openAndParse(this.path);
    this.#parsed = parsed;
    this.#identity = identity;
    this.#closed = false;
    this.#reopens++;
  }

  /**
   * How many times the view was reopened ({@link LiveStatsFile.reopen}, or by
   * {@link LiveStatsFile.snapshotOrReopen}): when it changes, the view shows a new file, whose
   * counters started over.
   */
  get reopens(): number {
    return this.#reopens;
  }

  /**
   * {@link LiveStatsFile.snapshot} of the file the path names now: what a poller does at every
   * tick. When {@link LiveStatsFile.hasBeenReplaced} would say the view is stale, the view is
   * reopened first, checking only what the reads do not: for v1 its size (one `stat`: v1 has
   * no `file_id`, and a restarted Python writer rewrites its file in place with another
   * layout); for v2 nothing more, since every v2 read fails with `FILE_CHANGED` on another
   * inode, a short read or another `file_id`, and then the view is reopened and read again.
   * {@link LiveStatsFile.reopens} tells when that happened.
   *
   * @throws like {@link LiveStatsFile.snapshot} for anything but `FILE_CHANGED`, and like
   *   {@link LiveStatsFile.reopen} when the path no longer holds a readable file
   */
  snapshotOrReopen(): StatsSnapshot {
    if (this.#parsed.version === 1 && this.hasBeenReplaced()) this.reopen();
    try {
      return this.snapshot();
    } catch (error) {
      if (!isMmstatsError(error) || error.errorName !== 'FILE_CHANGED') throw error;
      this.reopen();
      return this.snapshot();
    }
  }

  /**
   * Closes the view and the descriptor kept for its path, if any: reads then throw;
   * {@link LiveStatsFile.fields} stays available. Calling it again does nothing.
   */
  close(): void {
    this.#closed = true;
    forgetKept(this.path);
  }

  /** Runs `read` on the file if the path still names the one parsed (a kept descriptor, or opened for this read). */
  #withFile<T>(read: (file: OpenedStatsFile) => T): T {
    if (this.#closed) throw new MmstatsError('READ_FAILED', 'the live view is closed; reopen() it', { path: this.path });
    return withKeptStatsFile(this.path, this.#identity, read);
  }

  /** v2: `true` when the file's `file_id` is no longer `fileId`, or cannot be read. */
  #fileIdChanged(fileId: bigint): boolean {
    const id = new Uint8Array(V2_FILE_ID + 8);
    try {
      this.#withFile((file) => preadExactly(file, id, V2_FILE_ID, V2_FILE_ID + 8));
    } catch {
      return true;
    }
    return new DataView(id.buffer).getBigUint64(V2_FILE_ID, true) !== fileId;
  }
}

function openAndParse(path: string): { parsed: Parsed; identity: Identity } {
  return withStatsFile(path, (file) => {
    // A v2 view copies what it keeps; a v1 view keeps a copy of the whole file.
    const bytes = readWholeShared(file);
    const identity = { dev: file.stats.dev, ino: file.stats.ino, size: file.stats.size };
    if (isV2(bytes)) return { parsed: { version: 2, view: new V2View(file, bytes, { live: true }) }, identity };
    checkVersion(path, bytes);
    return { parsed: { version: 1, layout: parseLayout(path, bytes), copy: statsBytes(bytes.slice()) }, identity };
  });
}
