/**
 * A live view of one stats file for pollers and dashboards: the layout is parsed once, then
 * values are re-read at their offsets (spec/format-v1.md#buffering).
 *
 * @module
 */
import { closeSync, fstatSync, statSync } from 'node:fs';
import {
  MmstatsError,
  readV1Value,
  statsBytes,
  type StatsBytes,
  type V1FieldLayout,
  type V1Layout,
  type Value,
} from '@mmstats/format';
import { fileError } from './file-errors.js';
import { closeQuietly, openStatsFile, readInto, type OpenedStatsFile } from './open-stats-file.js';
import { parseLayout, snapshotOf, type ReadOptions, type StatsSnapshot } from './read-stats.js';

/** What names the file a view was opened on: a replaced or resized file differs in one of these. */
interface Identity {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: number;
}

// A view dropped without close() would leak its descriptor; close it when the view is
// collected. close() unregisters first, so a descriptor number reused later is never closed.
const leakedDescriptors = new FinalizationRegistry<number>(closeQuietly);

const CLOSED: StatsBytes = statsBytes(new Uint8Array(0));

/**
 * A stats file kept open for repeated reading.
 *
 * Mapped (the default), a read is a few loads from the shared mapping: it sees each value the
 * writer publishes without a system call. Without a mapping (`{ mmap: false }`, or when mapping
 * failed), {@link LiveStatsFile.readAll} re-reads the fields' bytes with one `pread`, and
 * {@link LiveStatsFile.read} re-reads the one field's.
 *
 * Safety. Touching a mapped page past the end of a file raises `SIGBUS`, which ends the
 * process. {@link LiveStatsFile.readAll} and {@link LiveStatsFile.snapshot} therefore `fstat`
 * the open file first and throw instead of reading when it has shrunk below the mapped length;
 * {@link LiveStatsFile.hasBeenReplaced} reports any size change. {@link LiveStatsFile.read}
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
 * const values: Value[] = [];
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
  #layout: V1Layout;
  #identity: Identity;

  private constructor(path: string, mmap: boolean, opened: OpenedStatsFile, layout: V1Layout) {
    this.path = path;
    this.#mmap = mmap;
    this.#layout = layout;
    this.#identity = identityOf(opened);
    this.#adopt(opened);
  }

  /**
   * Opens `path` and parses its layout.
   *
   * @param options - `mmap` (default `true`): map the file shared and read-only, falling back
   *   to plain reads when mapping fails
   * @throws `MmstatsError` with `path` set: a format error (`MMSTATS-E0xx`), `NOT_FOUND`,
   *   `NOT_A_FILE` or `READ_FAILED` (see `readStats`)
   */
  static open(path: string, options: ReadOptions = {}): LiveStatsFile {
    const mmap = options.mmap ?? true;
    const { opened, layout } = openAndParse(path, mmap);
    return new LiveStatsFile(path, mmap, opened, layout);
  }

  /** The fields in file order, as parsed at open (or the last {@link LiveStatsFile.reopen}). */
  get fields(): readonly V1FieldLayout[] {
    return this.#layout.fields;
  }

  /** `true` while the values come from a shared mapping, `false` when they are read with `pread`. */
  get mapped(): boolean {
    return this.#mapped;
  }

  /**
   * The current value of `field` (one of {@link LiveStatsFile.fields}), by the double-buffer
   * rule (spec/format-v1.md#buffering). Allocates nothing but the value itself (a `bigint`
   * or a string). Does not check the file's size: see the class notes.
   *
   * @throws `MmstatsError` `READ_FAILED` when the view is closed or (unmapped) the read fails
   */
  read(field: V1FieldLayout): Value {
    const fd = this.#openDescriptor();
    if (!this.#mapped) {
      // The write-buffer byte and both buffers: one pread of the field's moving parts.
      this.#pread(fd, field.writeBufferOffset, field.offset + field.size);
    }
    return readV1Value(this.#file, field);
  }

  /**
   * The current values of all fields, in field order, written into `into` (which is resized
   * and returned) so that a poller reuses one array. Checks first that the file still covers
   * everything it reads.
   *
   * @param into - an array to reuse; default a new one
   * @throws `MmstatsError` `READ_FAILED` (with `path`) when the file shrank under the view or
   *   the view is closed: {@link LiveStatsFile.reopen} it
   */
  readAll(into: Value[] = []): Value[] {
    this.#refresh();
    const fields = this.#layout.fields;
    into.length = fields.length;
    for (let i = 0; i < fields.length; i++) into[i] = readV1Value(this.#file, fields[i]!);
    return into;
  }

  /**
   * Every field with its current value, as `readStats` would give it.
   *
   * @throws like {@link LiveStatsFile.readAll}
   */
  snapshot(): StatsSnapshot {
    this.#refresh();
    return snapshotOf(this.path, this.#layout, this.#file);
  }

  /**
   * `true` when the view no longer shows the file at {@link LiveStatsFile.path}: the path is
   * gone or unreadable, names a different file (other device or inode: a writer renamed a new
   * file over it, or a new process recreated it), or the file's size changed since it was
   * opened (grown, or shrunk so that reading could fault). Also `true` once closed. One `stat`.
   * Never throws.
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
    return false;
  }

  /**
   * Opens {@link LiveStatsFile.path} again: a new mapping and a new layout (fields may have
   * changed). Works after {@link LiveStatsFile.close} too.
   *
   * @throws `MmstatsError` with `path` set when the file is now missing or bad; the view is
   *   then left as it was (still open on the old file, if it was)
   */
  reopen(): void {
    const { opened, layout } = openAndParse(this.path, this.#mmap);
    this.#release();
    this.#layout = layout;
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
    this.#file = statsBytes(opened.bytes);
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
    if (!this.#mapped) {
      this.#pread(fd, 0, this.#layout.end);
      return;
    }
    const mappedLength = this.#file.bytes.length;
    let size: number;
    try {
      size = fstatSync(fd).size;
    } catch (error) {
      throw fileError(this.path, error);
    }
    if (size < mappedLength) throw this.#shrunk(size, mappedLength);
  }

  /** Re-reads `bytes[start, end)` of the unmapped copy from the file. */
  #pread(fd: number, start: number, end: number): void {
    let reached: number;
    try {
      reached = readInto(fd, this.#file.bytes, start, end);
    } catch (error) {
      throw fileError(this.path, error);
    }
    if (reached < end) throw this.#shrunk(reached, end);
  }

  #shrunk(size: number, needed: number): MmstatsError {
    return new MmstatsError(
      'READ_FAILED',
      `the file shrank to ${size} bytes, below the ${needed} this view reads; reopen() it`,
      { path: this.path },
    );
  }
}

function openAndParse(path: string, mmap: boolean): { opened: OpenedStatsFile; layout: V1Layout } {
  const opened = openStatsFile(path, mmap);
  try {
    return { opened, layout: parseLayout(path, opened.bytes) };
  } catch (error) {
    closeQuietly(opened.fd);
    throw error;
  }
}

function identityOf(opened: OpenedStatsFile): Identity {
  return { dev: opened.stats.dev, ino: opened.stats.ino, size: Number(opened.stats.size) };
}
