/**
 * Opening a set of fields as one v1 stats file, and the controls of an opened v1 file
 * (`flush`, `remove`). Shared by declarative models and the procedural builder. v2 files are
 * in `v2/stats.ts`; the options every file takes in `common/file-options.ts`.
 *
 * @module
 */
import { MmstatsError, planV1Layout, statsBytes, type V1FieldLayout, writeV1Headers } from '@mmstats/format';
import { degradeOrThrow, type FileOptions, type FlushOptions } from '../common/file-options.js';
import { createMappedFile, flushMapped, pageRounded, removeLeftovers, unlinkMapped, type MappedFile } from '../common/stats-file.js';
import { rejectsTo } from '../common/rejected-values.js';
import { forgetAtExit, removeAtExit } from '../common/remove-on-exit.js';
import { filenameTemplate, siblingMatcher, statsLocation, templateValues } from '../common/templates.js';
import { osThreadId } from '../common/thread-id.js';
import { bind, type FieldHandle, type Target } from './handle.js';

/** A field to open in a v1 file: its handle. */
export interface OpenEntry {
  readonly handle: FieldHandle;
}

/** An opened v1 stats file: where it is, and `flush()` / `remove()`. Field handles hang off it. */
export class StatsFile {
  /** The file format: 1 (spec/format-v1.md). */
  readonly format = 1 as const;
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
    // v1 has no place for the count without changing Python's layout: the handles keep it.
    const sink = { path, count: () => {} };
    for (const handle of handles) handle[rejectsTo](sink);
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
    forgetAtExit(this);
    if (mapped === undefined) return;
    this.#mapped = undefined;
    this.inMemory = true;
    // Re-point the handles at a heap copy so late updates stay harmless and the mapping can be
    // garbage-collected (the binding has no munmap).
    // A copy: on a Buffer (the mapping), slice() would be a view of the same memory.
    const copy = statsBytes(new Uint8Array(this.#target.bytes));
    this.#handles.forEach((handle, i) => handle[bind](copy, this.layout[i]!, 'moved'));
    unlinkMapped(mapped, this.path);
    if (this.#leftovers !== undefined) removeLeftovers(this.path, this.#leftovers, this.#tid);
  }

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
  const values = templateValues(options.name, tid);
  const filename = filenameTemplate(options.filename);
  const { path, error: noDirectory } = statsLocation(options.path, filename, values);

  const image = new Uint8Array(size);
  writeV1Headers(image, layout);
  let mapped: MappedFile | undefined;
  try {
    if (noDirectory !== undefined) throw noDirectory;
    mapped = createMappedFile(path, size, { mode: options.mode ?? 0o644 });
  } catch (error) {
    degradeOrThrow(error, options);
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
