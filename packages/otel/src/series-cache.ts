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

/** An attribute value the lookup by order keys on: OpenTelemetry's primitive values. */
type Primitive = string | number | boolean;

/**
 * Pairs a node keeps in arrays, scanned by `===` before its `Map`: an instrument's calls mostly
 * repeat a few sets, and comparing interned strings is cheaper than hashing into a `Map`
 * (`add(1, {route})` with a literal per call: 17 ns, against 22–27 ns with a `Map` lookup per key and value; `node bench/otel.mjs`).
 */
const SCANNED_PAIRS = 8;

/**
 * A node of the lookup by the attributes' own order: each key and value leads to the next
 * node, the first {@link SCANNED_PAIRS} pairs met after it in `names`/`values`/`kids`, the
 * rest in `more`.
 */
interface Node<H> {
  handle: H | undefined;
  readonly names: string[];
  readonly values: Primitive[];
  readonly kids: Node<H>[];
  readonly more: Map<string, Map<Primitive, Node<H>>>;
}

const newNode = <H>(): Node<H> => ({ handle: undefined, names: [], values: [], kids: [], more: new Map() });

/** The node after `node` for the pair `name`=`value`, `undefined` when none was remembered. */
function childOf<H>(node: Node<H>, name: string, value: Primitive): Node<H> | undefined {
  const names = node.names;
  for (let i = 0; i < names.length; i++) {
    if (names[i] === name && node.values[i] === value) return node.kids[i];
  }
  return names.length < SCANNED_PAIRS ? undefined : node.more.get(name)?.get(value);
}

/** The node after `node` for `name`=`value`, made when new. */
function addChild<H>(node: Node<H>, name: string, value: Primitive): Node<H> {
  const known = childOf(node, name, value);
  if (known !== undefined) return known;
  const kid = newNode<H>();
  if (node.names.length < SCANNED_PAIRS) {
    node.names.push(name);
    node.values.push(value);
    node.kids.push(kid);
    return kid;
  }
  let byValue = node.more.get(name);
  if (byValue === undefined) node.more.set(name, (byValue = new Map()));
  byValue.set(value, kid);
  return kid;
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
 * field); the same attributes object as the last call (one compare); then the attributes' keys
 * and values in their own order, each compared by `===` with the first pairs met at that step and
 * looked up in a `Map` past them (string literals are interned, so nothing is hashed or built
 * per call, and an object made per call costs no allocation); and only for a set not met in that order before, a key sorted once,
 * so `{a, b}` and `{b, a}` share a record. Array values (rare) take the sorted key every call.
 *
 * Attribute objects are taken as unchanged between a call and the next with the same object:
 * unlike OpenTelemetry's SDK, which reads them at every call, an object changed in place after
 * a call and passed again counts for the set it held first (its identity is what makes a reused
 * object cost one compare). Past `limit` remembered sets (more than
 * the file's cardinality limit can give records for), new sets are looked up by their sorted key
 * on every call and not remembered.
 */
export class SeriesCache<H> {
  readonly #make: MakeHandle<H>;
  readonly #scope: Dims;
  readonly #limit: number;
  #none: H | undefined;
  #lastObject: Attributes | undefined;
  #lastHandle: H | undefined;
  readonly #root: Node<H> = newNode();
  readonly #bySortedKey = new Map<string, H>();
  #remembered = 0;

  /**
   * @param make - makes the handle of a set (called once per distinct set)
   * @param scope - dimensions every record of the instrument has (`otel.scope.name`...)
   * @param limit - orders of sets remembered at most
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
    const handle = this.#inOrder(attributes) ?? this.#sorted(attributes);
    this.#lastObject = attributes;
    this.#lastHandle = handle;
    return handle;
  }

  #noAttributes(): H {
    return (this.#none = this.#make(this.#scope));
  }

  /** The handle of `attributes` by their own order, `undefined` when not met in it (or holding an array). */
  #inOrder(attributes: Attributes): H | undefined {
    let node: Node<H> | undefined = this.#root;
    for (const name in attributes) {
      const value = attributes[name];
      if (value === undefined || value === null) continue;
      if (typeof value === 'object') return undefined;
      node = childOf(node, name, value as Primitive);
      if (node === undefined) return undefined;
    }
    return node === this.#root ? (this.#none ?? this.#noAttributes()) : node.handle;
  }

  /** The handle of `attributes` by their sorted key, made when new; remembers their order. */
  #sorted(attributes: Attributes): H {
    const { dims, key } = canonical(attributes);
    if (key === '') return this.#none ?? this.#noAttributes();
    let handle = this.#bySortedKey.get(key);
    if (handle === undefined) {
      handle = this.#make({ ...dims, ...this.#scope });
      if (this.#bySortedKey.size < this.#limit) this.#bySortedKey.set(key, handle);
    }
    if (this.#remembered < this.#limit) this.#remember(attributes, handle);
    return handle;
  }

  #remember(attributes: Attributes, handle: H): void {
    let node = this.#root;
    for (const name in attributes) {
      const value = attributes[name];
      if (value === undefined || value === null) continue;
      if (typeof value === 'object') return;
      node = addChild(node, name, value as Primitive);
    }
    if (node.handle === undefined) this.#remembered++;
    node.handle = handle;
  }
}
