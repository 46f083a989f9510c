/**
 * The JSON form of decoded values (spec/expected-json.md), used by the fixtures, by
 * `mmstats slurp --json` and by any port that checks itself against the fixtures.
 *
 * @module
 */
import type { V1Type, Value } from './types-v1.js';

/** A value in its JSON form: numbers, decimal strings for big integers and non-finite floats, booleans, strings. */
export type JsonValue = number | string | boolean;

/**
 * The JSON form of a value (spec/expected-json.md#values):
 * - integers within ±(2^53 − 1) as JSON numbers, beyond that as decimal strings;
 * - floats as JSON numbers, except `"NaN"`, `"Infinity"` and `"-Infinity"`;
 * - booleans as booleans, strings as strings.
 */
export function toJsonValue(value: Value): JsonValue {
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

/**
 * The value a JSON form stands for, given the field's type (the JSON alone cannot tell the
 * string `"NaN"` from a float NaN). The inverse of {@link toJsonValue}.
 *
 * @throws TypeError when `json` is not a valid JSON form for `type`
 */
export function fromJsonValue(json: JsonValue, type: V1Type): Value {
  switch (type.kind) {
    case 'string':
      if (typeof json === 'string') return json;
      break;
    case 'bool':
      if (typeof json === 'boolean') return json;
      break;
    case 'float':
      if (typeof json === 'number') return json;
      if (json === 'NaN' || json === 'Infinity' || json === '-Infinity') return Number(json);
      break;
    case 'int':
    case 'uint':
      if (typeof json === 'boolean' || (typeof json === 'number' && !Number.isInteger(json))) break;
      if (typeof json === 'string' && !/^-?\d+$/.test(json)) break;
      return type.size === 8 ? BigInt(json) : Number(json);
  }
  throw new TypeError(`${JSON.stringify(json)} is not a JSON value of type ${JSON.stringify(type.signature)}`);
}
