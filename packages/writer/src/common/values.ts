/**
 * Checks and conversions of values that v1 and v2 handles and options share.
 *
 * @module
 */
import { MmstatsError } from '@mmstats/format';
import { isFiniteNumber } from './rejected-values.js';

/** A value, or a function giving it, resolved when the stats are opened. */
export type Lazy<V> = V | (() => V);

/** `true` for what a 64-bit integer field takes: a finite number (truncated) or a bigint. */
export function isInteger64(value: unknown): value is number | bigint {
  return typeof value === 'bigint' || isFiniteNumber(value);
}

/** `true` for what a counter takes as a step or a count: a finite number ≥ 0 or a bigint ≥ 0. */
export function isCount(value: unknown): value is number | bigint {
  return typeof value === 'bigint' ? value >= 0n : isFiniteNumber(value) && value >= 0;
}

/**
 * A number or bigint as a bigint, truncating fractions; NaN and infinities become 0 (the
 * handles reject those before: spec/files.md#bad-values). Used by v1 and v2 handles.
 */
export function toBigInt(value: number | bigint): bigint {
  if (typeof value === 'bigint') return value;
  const n = Math.trunc(value);
  return Number.isFinite(n) ? BigInt(n) : 0n;
}

/** `value` when it is an integer from `min` to `max`, else INVALID_FIELD naming `name`. */
export function checkedInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MmstatsError('INVALID_FIELD', `${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}
