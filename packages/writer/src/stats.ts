/**
 * Opening a set of fields as one stats file, and the controls of an opened file
 * (`flush`, `remove`). Shared by declarative models and the procedural builder.
 *
 * @module
 */
import { MmstatsError, planV1Layout, statsBytes, type V1FieldLayout, writeV1Headers } from '@mmstats/format';
import type { FieldDef } from './fields.js';
import { bind, type FieldHandle, type Target } from './handle.js';
import { createMappedFile, flushMapped, pageRounded, removeLeftovers, unlinkMapped, type MappedFile } from './stats-file.js';
import { commandName, filenameTemplate, pathTemplate, siblingMatcher, statsPath } from './templates.js';
import { osThreadId } from './thread-id.js';

/** Where and how the stats file is written. */
export interface FileOptions {
  /**
   * Directory template (`{CMD}`, `{PID}`, `{TID}` are replaced).
   * Default: `$MMSTATS_PATH`, else the OS temp directory (spec/files.md#file-names).
   */
  readonly path?: string;
  /**
   * File name template. Default: `$MMSTATS_FILES`, else `"{CMD}-{PID}-{TID}.mmstats"`, so
   * every process and thread writes its own file.
   */
  readonly filename?: string;
  /** Permission bits of a new file; the umask still applies. Default: `0o644`. */
  readonly mode?: number;
  /**
   * When the file cannot be created or mapped (missing or read-only directory, disk full,
   * a symlink in the way...), keep the stats in memory and warn once instead of throwing,
   * so metrics never take a service down. Default: `false` (throw a `MmstatsError`).
   */
  readonly degrade?: boolean;
  /** Called with the error when `degrade` kicks in. Default: `process.emitWarning(error)`. */
  readonly onDegrade?: (error: MmstatsError) => void;
  /** Remove the file (see {@link StatsFile.remove}) when the process or worker exits. Default: `false`. */
  readonly removeOnExit?: boolean;
}

/** Options of `Model.open()`. */
export interface OpenOptions extends FileOptions {
  /** Put in front of every label, e.g. `"web.stats."`. Default: `""`. */
  readonly labelPrefix?: string;
}

/** Options of `msync`. */
export interface FlushOptions {
  /** Wait until the pages are written (`MS_SYNC`) or only schedule it (`MS_ASYNC`). Default: `true`. */
  readonly blocking?: boolean;
}

/** The names an opened stats object uses for itself; fields cannot take them. */
export const RESERVED_NAMES = ['path', 'size', 'inMemory', 'layout', 'flush', 'remove'] as const;

/** One of {@link RESERVED_NAMES}. */
export type ReservedName = (typeof RESERVED_NAMES)[number];

/** A field to open: its handle and its definition. */
export interface OpenEntry {
  readonly handle: FieldHandle;
  readonly def: FieldDef<FieldHandle>;
}

const exitRemovals = new Set<StatsFile>();
let exitHooked = false;

/** An opened stats file: where it is, and `flush()` / `remove()`. Field handles hang off it. */
export class StatsFile {
  /** Full path of the file (also when degraded to memory: where it would have been). */
  readonly path: string;
  /** Bytes of the file: the records rounded up to whole pages. */
  readonly size: number;
  /** `true` when the stats live in heap memory only (degraded, or removed). */
  inMemory: boolean;
  /** Where each field's record is, in file order (spec/format-v1.md#field-record). */
  readonly layout: readonly V1FieldLayout[];

  #mapped: MappedFile | undefined;
  readonly #target: Target;
  readonly #handles: readonly FieldHandle[];
  readonly #leftovers: ((name: string) => number | undefined) | undefined;
  readonly #tid: number;

  /** @internal */
  constructor(path: string, layout: readonly V1FieldLayout[], target: Target, mapped: MappedFile | undefined, handles: readonly FieldHandle[], leftovers: ((name: string) => number | undefined) | undefined, tid: number) {
    this.path = path;
    this.size = target.bytes.length;
    this.inMemory = mapped === undefined;
    this.layout = layout;
    this.#mapped = mapped;
    this.#target = target;
    this.#handles = handles;
    this.#leftovers = leftovers;
    this.#tid = tid;
  }

  /**
   * Writes the mapped pages to disk (msync). Readers never need this: they see the mapping
   * live. It matters only for what stays on disk after a crash. No-op in memory.
   *
   * @throws MmstatsError FLUSH_FAILED naming the path
   */
  flush(options: FlushOptions = {}): void {
    if (this.#mapped !== undefined) flushMapped(this.#mapped, this.path, options.blocking ?? true);
  }

  /**
   * Unlinks the file; and when the file name template has both `{PID}` and `{TID}`, also this
   * process's leftover files of threads that have ended (as Python's `remove()` does, except
   * that a live thread's file is kept). Handles keep working afterwards, on a copy in memory.
   * Calling it again does nothing.
   */
  remove(): void {
    const mapped = this.#mapped;
    exitRemovals.delete(this);
    if (mapped === undefined) return;
    this.#mapped = undefined;
    this.inMemory = true;
    // Re-point the handles at a heap copy so late updates stay harmless and the mapping can be
    // garbage-collected (the binding has no munmap).
    const copy = statsBytes(this.#target.bytes.slice());
    this.#handles.forEach((handle, i) => handle[bind](copy, this.layout[i]!, 'moved'));
    unlinkMapped(mapped, this.path);
    if (this.#leftovers !== undefined) removeLeftovers(this.path, this.#leftovers, this.#tid);
  }

}

/** Removes `stats` when the process (or this worker) exits: one `exit` listener for all files. */
function removeAtExit(stats: StatsFile): void {
  exitRemovals.add(stats);
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const file of exitRemovals) file.remove();
  });
}

/**
 * Lays out, creates and maps the file for `entries`, binds every handle to its record and
 * publishes the version byte last, so a reader never parses a half-written record.
 *
 * @param how - `fresh` for new handles, `carry` for handles already holding values
 * @throws MmstatsError (INVALID_FIELD for the fields; file errors unless `degrade` is set)
 */
export function openEntries(entries: readonly OpenEntry[], options: FileOptions, how: 'fresh' | 'carry'): StatsFile {
  const seen = new Set<string>();
  for (const { handle } of entries) {
    if (seen.has(handle.label)) throw new MmstatsError('INVALID_FIELD', `two fields have the label ${JSON.stringify(handle.label)}`);
    seen.add(handle.label);
  }
  const planned = planV1Layout(entries.map(({ handle }) => ({ label: handle.label, type: handle.type, buffered: handle.buffered })));
  if (!planned.ok) throw new MmstatsError('INVALID_FIELD', planned.error.detail, { cause: planned.error });
  const layout = planned.value;
  const size = pageRounded(layout.end);

  const tid = osThreadId();
  const values = { cmd: commandName(), pid: process.pid, tid };
  const filename = filenameTemplate(options.filename);
  const path = statsPath(pathTemplate(options.path), filename, values);

  const image = new Uint8Array(size);
  writeV1Headers(image, layout);
  let mapped: MappedFile | undefined;
  try {
    mapped = createMappedFile(path, size, { mode: options.mode ?? 0o644 });
  } catch (error) {
    if (!(error instanceof MmstatsError) || options.degrade !== true) throw error;
    (options.onDegrade ?? ((e: MmstatsError) => process.emitWarning(e)))(error);
  }
  let target: Target;
  if (mapped === undefined) {
    target = statsBytes(image);
  } else {
    target = mapped.target;
    target.bytes.set(image.subarray(1), 1);
  }
  entries.forEach(({ handle }, i) => handle[bind](target, layout.fields[i]!, how));
  target.bytes[0] = image[0]!;

  const stats = new StatsFile(path, layout.fields, target, mapped, entries.map((e) => e.handle), siblingMatcher(filename, values), tid);
  if (options.removeOnExit === true && mapped !== undefined) removeAtExit(stats);
  return stats;
}
