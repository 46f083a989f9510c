/**
 * The v2 code tables: record kinds, value encodings and merge rules, by number and by name
 * (spec/format-v2.md#kinds, spec/format-v2.md#encodings, spec/format-v2.md#merge).
 *
 * @module
 */

/** Kind numbers by name (spec/format-v2.md#kinds). */
export const V2_KINDS = {
  /** A count that only goes up while the writer lives. */
  counter: 1,
  /** A value that goes up and down. */
  gauge: 2,
  /** A string. */
  text: 3,
  /** A distribution of observed values. */
  histogram: 4,
  /** A distribution of durations, in the record's unit (normally seconds). */
  timer: 5,
  /** A sum and a count, whose ratio is the mean. */
  average: 6,
  /** Counts and sums of the last N seconds: rates and recent means. */
  window: 7,
  /** A value set once when the file is created (pid, version, start time). */
  info: 8,
} as const;

/** The name of a kind this package knows, e.g. `"counter"`. */
export type V2KindName = keyof typeof V2_KINDS;

/** Encoding numbers by name (spec/format-v2.md#encodings). */
export const V2_ENCODINGS = {
  /** One binary64 word. */
  f64: 1,
  /** One signed 64-bit word. */
  i64: 2,
  /** One unsigned 64-bit word. */
  u64: 3,
  /** `seq | len | bytes[param0]`: UTF-8 of up to `param0` bytes. */
  text: 4,
  /** `seq | 0 | sum | count`. */
  average: 5,
  /** `seq | 0 | count | sum | min | max | buckets[n]`. */
  histogram: 6,
  /** `seq | 0 | slots[param0] × (start | count | sum)`. */
  window: 7,
  /** `seq | 0 | count | sum | min | max | zero_threshold | zero_count | scale | offsets | positive[n] | negative[n]` (minor 2). */
  exphistogram: 8,
} as const;

/** The name of an encoding this package knows, e.g. `"histogram"`. */
export type V2EncodingName = keyof typeof V2_ENCODINGS;

/** Merge rule numbers by name (spec/format-v2.md#merge). */
export const V2_MERGES = {
  /** Not merged: shown per file. */
  none: 0,
  /** Sum; composite values component-wise. */
  sum: 1,
  /** Minimum; composite values as `sum`. */
  min: 2,
  /** Maximum; composite values as `sum`. */
  max: 3,
  /** Arithmetic mean; composite values as `sum`. */
  avg: 4,
  /** The value of the file last written (latest heartbeat, else created). */
  last: 5,
} as const;

/** The name of a merge rule this package knows, e.g. `"sum"`. */
export type V2MergeName = keyof typeof V2_MERGES;

/** What each kind allows: its encodings (the first is the TypeScript writer's default) and its default merge rule. */
export interface V2KindRule {
  /** Encodings a writer may use for the kind; the first is the default. */
  readonly encodings: readonly V2EncodingName[];
  /** The merge rule a writer uses when none is given. */
  readonly merge: V2MergeName;
}

/**
 * The kind table of spec/format-v2.md#kinds. Counters and gauges default to `f64`: exact to
 * 2^53 and the cheapest store a JavaScript writer can make (spec/format-v2.md#enc-scalar).
 */
export const V2_KIND_RULES: Readonly<Record<V2KindName, V2KindRule>> = {
  counter: { encodings: ['f64', 'u64'], merge: 'sum' },
  gauge: { encodings: ['f64', 'i64', 'u64'], merge: 'sum' },
  text: { encodings: ['text'], merge: 'none' },
  histogram: { encodings: ['histogram', 'exphistogram'], merge: 'sum' },
  timer: { encodings: ['histogram', 'exphistogram'], merge: 'sum' },
  average: { encodings: ['average'], merge: 'sum' },
  window: { encodings: ['window'], merge: 'sum' },
  info: { encodings: ['f64', 'i64', 'u64', 'text'], merge: 'none' },
};

const kindNames = invert(V2_KINDS);
const encodingNames = invert(V2_ENCODINGS);
const mergeNames = invert(V2_MERGES);

/**
 * The name of kind `kind`; `"kind-N"` for a number this package does not know (such a
 * record is read by its encoding, spec/format-v2.md#kinds).
 */
export function v2KindName(kind: number): string {
  return kindNames.get(kind) ?? `kind-${kind}`;
}

/** The name of encoding `encoding`, or `undefined` when this package does not know it. */
export function v2EncodingName(encoding: number): V2EncodingName | undefined {
  return encodingNames.get(encoding);
}

/**
 * The name of merge rule `merge`; `"merge-N"` for a number this package does not know (it
 * is treated as `none`, spec/format-v2.md#merge).
 */
export function v2MergeName(merge: number): string {
  return mergeNames.get(merge) ?? `merge-${merge}`;
}

function invert<K extends string>(table: Readonly<Record<K, number>>): Map<number, K> {
  return new Map(Object.entries(table).map(([name, code]) => [code as number, name as K]));
}
