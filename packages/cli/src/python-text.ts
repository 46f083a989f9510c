/**
 * Values as text, the way Python's `str()` prints them, so that `mmstats slurp` output
 * matches the Python `slurpstats` tool line for line: `True`/`False`, `2.0` for an
 * integral float, `1e+16`, `nan`, `inf`.
 *
 * @module
 */
import type { Value, ValueKind } from '@mmstats/format';

/** A value of a field of kind `kind` as Python 3's `str()` would print it. */
export function pythonText(value: Value, kind: ValueKind): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  // Floats need the field's kind: a float that happens to be integral still prints "2.0".
  if (kind === 'float' && typeof value === 'number') return pythonFloat(value);
  return String(value);
}

/**
 * A float as Python's `repr`/`str`: the shortest digits that round-trip (as JS), written in
 * exponent form when the decimal exponent is below -4 or at least 16, and with `.0` when
 * integral.
 */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  // toExponential() without digits gives the shortest round-trip digits: "d.ddde±x".
  const [mantissa = '', exp = '0'] = value.toExponential().split('e');
  const exponent = Number(exp);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${fraction}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
}
