/**
 * `mmstats validate FILE [--expected FILE.json]`: the conformance entry point
 * (spec/conformance.md). Decodes FILE (v1 or v2) and compares the result with the expected
 * JSON of a fixture: the v1 shape (spec/expected-json.md#fixture-json, Python notation
 * included), the v2 shape (spec/expected-json.md#v2-fixture-json), or an invalid file's
 * `{"error": code}` (spec/expected-json.md#invalid-json).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { decodeStats, toJsonV2Header, toJsonV2Record, toJsonValue, type DecodedStatsFile, type JsonData } from '@mmstats/format';
import { warn, writeOut } from '../stdout.js';
import { terminalText } from '../terminal-text.js';
import { EXIT_USAGE } from '../usage.js';

/** Options of `mmstats validate`. */
export interface ValidateOptions {
  /** The stats file to decode. */
  readonly file: string;
  /** The expected JSON; default FILE with `.mmstats` replaced by `.json`. */
  readonly expected?: string;
}

/** Exit code of `validate` when the file decodes to the expected JSON. */
export const VALIDATE_MATCH = 0;
/** Exit code of `validate` when it does not. */
export const VALIDATE_MISMATCH = 1;
/**
 * Exit code of `validate` for usage errors: a missing or unreadable file, JSON that is not a
 * fixture's; the same as every command's for bad arguments ({@link EXIT_USAGE}).
 */
export const VALIDATE_USAGE = EXIT_USAGE;

/** The outcome of comparing a decoded file with its expected JSON. */
export type Comparison =
  | {
      /** It matches. */
      readonly match: true;
    }
  | {
      /** It does not match. */
      readonly match: false;
      /** The first JSON path that differs, e.g. `$.records[2].value.buckets["17"]`. */
      readonly path: string;
      /** What decoding gave there; `undefined` when it gave nothing. */
      readonly found: JsonData | undefined;
      /** What the JSON wants there; `undefined` when it has nothing. */
      readonly wanted: JsonData | undefined;
    };

/**
 * Runs `validate`: prints `ok FILE (...)` and returns 0, or prints `mismatch FILE at PATH`
 * with `found:` and `wanted:` lines and returns 1; usage errors go to stderr with 2.
 */
export async function validate(options: ValidateOptions): Promise<number> {
  const expectedPath = options.expected ?? options.file.replace(/(\.mmstats)?$/, '.json');
  let bytes: Uint8Array;
  let expected: unknown;
  try {
    bytes = new Uint8Array(readFileSync(options.file));
  } catch (error) {
    warn(`${options.file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return VALIDATE_USAGE;
  }
  try {
    expected = JSON.parse(readFileSync(expectedPath, 'utf8'));
  } catch (error) {
    const why = error instanceof SyntaxError ? `not JSON: ${error.message}` : `cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    warn(`${expectedPath}: ${why}`);
    return VALIDATE_USAGE;
  }
  if (!isFixtureJson(expected)) {
    warn(`${expectedPath}: not a fixture's JSON: wanted an object with "fields" (v1), "header" and "records" (v2), or "error" (invalid file)`);
    return VALIDATE_USAGE;
  }
  const result = compareWithExpected(bytes, expected);
  if (result.match) {
    await writeOut(`ok ${terminalText(options.file)}\n`);
    return VALIDATE_MATCH;
  }
  await writeOut(`mismatch ${terminalText(options.file)} at ${terminalText(result.path)}\n  found:  ${terminalText(shown(result.found))}\n  wanted: ${terminalText(shown(result.wanted))}\n`);
  return VALIDATE_MISMATCH;
}

/**
 * Decodes `bytes` and compares the result with a fixture's `expected` JSON, as
 * spec/conformance.md says a conforming reader's result is compared:
 * - `{"error": code}`: decoding must fail with that code (offsets and messages are not compared);
 * - the v1 shape: `file_size`, then every field as `{offset, label, type, write_buffer,
 *   value_offset, size, value}` (values in the JSON form of spec/expected-json.md; the Python
 *   notation `{"int": "…"}` / `{"float": "nan"}` of the `python-0.8.0` fixtures is mapped first);
 * - the v2 shape: `file_size`, `header`, `records`, `notices`.
 * `producer`, `note` and `description` are not compared. Objects compare as maps (key order
 * does not matter), numbers as parsed doubles (`-0` equals `0`), arrays element by element.
 */
export function compareWithExpected(bytes: Uint8Array, expected: Readonly<Record<string, unknown>>): Comparison {
  const decoded = decodeStats(bytes);
  const wanted = normalised(expected);
  const found: Record<string, JsonData> = decoded.ok ? foundJson(decoded.value, bytes.length) : { error: decoded.error.code };
  if (typeof wanted['error'] === 'string' || !decoded.ok) {
    const key = 'error';
    return same(found[key], wanted[key]) ? { match: true } : { match: false, path: `$.${key}`, found: decoded.ok ? `(decoded: a valid v${decoded.value.version} file)` : found[key], wanted: wanted[key] };
  }
  const keys = [...Object.keys(wanted).filter((key) => !IGNORED.has(key)), ...Object.keys(found).filter((key) => !(key in wanted))];
  for (const key of keys) {
    const difference = firstDifference(found[key], wanted[key], `$${step(key)}`);
    if (difference !== undefined) return { match: false, ...difference };
  }
  return { match: true };
}

const IGNORED = new Set(['producer', 'note', 'description']);

/** The JSON a conforming reader's result gives for a decoded file, without `producer` and `note`. */
function foundJson(file: DecodedStatsFile, fileSize: number): Record<string, JsonData> {
  if (file.version === 1) {
    return {
      file_size: fileSize,
      fields: file.fields.map((field) => ({
        offset: field.offset,
        label: field.label,
        type: field.type,
        write_buffer: field.writeBuffer,
        value_offset: field.valueOffset,
        size: field.size,
        value: toJsonValue(field.value),
      })),
    };
  }
  const json = {
    file_size: fileSize,
    header: toJsonV2Header(file.header),
    records: file.records.map(toJsonV2Record),
    notices: file.notices.map((notice) => ({ code: notice.code, offset: notice.offset })),
  };
  // Through JSON and back, as a port's harness would see it: -0 becomes 0, undefined keys go.
  return JSON.parse(JSON.stringify(json)) as Record<string, JsonData>;
}

function isFixtureJson(json: unknown): json is Readonly<Record<string, unknown>> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  return typeof (json as Record<string, unknown>)['error'] === 'string' || Array.isArray((json as Record<string, unknown>)['fields']) || Array.isArray((json as Record<string, unknown>)['records']);
}

const PYTHON_FLOATS: Readonly<Record<string, string>> = { nan: 'NaN', inf: 'Infinity', '-inf': '-Infinity' };

/** `expected` with the Python notation of v1 values mapped to the standard form (spec/expected-json.md#python-notation). */
function normalised(expected: Readonly<Record<string, unknown>>): Record<string, JsonData> {
  const json = expected as Record<string, JsonData>;
  const fields = json['fields'];
  if (!Array.isArray(fields)) return json;
  return {
    ...json,
    fields: fields.map((field) => {
      if (typeof field !== 'object' || field === null || Array.isArray(field)) return field;
      const record = field as Record<string, JsonData>;
      const value = record['value'];
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return field;
      const notation = value as Record<string, JsonData>;
      if (typeof notation['int'] === 'string') {
        const n = Number(notation['int']);
        return { ...record, value: Number.isSafeInteger(n) ? n : notation['int'] };
      }
      if (typeof notation['float'] === 'string' && notation['float'] in PYTHON_FLOATS) return { ...record, value: PYTHON_FLOATS[notation['float']]! };
      return field;
    }),
  };
}

/** The first place where `found` and `wanted` differ, or `undefined` when they are the same. */
function firstDifference(found: JsonData | undefined, wanted: JsonData | undefined, path: string): { path: string; found: JsonData | undefined; wanted: JsonData | undefined } | undefined {
  if (Array.isArray(found) && Array.isArray(wanted)) {
    for (let i = 0; i < Math.min(found.length, wanted.length); i++) {
      const difference = firstDifference(found[i], wanted[i], `${path}[${i}]`);
      if (difference !== undefined) return difference;
    }
    if (found.length !== wanted.length) {
      const i = Math.min(found.length, wanted.length);
      return { path: `${path}[${i}]`, found: found[i], wanted: wanted[i] };
    }
    return undefined;
  }
  if (isObject(found) && isObject(wanted)) {
    for (const key of [...Object.keys(wanted), ...Object.keys(found).filter((k) => !(k in wanted))]) {
      const difference = firstDifference(found[key], wanted[key], `${path}${step(key)}`);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  return same(found, wanted) ? undefined : { path, found, wanted };
}

function same(found: JsonData | undefined, wanted: JsonData | undefined): boolean {
  if ((Array.isArray(found) && Array.isArray(wanted)) || (isObject(found) && isObject(wanted))) return firstDifference(found, wanted, '') === undefined;
  return found === wanted;
}

function isObject(value: JsonData | undefined): value is { readonly [key: string]: JsonData } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `.key` for identifier-like keys, else `["key"]`. */
function step(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** A JSON value for the mismatch report, cut to 200 characters; `(absent)` for nothing. */
function shown(value: JsonData | undefined): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
