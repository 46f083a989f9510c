/**
 * Finding the default model's `sys.*` fields (spec: Python's `MmStats` adds `sys.pid`,
 * `sys.created`...). A model opened with a label prefix prefixes them too
 * (`web.stats.sys.pid`), so they are found by suffix, at a label-part boundary.
 *
 * @module
 */
import type { V1FieldLayout, Value } from '@mmstats/format';

/** `true` when `label` is `sys.NAME`, or ends with `.sys.NAME` (a prefixed model). */
export function isSysLabel(label: string, name: string): boolean {
  return label === `sys.${name}` || label.endsWith(`.sys.${name}`);
}

/** The fields of `fields` that are `sys.NAME`, prefixed or not, in file order. */
export function sysFields(fields: readonly V1FieldLayout[], name: string): V1FieldLayout[] {
  return fields.filter((field) => isSysLabel(field.label, name));
}

/**
 * `value` as a process id: a positive integer below 2^22 (Linux's largest `pid_max`), else
 * `undefined`. Anything else must never reach `kill()`: 0 and negatives address process groups.
 */
export function asPid(value: Value | undefined): number | undefined {
  if (typeof value !== 'number' && typeof value !== 'bigint') return undefined;
  const pid = Number(value);
  return Number.isInteger(pid) && pid > 0 && pid <= 4_194_304 ? pid : undefined;
}

/**
 * The process id in the first `sys.pid` field of `fields` (reading it with `read`), or
 * `undefined` when there is none or it is not a valid pid.
 */
export function writerPid(fields: readonly V1FieldLayout[], read: (field: V1FieldLayout) => Value): number | undefined {
  const [field] = sysFields(fields, 'pid');
  return field === undefined ? undefined : asPid(read(field));
}
