/**
 * The record handle of each attribute set of an instrument, found without sorting or
 * allocating on the calls that repeat: OpenTelemetry's `add(1, attributes)` is a hot path.
 *
 * @module
 */
import type { Attributes, AttributeValue } from '@opentelemetry/api';

/** The dimensions of a record: attribute keys and their values as text. */
export type Dims = Readonly<Record<string, string>>;

/** Makes the handle of one attribute set, given its dimensions (the scope's included). */
export type MakeHandle<H> = (dims: Dims) => H;

/**
 * An attribute value as dimension text: strings as they are, numbers and booleans as
 * `String()` gives them, arrays (OpenTelemetry's homogeneous arrays) as JSON; `undefined` for
 * `undefined` and `null`, which OpenTelemetry's SDK drops from the set.
 */
export function dimensionText(value: AttributeValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? JSON.stringify(value) : String(value);
}

/**
 * A key for `attributes` in their own order (`\u0000` between keys and values, which neither
 * holds in practice; a collision would only share a record between two sets): no sort.
 */
function orderKey(attributes: Attributes): string {
  let key = '';
  for (const name in attributes) {
    const text = dimensionText(attributes[name]);
    if (text !== undefined) key += `${name}\u0000${text}\u0000`;
  }
  return key;
}

/** The dimensions of `attributes`, and their key in sorted order: the same for `{a, b}` and `{b, a}`. */
function canonical(attributes: Attributes): { dims: Record<string, string>; key: string } {
  const dims: Record<string, string> = {};
  let key = '';
  for (const name of Object.keys(attributes).sort()) {
    const text = dimensionText(attributes[name]);
    if (text === undefined) continue;
    dims[name] = text;
    key += `${name}\u0000${text}\u0000`;
  }
  return { dims, key };
}

/**
 * The handles of one instrument's attribute sets. Lookups, cheapest first: no attributes (one
 * field); the same attributes object as the last call (one compare); an object seen before
 * (a `WeakMap`, so objects made per call are not kept alive); then a key built from the
 * attributes in their own order; then, for a set met first in another order, the sorted key.
 *
 * Attribute objects are taken as immutable once passed, as OpenTelemetry's API documents them
 * (`Attributes` values are read at the call): an object changed after a call keeps the record
 * of the set it had then. Past `limit` cached sets (more than the file's cardinality limit can
 * give records for), new sets are looked up by key on every call and not remembered.
 */
export class SeriesCache<H> {
  readonly #make: MakeHandle<H>;
  readonly #scope: Dims;
  readonly #limit: number;
  #none: H | undefined;
  #lastObject: Attributes | undefined;
  #lastHandle: H | undefined;
  readonly #byObject = new WeakMap<Attributes, H>();
  readonly #byKey = new Map<string, H>();

  /**
   * @param make - makes the handle of a set (called once per distinct set)
   * @param scope - dimensions every record of the instrument has (`otel.scope.name`...)
   * @param limit - sets remembered by key at most
   */
  constructor(make: MakeHandle<H>, scope: Dims, limit: number) {
    this.#make = make;
    this.#scope = scope;
    this.#limit = limit;
  }

  /** The handle of `attributes` (`undefined` or `{}` for the instrument's set without attributes). */
  get(attributes: Attributes | undefined): H {
    if (attributes === undefined) return this.#none ?? this.#noAttributes();
    if (attributes === this.#lastObject) return this.#lastHandle!;
    let handle = this.#byObject.get(attributes);
    if (handle === undefined) {
      handle = this.#byAttributes(attributes);
      this.#byObject.set(attributes, handle);
    }
    this.#lastObject = attributes;
    this.#lastHandle = handle;
    return handle;
  }

  #noAttributes(): H {
    return (this.#none = this.#make(this.#scope));
  }

  #byAttributes(attributes: Attributes): H {
    const order = orderKey(attributes);
    if (order === '') return this.#none ?? this.#noAttributes();
    let handle = this.#byKey.get(order);
    if (handle !== undefined) return handle;
    const { dims, key } = canonical(attributes);
    handle = this.#byKey.get(key);
    if (handle === undefined) handle = this.#make({ ...dims, ...this.#scope });
    if (this.#byKey.size < this.#limit) {
      this.#byKey.set(key, handle);
      this.#byKey.set(order, handle);
    }
    return handle;
  }
}
