/**
 * A live view of one stats file for pollers and dashboards. v1: the layout is parsed once,
 * then values are re-read at their offsets (spec/format-v1.md#buffering). v2: the header and
 * the records walked so far are kept, records published since are picked up when the header's
 * `record_count` changes (spec/format-v2.md#publication), and values are read under their
 * sequence words (spec/format-v2.md#seqlock).
 *
 * @module
 */
import { closeSync, fstatSync, statSync } from 'node:fs';
import {
  MmstatsError,
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
import { isV2Layout, type FieldLayout, type FieldValue, type StatsSnapshot } from './fields.js';
import { fileError } from './file-errors.js';
import { closeQuietly, openStatsFile, readInto, type OpenedStatsFile } from './open-stats-file.js';
import { checkVersion, isV2, parseLayout, preadFrom, preadInto, shrunkError, snapshotOf, type ReadOptions } from './read-stats.js';
import { V2View } from './v2-view.js';

/** What names the file a view was opened on: a replaced or resized file differs in one of these. */
interface Identity {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: number;
}

// A view dropped without close() would leak its descriptor; close it when the view is
// collected. close() unregisters first, so a descriptor number reused later is never closed.
const leakedDescriptors = new FinalizationRegistry<number>(closeQuietly);

const V2_FILE_ID = V2_HEADER_OFFSETS.fileId;

const CLOSED: StatsBytes = statsBytes(new Uint8Array(0));

/** What was parsed of the file: a v1 layout, or a v2 view (header, records, value reader). */
type Parsed = { readonly version: 1; readonly layout: V1Layout } | { readonly version: 2; readonly view: V2View };

/**
 * A stats file of format v1 or v2 kept open for repeated reading.
 *
 * Mapped (the default), a read is a few loads from the shared mapping: it sees each value the
 * writer publishes without a system call. Without a mapping (`{ mmap: false }`, or when mapping
 * failed), {@link LiveStatsFile.readAll} re-reads the fields' bytes with one `pread`, and
 * {@link LiveStatsFile.read} re-reads the one field's; a v2 composite value is then read with
 * three `pread`s (sequence word, value, sequence word) so that it is still never torn.
 *
 * v2 files gain records while they are open (spec/format-v2.md#publication):
 * {@link LiveStatsFile.readAll} and {@link LiveStatsFile.snapshot} look at the header's
 * `record_count` (one atomic load) and walk only the records published since the last walk;
 * {@link LiveStatsFile.fields} then lists them too, after those already known (indices never
 * move). A v2 value that cannot be read is `undefined` in `readAll` and the field's `error` in
 * `snapshot`, while the file's other values read as usual: `MMSTATS-E014` when its sequence
 * word did not settle within 1000 tries, `MMSTATS-E013` for invalid contents.
 *
 * Busy values (spec/format-v2.md#seqlock). A sequence word that does not settle is one of two
 * cases: odd and unchanged through every try (a writer that died mid-write: `MMSTATS-E014`,
 * as above), or still moving (a writer changing the value faster than a copy takes, e.g. a
 * 1026-bucket histogram observed in a tight loop). For the second, as the spec says a poller
 * should, the view keeps showing the record's last consistent copy: it remembers, per v2
 * record, the last value it read consistently, and gives it back instead of the error, as
 * the same object it returned before (values are copies: do not change them). `readAll`
 * returns it, `snapshot` gives it with `stale: true` on the field, `read` returns it. Without
 * an earlier good copy the error stands; the next read usually gets a fresh value. The copies
 * are dropped by {@link LiveStatsFile.reopen}.
 *
 * Safety. Touching a mapped page past the end of a file raises `SIGBUS`, which ends the
 * process. {@link LiveStatsFile.readAll} and {@link LiveStatsFile.snapshot} therefore `fstat`
 * the open file first and throw instead of reading when it has shrunk below the mapped length;
 * {@link LiveStatsFile.hasBeenReplaced} reports any size change. A v2 file whose `file_id`
 * changed under the view (rewritten in place) is refused the same way. {@link LiveStatsFile.read}
 * does not check (a check is a system call): call it after one of those said the file is
 * whole. Residual race: a truncation between the check and the reads can still raise
 * `SIGBUS`. mmstats writers never shrink their files; something else has to, e.g. a new writer
 * recreating the file in place with `O_TRUNC`.
 *
 * The descriptor stays open until {@link LiveStatsFile.close} (it is what the size check
 * looks at); a view that is dropped unclosed has it closed when it is garbage-collected.
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
  /** The path as given to {@link LiveStatsFile.open}, used for every re-open and error. */
  readonly path: string;
  readonly #mmap: boolean;
  #fd = -1;
  #file: StatsBytes = CLOSED;
  #mapped = false;
  #parsed: Parsed;
  #identity: Identity;

  private constructor(path: string, mmap: boolean, opened: OpenedStatsFile, parsed: Parsed) {
    this.path = path;
    this.#mmap = mmap;
    this.#parsed = parsed;
    this.#identity = identityOf(opened);
    this.#adopt(opened);
  }

  /**
   * Opens `path` and parses its layout (v1) or its header and published records (v2).
   *
   * @param options - `mmap` (default `true`): map the file shared and read-only, falling back
   *   to plain reads when mapping fails
   * @throws `MmstatsError` with `path` set: a format error (`MMSTATS-E0xx`), `NOT_FOUND`,
   *   `NOT_A_FILE` or `READ_FAILED` (see `readStats`)
   */
  static open(path: string, options: ReadOptions = {}): LiveStatsFile {
    const mmap = options.mmap ?? true;
    const { opened, parsed } = openAndParse(path, mmap);
    return new LiveStatsFile(path, mmap, opened, parsed);
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

  /** `true` while the values come from a shared mapping, `false` when they are read with `pread`. */
  get mapped(): boolean {
    return this.#mapped;
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
    const fd = this.#openDescriptor();
    const parsed = this.#parsed;
    if (isV2Layout(field)) {
      if (parsed.version !== 2) throw new TypeError(`a v2 record layout given to the view of a v1 file (${this.path})`);
      const value = parsed.view.read(field);
      if (!value.ok) throw value.error;
      return value.value;
    }
    if (parsed.version !== 1) throw new TypeError(`a v1 field layout given to the view of a v2 file (${this.path})`);
    if (!this.#mapped) {
      // The write-buffer byte and both buffers: one pread of the field's moving parts.
      this.#pread(fd, field.writeBufferOffset, field.offset + field.size);
    }
    return readV1Value(this.#file, field);
  }

  /**
   * The current values of all fields, in the order of {@link LiveStatsFile.fields}, written
   * into `into` (which is resized and returned) so that a poller reuses one array. Checks
   * first that the file still covers everything it reads; for v2, picks up records published
   * since the last call (so `into` may grow). A v2 value that could not be read (never settled,
   * `MMSTATS-E014`, or invalid, `MMSTATS-E013`) is `undefined`: {@link LiveStatsFile.snapshot}
   * or {@link LiveStatsFile.read} give its error. A v2 value whose sequence word was still
   * moving is instead the record's last consistent copy when the view has one: the same object
   * as before, so `values[i] === previous[i]` tells a stale copy from a fresh one (the
   * class notes; {@link LiveStatsFile.snapshot} marks it `stale`).
   *
   * @param into - an array to reuse; default a new one
   * @throws `MmstatsError` `READ_FAILED` (with `path`) when the file shrank under the view, was
   *   rewritten in place (v2 `file_id`), or the view is closed: {@link LiveStatsFile.reopen}
   *   it; the format error (`MMSTATS-E013`, `E007`) of a bad new v2 record
   */
  readAll(into: (FieldValue | undefined)[] = []): (FieldValue | undefined)[] {
    this.#refresh();
    const parsed = this.#parsed;
    if (parsed.version === 2) {
      const { view } = parsed;
      const records = view.records;
      into.length = records.length;
      for (let i = 0; i < records.length; i++) {
        const value = view.read(records[i]!, true);
        into[i] = value.ok ? value.value : undefined;
      }
      return into;
    }
    const fields = parsed.layout.fields;
    into.length = fields.length;
    for (let i = 0; i < fields.length; i++) into[i] = readV1Value(this.#file, fields[i]!);
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
    this.#refresh();
    const parsed = this.#parsed;
    return parsed.version === 2 ? parsed.view.snapshot() : snapshotOf(this.path, parsed.layout, this.#file);
  }

  /**
   * `true` when the view no longer shows the file at {@link LiveStatsFile.path}: the path is
   * gone or unreadable, names a different file (other device or inode: a writer renamed a new
   * file over it, or a new process recreated it), or the file's size changed since it was
   * opened (grown, or shrunk so that reading could fault), or (v2) carries another `file_id`
   * than at open (rewritten in place). Also `true` once closed. One `stat` (and, unmapped v2,
   * one 8-byte `pread`). Never throws.
   */
  hasBeenReplaced(): boolean {
    if (this.#fd < 0) return true;
    let now;
    try {
      now = statSync(this.path, { bigint: true, throwIfNoEntry: false });
    } catch {
      return true;
    }
    if (now === undefined) return true;
    const then = this.#identity;
    if (now.dev !== then.dev || now.ino !== then.ino || Number(now.size) !== then.size) return true;
    // Same path, same inode, same size: the open file is that file, so its size is fine too.
    return this.#parsed.version === 2 && this.#fileIdChanged();
  }

  /**
   * Opens {@link LiveStatsFile.path} again: a new mapping and a new layout (fields may have
   * changed, and so may the format version), forgetting the v2 records' last good copies.
   * Works after {@link LiveStatsFile.close} too.
   *
   * @throws `MmstatsError` with `path` set when the file is now missing or bad; the view is
   *   then left as it was (still open on the old file, if it was)
   */
  reopen(): void {
    const { opened, parsed } = openAndParse(this.path, this.#mmap);
    this.#release();
    this.#parsed = parsed;
    this.#identity = identityOf(opened);
    this.#adopt(opened);
  }

  /**
   * Closes the descriptor and drops the mapping (unmapped when garbage-collected: the binding
   * has no `munmap`). Reads then throw; {@link LiveStatsFile.fields} stays available.
   * Calling it again does nothing.
   */
  close(): void {
    this.#release();
  }

  #adopt(opened: OpenedStatsFile): void {
    this.#fd = opened.fd;
    this.#file = this.#parsed.version === 2 ? this.#parsed.view.file : statsBytes(opened.bytes);
    this.#mapped = opened.mapped;
    leakedDescriptors.register(this, opened.fd, this);
  }

  #release(): void {
    if (this.#fd < 0) return;
    leakedDescriptors.unregister(this);
    const fd = this.#fd;
    this.#fd = -1;
    this.#file = CLOSED;
    closeSync(fd);
  }

  #openDescriptor(): number {
    if (this.#fd < 0) throw new MmstatsError('READ_FAILED', 'the live view is closed; reopen() it', { path: this.path });
    return this.#fd;
  }

  /** Makes the bytes safe and current to read: checks the mapping, or re-reads the copy. */
  #refresh(): void {
    const fd = this.#openDescriptor();
    const parsed = this.#parsed;
    if (!this.#mapped) {
      // v2: the view re-reads its copy itself, through the descriptor it was given.
      if (parsed.version === 2) parsed.view.refresh();
      else this.#pread(fd, 0, parsed.layout.end);
      return;
    }
    const mappedLength = this.#file.bytes.length;
    let size: number;
    try {
      size = fstatSync(fd).size;
    } catch (error) {
      throw fileError(this.path, error);
    }
    if (size < mappedLength) throw shrunkError(this.path, size, mappedLength);
    if (parsed.version === 2) parsed.view.refresh();
  }

  /** v2: `true` when the file's `file_id` is no longer the one seen at open (mapped: one load; else one `pread`). */
  #fileIdChanged(): boolean {
    if (this.#parsed.version !== 2) return false;
    const view = this.#parsed.view;
    if (!this.#mapped) {
      const at = V2_FILE_ID;
      try {
        if (readInto(this.#fd, view.file.bytes, at, at + 8) < at + 8) return true;
      } catch {
        return true;
      }
    }
    return view.fileIdChanged();
  }

  /** Re-reads `bytes[start, end)` of the unmapped copy from the file. */
  #pread(fd: number, start: number, end: number): void {
    preadInto(this.path, fd, this.#file.bytes, start, end);
  }
}

function openAndParse(path: string, mmap: boolean): { opened: OpenedStatsFile; parsed: Parsed } {
  const opened = openStatsFile(path, mmap);
  try {
    if (isV2(opened.bytes)) {
      const view = new V2View(path, opened.bytes, opened.mapped ? undefined : preadFrom(path, opened.fd), { keepLastGood: true });
      return { opened, parsed: { version: 2, view } };
    }
    checkVersion(path, opened.bytes);
    return { opened, parsed: { version: 1, layout: parseLayout(path, opened.bytes) } };
  } catch (error) {
    closeQuietly(opened.fd);
    throw error;
  }
}

function identityOf(opened: OpenedStatsFile): Identity {
  return { dev: opened.stats.dev, ino: opened.stats.ino, size: Number(opened.stats.size) };
}
