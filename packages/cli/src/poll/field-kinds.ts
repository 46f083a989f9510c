/**
 * Whether a polled field is a counter (show how much it grew) or a gauge (show its value).
 *
 * Format v1 stores no such thing (spec/format-v1.md has labels and type signatures only), so
 * the default is guessed from the type signature and can be overridden per field.
 *
 * @module
 */
import type { V1FieldLayout } from '@mmstats/format';

/** How `mmstats poll` shows a field: its change per interval, or its current value. */
export type FieldKind = 'counter' | 'gauge';

/** Per-field overrides of the default kind, by field name as typed or by full label. */
export interface KindOverrides {
  /** Fields to show as counters whatever their type. Default none. */
  readonly counters?: readonly string[];
  /** Fields to show as gauges whatever their type. Default none. */
  readonly gauges?: readonly string[];
}

/**
 * The kind a field is shown as when nothing overrides it: `counter` for a double-buffered
 * unsigned 64-bit integer (`Q`, or `L`, which is the same on 64-bit Linux), `gauge` for
 * everything else.
 *
 * Why this rule: Python's `CounterField` and our writer's `counter()` are exactly that. The
 * fields it misjudges are the buffered `UInt64Field`s used as gauges (override them with
 * `--gauge`); the static `StaticUInt64Field`s, which are unbuffered, are rightly gauges; and
 * every float, including averages and timers, is a gauge.
 */
export function defaultKind(field: Pick<V1FieldLayout, 'buffered' | 'valueType'>): FieldKind {
  const { kind, size } = field.valueType;
  return field.buffered && kind === 'uint' && size === 8 ? 'counter' : 'gauge';
}

/**
 * The kind of the field named `name` (as typed in FIELDS) with label `label`: an override
 * naming either wins (`gauges` over `counters` if both do), else {@link defaultKind}.
 */
export function kindOf(
  name: string,
  label: string,
  field: Pick<V1FieldLayout, 'buffered' | 'valueType'>,
  overrides: KindOverrides = {},
): FieldKind {
  const names = (list: readonly string[] | undefined): boolean => list?.some((n) => n === name || n === label) ?? false;
  if (names(overrides.gauges)) return 'gauge';
  if (names(overrides.counters)) return 'counter';
  return defaultKind(field);
}
