/**
 * Declarative models: the TypeScript counterpart of Python's `MmStats` classes. Declare the
 * fields once; every `open()` writes a file of its own and returns typed handles.
 *
 * ```ts
 * const WebStats = defineModel({
 *   requests: counter({ label: 'http.requests', unit: 'requests' }),
 *   latency: timer({ label: 'http.duration' }),
 * });
 * const stats = WebStats.open({ labelPrefix: 'web.' });   // format 2 (the default)
 * stats.requests.incr();
 * stats.latency.record(0.012);
 *
 * const ForPython = defineModel({ hits: counter() }, { format: 1 }); // Python mmstats 0.8.0 files
 * ```
 *
 * @module
 */
import { MmstatsError } from '@mmstats/format';
import type { AnyFieldDef, HandleOf } from './common/field-def.js';
import { RESERVED_NAMES, type Format, type OpenOptions, type ReservedName } from './common/file-options.js';
import type { FieldHandle } from './v1/handle.js';
import { openEntries, type StatsFile } from './v1/stats.js';
import type { RecordHandle } from './v2/handle.js';
import { openEntriesV2, type StatsFileV2 } from './v2/stats.js';
import { systemFields, systemFieldsV2 } from './system-fields.js';

/** Field definitions by property name. Property names become labels unless a field sets `label`. */
export type FieldDefs = { readonly [name: string]: AnyFieldDef } & { readonly [name in ReservedName]?: never };

/** The handle type of each field of `D` in a file of format `F` (`never` for a v2-only field in a v1 file). */
export type Handles<D extends FieldDefs, F extends Format = 2> = { readonly [K in keyof D]: HandleOf<D[K], F> };

/** The opened file of format `F`: {@link StatsFileV2} or, for format 1, {@link StatsFile}. */
export type FileOf<F extends Format> = F extends 1 ? StatsFile : StatsFileV2;

/** An opened model: a typed handle per field, plus the file controls of {@link StatsFileV2} (or {@link StatsFile} for v1). */
export type Stats<D extends FieldDefs, F extends Format = 2> = Handles<D, F> & FileOf<F>;

/** Options of {@link defineModel}. */
export interface ModelOptions<F extends Format = 2> {
  /**
   * Add the default model's fields after yours. v1: `sys.pid`, `sys.tid`, `sys.uid`,
   * `sys.gid`, `org.nodejs.version`, `sys.created`, as Python's `MmStats` (`false` is
   * Python's `BaseMmStats`). v2: only `org.nodejs.version` (an `info` record): the pid,
   * thread id, process start and creation time are in the v2 header, and the user is the
   * file's owner. They are written, not exposed as handles. Default: `true`.
   */
  readonly system?: boolean;
  /**
   * The format `open()` writes unless told otherwise: 2 (the default) or 1 (Python mmstats
   * 0.8.0 files). With 1, fields that only v2 has (histograms, windows, `i64` gauges) are
   * refused here, at definition time.
   */
  readonly format?: F;
  /** What `{NAME}` stands for in the file name templates of the files it opens, unless `open()` is given a `name`. Default: the program's name (`{CMD}`). */
  readonly name?: string;
}

/** A declared model. */
export interface Model<D extends FieldDefs, F extends Format = 2> {
  /** The definitions, as given. */
  readonly fields: D;
  /** The format `open()` writes by default. */
  readonly format: F;
  /**
   * Creates this instance's stats file (see {@link OpenOptions} for where, and `format`) and
   * returns its handles. Open once per thread: each opened instance must be the only writer
   * of its file.
   *
   * @throws MmstatsError INVALID_FIELD for a field the format cannot hold; file errors naming
   *   the path when the file cannot be made (unless `degrade`)
   */
  open<G extends Format = F>(options?: OpenOptions<G>): Stats<D, G>;
}

/**
 * Declares a model: an object of field definitions, e.g. `{ hits: counter() }`. The result's
 * `open()` returns an object whose properties are the fields' handles, fully typed.
 *
 * @throws MmstatsError INVALID_FIELD when a property name is one of {@link RESERVED_NAMES},
 *   or, with `format: 1`, for a field only v2 has
 */
export function defineModel<const D extends FieldDefs, F extends Format = 2>(fields: D, options: ModelOptions<F> = {}): Model<D, F> {
  for (const name of Object.keys(fields)) {
    if ((RESERVED_NAMES as readonly string[]).includes(name)) {
      throw new MmstatsError('INVALID_FIELD', `${JSON.stringify(name)} is used by the opened stats object itself; choose another property name (its label can still be ${JSON.stringify(name)})`);
    }
  }
  const format = (options.format ?? 2) as F;
  checkFormat(format);
  if (format === 1) for (const [name, def] of Object.entries(fields)) requireV1(name, def);
  const system = options.system ?? true;
  return {
    fields,
    format,
    open<G extends Format = F>(openOptions: OpenOptions<G> = {}): Stats<D, G> {
      const chosen = openOptions.format ?? format;
      checkFormat(chosen);
      const prefix = openOptions.labelPrefix ?? '';
      const label = (def: AnyFieldDef, key: string) => prefix + (def.label ?? key);
      let stats: StatsFile | StatsFileV2;
      const named: Array<{ name: string; handle: FieldHandle | RecordHandle }> = [];
      if (chosen === 1) {
        const entries: Array<{ handle: FieldHandle }> = [];
        for (const [name, def] of Object.entries(fields)) {
          const handle = requireV1(name, def).create(label(def, name)) as FieldHandle;
          entries.push({ handle });
          named.push({ name, handle });
        }
        if (system) for (const [name, def] of Object.entries(systemFields)) entries.push({ handle: def.v1!.create(label(def, name)) });
        stats = openEntries(entries, withName(openOptions, options.name), 'fresh');
      } else {
        const entries = [];
        for (const [name, def] of Object.entries(fields)) {
          const handle = def.v2.create(label(def, name)) as RecordHandle;
          entries.push({ handle, spec: def.v2.spec, how: 'fresh' as const });
          named.push({ name, handle });
        }
        if (system) for (const [name, def] of Object.entries(systemFieldsV2)) entries.push({ handle: def.v2.create(label(def, name)), spec: def.v2.spec, how: 'fresh' as const });
        stats = openEntriesV2(entries, withName(openOptions, options.name));
      }
      for (const { name, handle } of named) Object.defineProperty(stats, name, { value: handle, enumerable: true });
      return stats as Stats<D, G>;
    },
  };
}

/** INVALID_FIELD unless `format` is 1 or 2. */
export function checkFormat(format: unknown): void {
  if (format !== 1 && format !== 2) throw new MmstatsError('INVALID_FIELD', `format must be 1 or 2, got ${JSON.stringify(format)}`);
}

/** The v1 definition of a field, or INVALID_FIELD naming the field when only v2 has its kind. */
export function requireV1(name: string, def: AnyFieldDef): NonNullable<AnyFieldDef['v1']> {
  if (def.v1 !== undefined) return def.v1;
  const spec = def.v2.spec;
  const what = spec.encoding === undefined ? spec.kind : `${spec.kind} (${spec.encoding})`;
  throw new MmstatsError('INVALID_FIELD', `field ${JSON.stringify(def.label ?? name)} is a ${what}, which only format v2 has: open it with format 2 (the default), or leave it out of the v1 (Python-compatible) file`);
}

/** `options` with the model's `name` when they give none. */
function withName<O extends { readonly name?: string }>(options: O, name: string | undefined): O {
  return options.name !== undefined || name === undefined ? options : { ...options, name };
}
