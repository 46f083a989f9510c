/**
 * The JSON API of Python mmash, on the reader: `/stats/`, `/stats/<prefix>`, `/files/`.
 *
 * Compatible with the Python responses (`{"stats": [...]}`, `{label: [values]}` or
 * `{label: value}`, `{"files": [...]}`), with these deliberate differences:
 * - `exact` selects the label equal to the prefix only (Python's ignored it, a bug);
 * - an unknown `aggr`, an unusable `glob` or a malformed `exact` is a 400 with a JSON error
 *   (Python ignored unknown aggregators);
 * - an aggregator with nothing to combine (`sum` of strings, `nonzero-min` of zeros) gives
 *   `null` for that label instead of failing the whole request with a 400;
 * - globs match file names among the configured files (see `parseNameGlob`);
 * - values use the JSON forms of spec/expected-json.md (64-bit integers beyond 2^53 as
 *   decimal strings, `"NaN"`, `"Infinity"`);
 * - `/files/` also lists the files that could not be read, with their error codes.
 *
 * @module
 */
import { toJsonValue, type JsonValue } from '@mmstats/format';
import { AGGREGATORS, aggregate, collectValues, isAggregator, type Aggregator, type StatsSnapshot } from '@mmstats/reader';
import { HttpError } from './http-responses.js';
import { parseNameGlob } from './name-glob.js';
import type { StatsSource } from './stats-source.js';

/** The body of `/stats/`: every label of every file, sorted, each once. */
export interface LabelsBody {
  /** Sorted by UTF-16 code units. */
  readonly stats: string[];
}

/** The body of `/files/`. */
export interface FilesBody {
  /** The files that were read, sorted. */
  readonly files: string[];
  /** The files that matched but could not be read, with the error's stable code. */
  readonly errors: Array<{ readonly file: string; readonly code: string; readonly message: string }>;
}

/** The body of `/stats/<prefix>`: values by label, or one combined value by label with `aggr`. */
export type StatsBody = Record<string, JsonValue[] | JsonValue | null>;

/** The options of `/stats/<prefix>` and `/events`, checked. */
export interface StatsQuery {
  /** Only the label equal to the prefix. */
  readonly exact: boolean;
  /** Which files, by name. */
  readonly include: (path: string) => boolean;
  /** How to combine the files' values; `undefined` lists them. */
  readonly aggr: Aggregator | undefined;
}

/**
 * Checks `?exact=&glob=&aggr=`.
 *
 * - `exact`: absent or empty, `0`, `false`, `no`, `off` mean no; `1`, `true`, `yes`, `on` mean yes;
 * - `glob`: a file-name glob (see `parseNameGlob`); default every file;
 * - `aggr`: one of `AGGREGATORS`; default none.
 *
 * @throws HttpError 400 naming the parameter that is wrong
 */
export function parseStatsQuery(params: URLSearchParams): StatsQuery {
  return { exact: parseFlag(params.get('exact'), 'exact'), include: parseGlob(params.get('glob') ?? ''), aggr: parseAggregator(params.get('aggr')) };
}

/**
 * Compiles a client's file-name glob.
 *
 * @throws HttpError 400 with the reason it was refused
 */
export function parseGlob(glob: string): (path: string) => boolean {
  const parsed = parseNameGlob(glob);
  if (!parsed.ok) throw new HttpError(400, parsed.reason);
  return parsed.matches;
}

/**
 * Checks an `aggr` parameter.
 *
 * @returns the aggregator, or `undefined` when absent or empty
 * @throws HttpError 400 listing the aggregators
 */
export function parseAggregator(aggr: string | null): Aggregator | undefined {
  if (aggr === null || aggr === '') return undefined;
  if (!isAggregator(aggr)) throw new HttpError(400, `unknown aggregator ${JSON.stringify(aggr)}; use one of ${AGGREGATORS.join(', ')}`);
  return aggr;
}

function parseFlag(value: string | null, name: string): boolean {
  switch (value?.toLowerCase()) {
    case undefined:
    case '':
    case '0':
    case 'false':
    case 'no':
    case 'off':
      return false;
    case '1':
    case 'true':
    case 'yes':
    case 'on':
      return true;
    default:
      throw new HttpError(400, `${name} must be 1/true/yes/on or 0/false/no/off, not ${JSON.stringify(value)}`);
  }
}

/** `/stats/`: the labels of the files `include` accepts. */
export async function listLabels(source: StatsSource, include: (path: string) => boolean): Promise<LabelsBody> {
  const labels = new Set<string>();
  for (const snapshot of snapshotsOf(await source.read(include))) for (const field of snapshot.fields) labels.add(field.label);
  return { stats: [...labels].sort() };
}

/** `/stats/<prefix>`: the selected labels' values, listed per file or combined. */
export async function queryStats(source: StatsSource, prefix: string, query: StatsQuery): Promise<StatsBody> {
  const values = collectValues(snapshotsOf(await source.read(query.include)), { prefix, exact: query.exact });
  // Object.create(null): a label such as "__proto__" stays an ordinary key.
  const body = Object.create(null) as StatsBody;
  for (const [label, list] of values) {
    if (query.aggr === undefined) body[label] = list.map(toJsonValue);
    else {
      const combined = aggregate(list, query.aggr);
      body[label] = combined === null ? null : toJsonValue(combined);
    }
  }
  return body;
}

/** `/files/` and `/files/<glob>`: which files are read, and which failed. */
export async function listFiles(source: StatsSource, include: (path: string) => boolean): Promise<FilesBody> {
  const body: FilesBody = { files: [], errors: [] };
  for (const result of await source.read(include)) {
    if (result.ok) body.files.push(result.path);
    else body.errors.push({ file: result.path, code: result.error.code, message: result.error.message });
  }
  return body;
}

/** The snapshots of the files that were read; unreadable files are left out, as Python did. */
export function snapshotsOf(results: Awaited<ReturnType<StatsSource['read']>>): StatsSnapshot[] {
  return results.flatMap((result) => (result.ok ? [result.snapshot] : []));
}
