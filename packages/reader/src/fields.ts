/**
 * What a reader gives for each field of a file, whatever the file's version: the types of
 * `readStats`, `LiveStatsFile.snapshot` and `scanStats`, and how a v1 field, which says only
 * its label and type, is described in v2's terms (kind, merge rule).
 *
 * @module
 */
import type {
  MmstatsError,
  Notice,
  V1FieldLayout,
  V1Layout,
  V2Header,
  V2RecordLayout,
  V2Value,
  Value,
} from '@mmstats/format';

/**
 * Where a field lives: a v1 field's layout (spec/format-v1.md#field-record) or a v2 record's
 * (spec/format-v2.md#record). Tell them apart with {@link isV2Layout} (or the field's
 * `version`).
 */
export type FieldLayout = V1FieldLayout | V2RecordLayout;

/**
 * A field's value: a v1 {@link Value} (`number`, `bigint`, `boolean`, `string`) or a v2
 * `V2Value` (the same scalars, plus `AverageValue`, `HistogramValue`, `ExpHistogramValue` and `WindowValue` objects
 * for the composite encodings, spec/format-v2.md#encodings).
 */
export type FieldValue = Value | V2Value;

/** `true` when `layout` is a v2 record's (it has an `encodingName`), `false` for a v1 field's. */
export function isV2Layout(layout: FieldLayout): layout is V2RecordLayout {
  return 'encodingName' in layout;
}

/** The kinds a v1 field is given by {@link inferV1Kind}. */
export type V1Kind = 'counter' | 'gauge' | 'text';

/**
 * The kind a v1 field most likely has, since v1 does not store one (spec/format-v1.md): a
 * double-buffered `Q` or `L` field (what mmstats' `CounterField` writes) is a `counter`, a
 * string (`Ns`) is `text`, anything else a `gauge`.
 */
export function inferV1Kind(layout: V1FieldLayout): V1Kind {
  if (layout.valueType.kind === 'string') return 'text';
  if (layout.buffered && (layout.valueType.code === 'Q' || layout.valueType.code === 'L')) return 'counter';
  return 'gauge';
}

/**
 * The merge rule of a v1 field in v2's terms (spec/format-v2.md#merge), from its inferred
 * kind: `sum` for counters and gauges, `none` for text (v2's defaults for those kinds).
 */
export function inferV1Merge(layout: V1FieldLayout): 'sum' | 'none' {
  return inferV1Kind(layout) === 'text' ? 'none' : 'sum';
}

/** What every field says about itself, v1 or v2. */
interface StatsFieldBase {
  /** The label, e.g. `"web.stats.status.2XX"` or `"http.requests"`. */
  readonly label: string;
  /**
   * What the value means. v2: the record's kind name (`"counter"`, `"histogram"`...,
   * spec/format-v2.md#kinds; `"kind-N"` for a kind this reader does not know, which readers
   * show as a gauge, notice `MMSTATS-W002`). v1: inferred by {@link inferV1Kind}.
   */
  readonly kind: string;
  /** The unit, e.g. `"seconds"`; `""` when unitless (always, for v1). */
  readonly unit: string;
  /** One line of help; `""` when there is none (always, for v1). */
  readonly help: string;
  /** The key=value dimensions (spec/format-v2.md#dims); `{}` when none (always, for v1). */
  readonly dims: Readonly<Record<string, string>>;
  /**
   * How values of this field combine across files (spec/format-v2.md#merge): v2, the
   * record's rule name (`"merge-N"` for one this reader does not know, treated as `none`);
   * v1, `sum` for counters and gauges and `none` for text ({@link inferV1Merge}).
   */
  readonly merge: string;
  /**
   * How the value is stored: v1, the type signature as stored (`"Q"`, `"16s"`,
   * spec/format-v1.md#type-signatures); v2, the encoding's name (`"f64"`, `"histogram"`...,
   * spec/format-v2.md#encodings).
   */
  readonly type: string;
}

/** A field of a v1 file with the value it held when read. */
export interface V1StatsField extends StatsFieldBase {
  /** The file's format version: 1. */
  readonly version: 1;
  /**
   * The value: `number` for integers up to 32 bits and floats, `bigint` for 64-bit integers,
   * `boolean` for `?`, `string` for `Ns`. For a buffered field, the buffer the writer wrote
   * last (spec/format-v1.md#buffering).
   */
  readonly value: Value;
  /** Where the field lives in the file: offsets, size, parsed type, buffered or not. */
  readonly layout: V1FieldLayout;
  /** Never set: v1 values are always read. */
  readonly error?: undefined;
  /** Never set: v1 values are always current. */
  readonly stale?: undefined;
}

/** A record of a v2 file with the value it held when read. */
export interface V2StatsField extends StatsFieldBase {
  /** The file's format version: 2. */
  readonly version: 2;
  /**
   * The value, by encoding (spec/format-v2.md#encodings): `f64` a number, `i64`/`u64` a
   * bigint, `text` a string, `average`/`histogram`/`window` an object. `undefined` exactly
   * when {@link V2StatsField.error} is set.
   */
  readonly value: V2Value | undefined;
  /** Where the record lives in the file: offsets, sizes, kind, encoding, parameters. */
  readonly layout: V2RecordLayout;
  /**
   * Why the value could not be read, with the file's path: `MMSTATS-E014` when the record's
   * sequence word never settled within the reader's bounded retries
   * (spec/format-v2.md#seqlock: a writer died in the middle of a write, or updates faster than
   * a copy takes), or `MMSTATS-E013` when a consistent copy holds invalid contents (a text
   * length past its capacity, spec/format-v2.md#enc-text). Only this record fails; the file's
   * other records read as usual.
   *
   * Live views (`LiveStatsFile.snapshot`) do not report `MMSTATS-E014` for a value the writer
   * was still changing when they have an earlier consistent copy of it: they give that copy,
   * marked {@link V2StatsField.stale}. A sequence word stuck odd (a writer that died) stays
   * `MMSTATS-E014`.
   */
  readonly error?: MmstatsError;
  /**
   * `true` when the value is the last consistent copy; the writer was updating it too fast to
   * copy this time (spec/format-v2.md#seqlock). Set only by live views
   * (`LiveStatsFile.snapshot`), which keep each record's last good copy and show it, as the
   * spec says a poller should, instead of `MMSTATS-E014`; the next read usually gets a fresh
   * value. Absent for a value read now.
   */
  readonly stale?: true;
}

/** One field of a stats file, v1 or v2: check `version` (or {@link isV2Layout}) to narrow. */
export type StatsField = V1StatsField | V2StatsField;

/** Every field of one stats file, as read at one moment. */
export interface StatsSnapshot {
  /** The path as it was given to the reader (not resolved). */
  readonly path: string;
  /** The format version from the file's first byte (spec/format-v1.md#file-version, spec/format-v2.md#header). */
  readonly version: 1 | 2;
  /**
   * v2 only: the header as read with the values (flags, `record_count`, `heartbeat` are
   * current; spec/format-v2.md#header). Absent for v1.
   */
  readonly header?: V2Header;
  /**
   * What the reader skipped or guessed (spec/errors.md#v2-notices): records of unknown
   * encodings (`MMSTATS-W001`) and kinds (`MMSTATS-W002`), in file order. Always empty for v1.
   */
  readonly notices: readonly Notice[];
  /** The fields in file order; readers must not assume any particular order. */
  readonly fields: readonly StatsField[];
  /**
   * v2: the file's service (its `mmstats.service` record, spec/files.md#service) and what it
   * says of itself as an archive (spec/files.md#archive-file; `undefined` when it is none),
   * both taken from every record when it was read, so that a snapshot whose fields were
   * filtered by label still counts by the archive rules (spec/files.md#archive-reading).
   * Absent on snapshots made by hand, whose own fields `serviceOf` and `archiveInfo` then read.
   */
  readonly service?: string | undefined;
  /** See {@link StatsSnapshot.service}. */
  readonly archive?: ArchiveInfo | undefined;
}

/** What an archive says of itself. */
export interface ArchiveInfo {
  /** Its service (`undefined`: the unnamed one). */
  readonly service: string | undefined;
  /** Its generation: the newest of a service's archives is the one that counts. */
  readonly generation: number;
  /** The files folded into it: `file_id` → when, Unix seconds. */
  readonly folded: ReadonlyMap<bigint, number>;
}

const NO_DIMS: Readonly<Record<string, string>> = Object.freeze({});
const NO_NOTICES: readonly Notice[] = Object.freeze([]);

/**
 * The field of `layout` with `value`.
 *
 * @internal
 */
export function v1Field(layout: V1FieldLayout, value: Value): V1StatsField {
  const kind = inferV1Kind(layout);
  return {
    version: 1,
    label: layout.label,
    kind,
    unit: '',
    help: '',
    dims: NO_DIMS,
    merge: inferV1Merge(layout),
    type: layout.type,
    value,
    layout,
  };
}

/**
 * The field of `record` with its value (marked `stale` when it is a last good copy), or with its
 * `MMSTATS-E014` / `MMSTATS-E013` (already carrying the path).
 *
 * @internal
 */
export function v2Field(
  record: V2RecordLayout,
  read: { readonly ok: true; readonly value: V2Value; readonly stale?: true } | { readonly ok: false; readonly error: MmstatsError },
): V2StatsField {
  // One literal then an added key, not spreads of a shared base: a spread cost a third of a decode.
  const field: { -readonly [K in keyof V2StatsField]: V2StatsField[K] } = {
    version: 2,
    label: record.label,
    kind: record.kindName,
    unit: record.unit,
    help: record.help,
    dims: dimsOf(record),
    merge: record.mergeName,
    type: record.encodingName,
    layout: record,
    value: read.ok ? read.value : undefined,
  };
  if (!read.ok) field.error = read.error;
  else if (read.stale === true) field.stale = true;
  return field;
}

// A record's dimensions never change once published: one object per record, however often it is read.
const dimsCache = new WeakMap<V2RecordLayout, Readonly<Record<string, string>>>();

function dimsOf(record: V2RecordLayout): Readonly<Record<string, string>> {
  if (record.dims.length === 0) return NO_DIMS;
  let dims = dimsCache.get(record);
  if (dims === undefined) {
    dims = Object.freeze(Object.fromEntries(record.dims));
    dimsCache.set(record, dims);
  }
  return dims;
}

/**
 * A v1 snapshot: every field of `layout` with the value `read` gives.
 *
 * @internal
 */
export function v1Snapshot(path: string, layout: V1Layout, read: (field: V1FieldLayout) => Value): StatsSnapshot {
  return { path, version: 1, notices: NO_NOTICES, fields: layout.fields.map((field) => v1Field(field, read(field))) };
}
