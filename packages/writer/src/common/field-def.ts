/**
 * What a field definition is, for either format: the v2 record and, where v1 has one, the v1
 * record, each with the function that makes the handle. The factories, which make v1 and v2
 * handles, are in `fields.ts`; v2's `add()` takes a definition without importing them.
 *
 * @module
 */
import type { V2RecordSpec } from '@mmstats/format';
import type { Format } from './file-options.js';

/** What a field is in a v2 file: a record spec without its label (spec/format-v2.md#record). */
export type V2FieldSpec = Omit<V2RecordSpec, 'label'>;

/** How a field is written in a v2 file. */
export interface V2Def<H> {
  /** The record's kind, encoding, unit, help, dimensions, merge rule and parameters. */
  readonly spec: V2FieldSpec;
  /** Makes the handle for one opened file, with its full label. */
  readonly create: (label: string) => H;
}

/** How a field is written in a v1 file. */
export interface V1Def<H> {
  /** The v1 type signature, e.g. `"Q"` (spec/format-v1.md#type-signatures). */
  readonly type: string;
  /** Double-buffered (spec/format-v1.md#buffering) or written in place. */
  readonly buffered: boolean;
  /** Makes the handle for one opened file, with its full label. */
  readonly create: (label: string) => H;
}

/**
 * What one field will be. `H` is the handle type a v2 file gives it, `H1` the handle type of a
 * v1 file (`never` for the kinds only v2 has: histograms, windows, `i64` gauges).
 */
export interface FieldDef<H, H1 = never> {
  /** The label without the model's prefix; `undefined` means "the property name". */
  readonly label: string | undefined;
  /** The v2 record (every field has one). */
  readonly v2: V2Def<H>;
  /** The v1 record, or `undefined` when v1 has no equivalent: such a field is refused in a v1 file. */
  readonly v1: V1Def<H1> | undefined;
}

/** Any field definition: what models and builders accept. */
export type AnyFieldDef = FieldDef<unknown, unknown>;

/** The handle a definition `T` gives in a file of format `F`. */
export type HandleOf<T, F extends Format> = T extends FieldDef<infer H, infer H1> ? (F extends 1 ? H1 : H) : never;
