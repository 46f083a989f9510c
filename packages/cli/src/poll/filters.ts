/**
 * `mmstats poll -f`: which files take part. A filter is `KEY` (the file has a label starting
 * with KEY, as pollstats matches keys) or `KEY=VALUE` (the file's field labelled exactly KEY
 * holds VALUE now). A file must match every filter given.
 *
 * pollstats accepted the same two forms but OR-ed them with "has one of the polled fields",
 * so a filter could only add files, never narrow the set, and its `KEY=VALUE` compared a
 * string with a number and never matched. Here filters narrow, which is what they are for.
 *
 * @module
 */
import type { ValueKind } from '@mmstats/format';
import type { FieldValue, StatsField } from '@mmstats/reader';
import { pythonText } from '../python-text.js';

/** One parsed `-f` filter. */
export interface PollFilter {
  /** A label prefix (no `value`), or the exact label whose value is compared. */
  readonly key: string;
  /** The wanted value as typed, for `KEY=VALUE`; absent for a presence filter. */
  readonly value?: string;
}

/** Parses `KEY` or `KEY=VALUE` (split at the first `=`, so a value may contain `=`). */
export function parseFilter(text: string): PollFilter {
  const at = text.indexOf('=');
  return at < 0 ? { key: text } : { key: text.slice(0, at), value: text.slice(at + 1) };
}

/**
 * `true` when the file with `fields` (v1 or v2, with their current values) matches every one
 * of `filters`. No filters match every file.
 */
export function matchesFilters(fields: readonly StatsField[], filters: readonly PollFilter[]): boolean {
  return filters.every((filter) => {
    if (filter.value === undefined) return fields.some((field) => field.label.startsWith(filter.key));
    return fields.some((field) => field.label === filter.key && valueIs(field.value, field.version === 1 ? field.layout.valueType.kind : undefined, filter.value!));
  });
}

/**
 * `true` when `value` reads as `wanted`: the same text as `mmstats slurp` prints (v1: `True`,
 * `2.0`...; `kind` is the v1 field's value kind, `undefined` for v2), or the same number (`2`
 * for `2.0`), or for a bool also `true`/`1`/`false`/`0`. v2 composite values match nothing.
 */
export function valueIs(value: FieldValue | undefined, kind: ValueKind | undefined, wanted: string): boolean {
  if (value === undefined || typeof value === 'object') return false;
  if ((kind === undefined ? String(value) : pythonText(value, kind)) === wanted) return true;
  if (typeof value === 'boolean') return (value ? ['true', '1'] : ['false', '0']).includes(wanted.toLowerCase());
  if (typeof value === 'string' || wanted.trim() === '' || Number.isNaN(Number(wanted))) return false;
  // Integers beyond 2^53 compare exactly, as bigints, when the wanted text is an integer.
  if (typeof value === 'bigint' && /^-?\d+$/.test(wanted)) return value === BigInt(wanted);
  return Number(value) === Number(wanted);
}
