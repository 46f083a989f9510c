/**
 * The procedural API, for stats known only at run time: add fields one by one, open, and (in
 * v2) keep adding to the open file.
 *
 * ```ts
 * const builder = new StatsBuilder({ labelPrefix: 'queues.' });
 * const depths = queueNames.map((name) => builder.add(`${name}.depth`, gauge()));
 * const stats = builder.open();
 * depths[0].value = 12;
 * const late = builder.add('late.depth', gauge()); // v2: a record added to the open file
 * ```
 *
 * @module
 */
import { MmstatsError, planV1Layout, statsBytes, writeV1Headers } from '@mmstats/format';
import type { AnyFieldDef, HandleOf } from './common/field-def.js';
import type { FileOptions, Format } from './common/file-options.js';
import { checkFormat, requireV1, type FileOf, type ModelOptions } from './model.js';
import { bind, type FieldHandle } from './v1/handle.js';
import { openEntries } from './v1/stats.js';
import { bindV2, heapArea, type RecordHandle } from './v2/handle.js';
import { openEntriesV2, type StatsFileV2, type V2Entry } from './v2/stats.js';
import { systemFields, systemFieldsV2 } from './system-fields.js';

/** Options of {@link StatsBuilder}. */
export interface BuilderOptions<F extends Format = 2> extends ModelOptions<F> {
  /** Put in front of every label. Default: `""`. */
  readonly labelPrefix?: string;
}

/**
 * Collects fields, then opens them as one stats file of format `F` (2 unless
 * `format: 1`). Handles are returned by `add()` and work at once: values set before `open()`
 * are kept in memory and carried into the file. In v2, `add()` after `open()` adds the record
 * to the open file (see {@link StatsFileV2.add}).
 */
export class StatsBuilder<F extends Format = 2> {
  /** The format `open()` writes. */
  readonly format: F;
  readonly #prefix: string;
  readonly #system: boolean;
  readonly #v1: FieldHandle[] = [];
  readonly #v2: V2Entry[] = [];
  readonly #keys = new Set<string>();
  #opened: FileOf<F> | undefined;

  /** @param options - format (default 2), label prefix and whether to add the default model's fields (default: yes) */
  constructor(options: BuilderOptions<F> = {}) {
    this.format = (options.format ?? 2) as F;
    checkFormat(this.format);
    this.#prefix = options.labelPrefix ?? '';
    this.#system = options.system ?? true;
  }

  /**
   * Adds a field labelled `labelPrefix + (def.label ?? name)` and returns its handle. In v2,
   * after `open()`, the record is added to the open file.
   *
   * @throws MmstatsError INVALID_FIELD for a label (and, in v2, dimensions) already added, a bad
   *   definition, a field only v2 has in a v1 builder, or in v1 after `open()` (a v1 file
   *   cannot grow)
   */
  add<D extends AnyFieldDef>(name: string, def: D): HandleOf<D, F> {
    return (this.format === 1 ? this.#addV1(name, def) : this.#addV2(name, def)) as HandleOf<D, F>;
  }

  #addV1(name: string, def: AnyFieldDef): FieldHandle {
    if (this.#opened !== undefined) throw new MmstatsError('INVALID_FIELD', `cannot add ${JSON.stringify(name)}: the stats file is already open and v1 files cannot grow (format 2 files can)`);
    const handle = requireV1(name, def).create(this.#prefix + (def.label ?? name)) as FieldHandle;
    if (this.#v1.some((h) => h.label === handle.label)) {
      throw new MmstatsError('INVALID_FIELD', `a field labelled ${JSON.stringify(handle.label)} was already added`);
    }
    // Until open(), the handle writes into a record of its own in memory.
    const planned = planV1Layout([{ label: handle.label, type: handle.type, buffered: handle.buffered }]);
    if (!planned.ok) throw new MmstatsError('INVALID_FIELD', planned.error.detail, { cause: planned.error });
    const scratch = new Uint8Array(planned.value.end);
    writeV1Headers(scratch, planned.value);
    handle[bind](statsBytes(scratch), planned.value.fields[0]!, 'moved');
    this.#v1.push(handle);
    return handle;
  }

  #addV2(name: string, def: AnyFieldDef): RecordHandle {
    const opened = this.#opened as StatsFileV2 | undefined;
    if (opened !== undefined) return opened.add(name, def) as RecordHandle;
    const handle = def.v2.create(this.#prefix + (def.label ?? name)) as RecordHandle;
    const key = JSON.stringify([handle.label, Object.entries(def.v2.spec.dims ?? {}).sort()]);
    if (this.#keys.has(key)) throw new MmstatsError('INVALID_FIELD', `a field labelled ${JSON.stringify(handle.label)} with these dimensions was already added`);
    this.#keys.add(key);
    // Until open(), the handle writes into a value area of its own in memory.
    handle[bindV2](heapArea(handle.valueSize), 0, undefined, 'fresh');
    this.#v2.push({ handle, spec: def.v2.spec, how: 'carry' });
    return handle;
  }

  /**
   * Creates and maps the file with every field added so far (then the default model's fields).
   *
   * @throws MmstatsError when already opened, INVALID_FIELD for bad definitions, or the file
   *   errors of `Model.open()`
   */
  open(options: FileOptions = {}): FileOf<F> {
    if (this.#opened !== undefined) throw new MmstatsError('INVALID_FIELD', 'this builder was already opened; make a new one for another file');
    if (this.format === 1) {
      const system = this.#system ? Object.values(systemFields).map((def) => ({ handle: def.v1!.create(this.#prefix + def.label!) as FieldHandle })) : [];
      this.#opened = openEntries([...this.#v1.map((handle) => ({ handle })), ...system], options, 'carry') as FileOf<F>;
    } else {
      const system = this.#system
        ? Object.values(systemFieldsV2).map((def): V2Entry => ({ handle: def.v2.create(this.#prefix + def.label!), spec: def.v2.spec, how: 'fresh' }))
        : [];
      this.#opened = openEntriesV2([...this.#v2, ...system], { ...options, labelPrefix: this.#prefix }) as FileOf<F>;
    }
    return this.#opened;
  }
}
