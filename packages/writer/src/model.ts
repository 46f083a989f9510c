/**
 * Declarative models: the TypeScript counterpart of Python's `MmStats` classes. Declare the
 * fields once; every `open()` writes a file of its own and returns typed handles.
 *
 * ```ts
 * const WebStats = defineModel({
 *   status2xx: counter({ label: 'status.2XX' }),
 *   lastHit: double({ label: 'timers.last_hit' }),
 * });
 * const stats = WebStats.open({ labelPrefix: 'web.stats.' });
 * stats.status2xx.incr();
 * stats.lastHit.value = Date.now() / 1000;
 * ```
 *
 * @module
 */
import { MmstatsError } from '@mmstats/format';
import type { FieldDef } from './fields.js';
import type { FieldHandle } from './handle.js';
import { RESERVED_NAMES, openEntries, type StatsFile, type OpenEntry, type OpenOptions, type ReservedName } from './stats.js';
import { systemFields } from './system-fields.js';

/** Field definitions by property name. Property names become labels unless a field sets `label`. */
export type FieldDefs = { readonly [name: string]: FieldDef<FieldHandle> } & { readonly [name in ReservedName]?: never };

/** The handle type of each field of `D`. */
export type Handles<D extends FieldDefs> = { readonly [K in keyof D]: D[K] extends FieldDef<infer H> ? H : never };

/** An opened model: a typed handle per field, plus the file controls of {@link StatsFile}. */
export type Stats<D extends FieldDefs> = Handles<D> & StatsFile;

/** Options of {@link defineModel}. */
export interface ModelOptions {
  /**
   * Add the default model's fields after yours: `sys.pid`, `sys.tid`, `sys.uid`, `sys.gid`,
   * `org.nodejs.version`, `sys.created`, as Python's `MmStats` (`false` is Python's
   * `BaseMmStats`). They are written, not exposed as handles. Default: `true`.
   */
  readonly system?: boolean;
}

/** A declared model. */
export interface Model<D extends FieldDefs> {
  /** The definitions, as given. */
  readonly fields: D;
  /**
   * Creates this instance's stats file (see {@link OpenOptions} for where) and returns its
   * handles. Open once per thread: each opened instance must be the only writer of its file.
   *
   * @throws MmstatsError naming the path when the file cannot be made (unless `degrade`)
   */
  open(options?: OpenOptions): Stats<D>;
}

/**
 * Declares a model: an object of field definitions, e.g. `{ hits: counter() }`. The result's
 * `open()` returns an object whose properties are the fields' handles, fully typed.
 *
 * @throws MmstatsError INVALID_FIELD when a property name is one of {@link RESERVED_NAMES}
 */
export function defineModel<const D extends FieldDefs>(fields: D, options: ModelOptions = {}): Model<D> {
  for (const name of Object.keys(fields)) {
    if ((RESERVED_NAMES as readonly string[]).includes(name)) {
      throw new MmstatsError('INVALID_FIELD', `${JSON.stringify(name)} is used by the opened stats object itself; choose another property name (its label can still be ${JSON.stringify(name)})`);
    }
  }
  const system = options.system ?? true;
  return {
    fields,
    open(openOptions: OpenOptions = {}): Stats<D> {
      const prefix = openOptions.labelPrefix ?? '';
      const entries: Array<OpenEntry & { name: string | undefined }> = [];
      for (const [name, def] of Object.entries(fields)) entries.push(entry(def, prefix, name, name));
      if (system) for (const [name, def] of Object.entries(systemFields)) entries.push(entry(def, prefix, name, undefined));
      const stats = openEntries(entries, openOptions, 'fresh');
      for (const { name, handle } of entries) {
        if (name !== undefined) Object.defineProperty(stats, name, { value: handle, enumerable: true });
      }
      return stats as Stats<D>;
    },
  };
}

function entry(def: FieldDef<FieldHandle>, prefix: string, key: string, name: string | undefined): OpenEntry & { name: string | undefined } {
  return { def, name, handle: def.create(prefix + (def.label ?? key)) };
}

