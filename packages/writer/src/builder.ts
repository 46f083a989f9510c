/**
 * The procedural API, for stats known only at run time: add fields one by one, then open.
 *
 * ```ts
 * const builder = new StatsBuilder({ labelPrefix: 'queues.' });
 * const depths = queueNames.map((name) => builder.add(`${name}.depth`, uint()));
 * const stats = builder.open();
 * depths[0].value = 12;
 * ```
 *
 * @module
 */
import { MmstatsError, planV1Layout, statsBytes, writeV1Headers } from '@mmstats/format';
import type { FieldDef } from './fields.js';
import { bind, type FieldHandle } from './handle.js';
import { openEntries, type FileOptions, type OpenEntry, type StatsFile } from './stats.js';
import { systemFields } from './system-fields.js';
import type { ModelOptions } from './model.js';

/** Options of {@link StatsBuilder}. */
export interface BuilderOptions extends ModelOptions {
  /** Put in front of every label. Default: `""`. */
  readonly labelPrefix?: string;
}

/**
 * Collects fields, then opens them as one stats file. Handles are returned by `add()` and
 * work at once: values set before `open()` are kept in memory and carried into the file.
 */
export class StatsBuilder {
  readonly #prefix: string;
  readonly #system: boolean;
  readonly #entries: OpenEntry[] = [];
  #opened: StatsFile | undefined;

  /** @param options - label prefix and whether to add the default `sys.*` fields (default: yes) */
  constructor(options: BuilderOptions = {}) {
    this.#prefix = options.labelPrefix ?? '';
    this.#system = options.system ?? true;
  }

  /**
   * Adds a field labelled `labelPrefix + (def.label ?? name)` and returns its handle.
   *
   * @throws MmstatsError INVALID_FIELD after `open()` (a v1 file cannot grow) or for a label
   *   already added
   */
  add<H extends FieldHandle>(name: string, def: FieldDef<H>): H {
    if (this.#opened !== undefined) throw new MmstatsError('INVALID_FIELD', `cannot add ${JSON.stringify(name)}: the stats file is already open and v1 files cannot grow`);
    const handle = def.create(this.#prefix + (def.label ?? name));
    if (this.#entries.some((e) => e.handle.label === handle.label)) {
      throw new MmstatsError('INVALID_FIELD', `a field labelled ${JSON.stringify(handle.label)} was already added`);
    }
    // Until open(), the handle writes into a record of its own in memory.
    const planned = planV1Layout([{ label: handle.label, type: handle.type, buffered: handle.buffered }]);
    if (!planned.ok) throw new MmstatsError('INVALID_FIELD', planned.error.detail, { cause: planned.error });
    const scratch = new Uint8Array(planned.value.end);
    writeV1Headers(scratch, planned.value);
    handle[bind](statsBytes(scratch), planned.value.fields[0]!, 'moved');
    this.#entries.push({ handle, def });
    return handle;
  }

  /**
   * Creates and maps the file with every field added so far (then the `sys.*` fields).
   *
   * @throws MmstatsError when already opened, or the file errors of `Model.open()`
   */
  open(options: FileOptions = {}): StatsFile {
    if (this.#opened !== undefined) throw new MmstatsError('INVALID_FIELD', 'this builder was already opened; make a new one for another file');
    const system: OpenEntry[] = this.#system ? Object.values(systemFields).map((def) => ({ def, handle: def.create(this.#prefix + def.label!) })) : [];
    this.#opened = openEntries([...this.#entries, ...system], options, 'carry');
    return this.#opened;
  }
}
