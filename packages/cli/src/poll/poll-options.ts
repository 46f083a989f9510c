/**
 * Checks of `mmstats poll`'s (and `pollstats`') arguments, light enough to run while the command line
 * is parsed, before the command itself is loaded.
 *
 * @module
 */
import { columnProblem } from './field-kinds.js';

/**
 * Why `options` cannot be polled, or `undefined` when they can: no fields, a field with an
 * unknown selector (`columnProblem`), a delay that is not a positive number of seconds, a
 * count or header interval that is not a whole number.
 */
export function pollOptionsProblem(options: {
  readonly fields: readonly string[];
  readonly count?: number | undefined;
  readonly delay?: number | undefined;
  readonly headers?: number | undefined;
}): string | undefined {
  if (options.fields.length === 0) return 'name at least one field, e.g. requests,errors';
  for (const field of options.fields) {
    const problem = columnProblem(field);
    if (problem !== undefined) return problem;
  }
  if (options.delay !== undefined && !(Number.isFinite(options.delay) && options.delay > 0)) return `--delay must be a positive number of seconds, got ${options.delay}`;
  if (options.count !== undefined && !(Number.isInteger(options.count) && options.count > 0)) return `--count must be a positive whole number, got ${options.count}`;
  if (options.headers !== undefined && !(Number.isInteger(options.headers) && options.headers >= 0)) return `--headers must be a whole number (0: only once), got ${options.headers}`;
  return undefined;
}

/**
 * Splits a FIELDS argument at commas outside braces: `"a,b, c"` gives `["a", "b", "c"]`,
 * `"req{method=GET,status=200},lat:p99"` gives `["req{method=GET,status=200}", "lat:p99"]`.
 */
export function splitFields(text: string): string[] {
  const fields: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (c === ',' && depth === 0) {
      fields.push(current);
      current = '';
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    current += c;
  }
  fields.push(current);
  return fields.map((field) => field.trim()).filter((field) => field !== '');
}
