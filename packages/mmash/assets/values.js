// Values for people: the event's JSON numbers as numbers the charts draw, with their units.

const numberFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 3 });
const BYTE_STEPS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * A JSON value (spec/expected-json.md: numbers JSON cannot carry exactly come as strings) as a
 * number a chart can draw, or `null` for a gap.
 *
 * @param {unknown} value
 * @returns {number | null}
 */
export function toNumber(value) {
  if (typeof value === 'boolean') return value ? 1 : 0;
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/**
 * A number with its unit: seconds and bytes scaled (`12.5 ms`, `3 KiB`), others as given.
 *
 * @param {number | null | undefined} value
 * @param {string} [unit] - default none
 * @returns {string} `–` for no value
 */
export function formatValue(value, unit = '') {
  if (value === null || value === undefined) return '–';
  if (unit === 'seconds') {
    const abs = Math.abs(value);
    if (abs !== 0 && abs < 1e-6) return `${numberFormat.format(value * 1e9)} ns`;
    if (abs !== 0 && abs < 1e-3) return `${numberFormat.format(value * 1e6)} µs`;
    if (abs !== 0 && abs < 1) return `${numberFormat.format(value * 1e3)} ms`;
    return `${numberFormat.format(value)} s`;
  }
  if (unit === 'bytes') {
    let i = 0;
    let scaled = value;
    while (Math.abs(scaled) >= 1024 && i < BYTE_STEPS.length - 1) {
      scaled /= 1024;
      i++;
    }
    return `${numberFormat.format(scaled)} ${BYTE_STEPS[i]}`;
  }
  return unit ? `${numberFormat.format(value)} ${unit}` : numberFormat.format(value);
}

/**
 * `kind · unit`, for the stat list and the panel titles.
 *
 * @param {string} kind
 * @param {string} unit
 */
export function describe(kind, unit) {
  return unit ? `${kind} · ${unit}` : kind;
}

/**
 * The last part of a path.
 *
 * @param {string} path
 */
export function baseName(path) {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * A time of day, `14:03:07`, from seconds since the epoch.
 *
 * @param {number} t
 */
export function clockTime(t) {
  return new Date(t * 1000).toLocaleTimeString('en-GB');
}
