/**
 * The JSON API of Python mmash, on the reader: `/stats/`, `/stats/<prefix>`, `/files/`; and
 * what format v2 adds: `/stats/?detail=1` (kinds, units, help, dimensions) and
 * `/merged/<prefix>` (the files combined by the records' own merge rules).
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
 *   decimal strings, `"NaN"`, `"Infinity"`); v2 composite values their v2 form plus
 *   percentiles, means and window rates (see `valueToJson`);
 * - `/files/`, `/stats/` and `/merged/<prefix>` also list the files that matched but could not
 *   be read, as `errors` with their codes (spec/errors.md#partial-answers), so that an answer
 *   that misses files says so.
 *
 * @module
 */
import type { JsonData } from '@mmstats/format';
import {
  AGGREGATORS,
  DEFAULT_QUANTILES,
  aggregate,
  collectValues,
  isAggregator,
  judgeWriter,
  matchesLabel,
  mergeSnapshots,
  observer,
  valueToJson,
  writerInfo,
  type Aggregator,
  type FieldDescription,
  type ScanResult,
  type StatsSnapshot,
} from '@mmstats/reader';
import { HttpError } from './http-responses.js';
import { parseNameGlob } from './name-glob.js';
import type { StatsSource } from './stats-source.js';

/** The body of `/stats/`: every label of every file, sorted, each once. */
export interface LabelsBody {
  /** Sorted by UTF-16 code units. */
  readonly stats: string[];
  /** The files that matched but could not be read, whose labels are therefore missing. */
  readonly errors: FileError[];
}

/** The body of `/files/`. */
export interface FilesBody {
  /** The files that were read, sorted. */
  readonly files: string[];
  /**
   * The files read whose writer is gone by the rules every reader shares
   * (spec/files.md#liveness), with the reason in words. They are still read, and their values
   * still count in `/stats/`, `/merged/` and `/metrics`, until a cleaner removes them.
   */
  readonly gone: GoneFile[];
  /** The files that matched but could not be read, with the error's stable code. */
  readonly errors: FileError[];
}

/** A file whose writer is gone ({@link FilesBody.gone}). */
export interface GoneFile {
  /** The file's path. */
  readonly file: string;
  /** Why its writer is taken for gone, e.g. `pid 3003 is not running`. */
  readonly because: string;
}

/** A file that could not be read (or whose value could not be), with the error's stable code (spec/errors.md). */
export interface FileError {
  /** The file's path. */
  readonly file: string;
  /** The stable code, e.g. `MMSTATS-E014`. */
  readonly code: string;
  /** The message, naming the file. */
  readonly message: string;
}

/** One label and set of dimensions in the body of `/stats/?detail=1`. */
export interface LabelDetail extends FieldDescription {
  /** The format versions of the files that have it. */
  readonly versions: number[];
  /** How many files have it. */
  readonly files: number;
}

/** The body of `/stats/?detail=1`. */
export interface LabelDetailsBody {
  /** Sorted by label, then by dimensions. */
  readonly stats: LabelDetail[];
  /** The files that matched but could not be read, whose labels are therefore missing. */
  readonly errors: FileError[];
}

/** The body of `/stats/<prefix>`: values by label, or one combined value by label with `aggr`. */
export type StatsBody = Record<string, JsonData[] | JsonData>;

/** One label and set of dimensions in the body of `/merged/<prefix>`. */
export interface MergedEntry extends FieldDescription {
  /** The merged value in the form of `valueToJson`, or `null` when it is not merged (see `notMerged`). */
  readonly value: JsonData;
  /** Why `value` is `null`: merge rule `none`, files that disagree, text not merged by `last`... */
  readonly notMerged?: string;
  /** How many files had a readable value. */
  readonly files: number;
  /** Files whose value could not be read, with the error's code. */
  readonly errors: FileError[];
  /** With `perfile=1`: every file's value. */
  readonly perFile?: Array<{ readonly file: string; readonly value: JsonData }>;
}

/** The body of `/merged/<prefix>`. */
export interface MergedBody {
  /** Sorted by label, then by dimensions. */
  readonly merged: MergedEntry[];
  /**
   * The files that matched but could not be read at all, so are in no entry: a merged total
   * that misses files says so (an entry's own `errors` are files whose value of that record
   * could not be read).
   */
  readonly errors: FileError[];
}

/** The options of `/stats/<prefix>` and `/events`, checked. */
export interface StatsQuery {
  /** Only the label equal to the prefix. */
  readonly exact: boolean;
  /** Which files, by name. */
  readonly include: (path: string) => boolean;
  /** How to combine the files' values; `undefined` lists them. */
  readonly aggr: Aggregator | undefined;
  /** The quantiles given for histograms (`percentiles`). */
  readonly quantiles: readonly number[];
  /** `/merged/` only: list every file's value too (`perfile`). */
  readonly perFile: boolean;
}

/** The most quantiles `?percentiles=` may name. */
export const MAX_QUANTILES = 20;

/**
 * Checks `?exact=&glob=&aggr=&percentiles=&perfile=`.
 *
 * - `exact`, `perfile`: absent or empty, `0`, `false`, `no`, `off` mean no; `1`, `true`,
 *   `yes`, `on` mean yes;
 * - `glob`: a file-name glob (see `parseNameGlob`); default every file;
 * - `aggr`: one of `AGGREGATORS`; default none;
 * - `percentiles`: comma-separated quantiles `0 < q ≤ 1` (`0.5,0.99,0.999`), at most
 *   {@link MAX_QUANTILES}; default `0.5,0.9,0.99`.
 *
 * @throws HttpError 400 naming the parameter that is wrong
 */
export function parseStatsQuery(params: URLSearchParams): StatsQuery {
  return {
    exact: parseFlag(params.get('exact'), 'exact'),
    include: parseGlob(params.get('glob') ?? ''),
    aggr: parseAggregator(params.get('aggr')),
    quantiles: parseQuantiles(params.get('percentiles')),
    perFile: parseFlag(params.get('perfile'), 'perfile'),
  };
}

/**
 * Checks a `percentiles` parameter.
 *
 * @returns the quantiles, or the default p50, p90, p99 when absent or empty
 * @throws HttpError 400 when one is not a number in (0, 1] or there are too many
 */
export function parseQuantiles(text: string | null): readonly number[] {
  if (text === null || text.trim() === '') return DEFAULT_QUANTILES;
  const parts = text.split(',');
  if (parts.length > MAX_QUANTILES) throw new HttpError(400, `at most ${MAX_QUANTILES} percentiles`);
  return parts.map((part) => {
    const q = Number(part.trim());
    if (part.trim() === '' || !(q > 0 && q <= 1)) throw new HttpError(400, `percentiles are quantiles from 0 (excluded) to 1, e.g. 0.5,0.99; not ${JSON.stringify(part.slice(0, 40))}`);
    return q;
  });
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

/**
 * Checks a yes/no parameter such as `exact` or `detail` (see {@link parseStatsQuery}).
 *
 * @throws HttpError 400 naming `name`
 */
export function parseFlag(value: string | null, name: string): boolean {
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
  const results = await source.read(include);
  const labels = new Set<string>();
  for (const snapshot of snapshotsOf(results)) for (const field of snapshot.fields) labels.add(field.label);
  return { stats: [...labels].sort(), errors: readErrorsOf(results) };
}

/**
 * `/stats/?detail=1`: each label and set of dimensions of the files `include` accepts, with
 * its kind, unit, help, merge rule, type and how many files have it.
 */
export async function listLabelDetails(source: StatsSource, include: (path: string) => boolean): Promise<LabelDetailsBody> {
  const results = await source.read(include);
  const details = new Map<string, { detail: LabelDetail; versions: Set<number>; files: number }>();
  for (const snapshot of snapshotsOf(results)) {
    for (const field of snapshot.fields) {
      const key = dimsKey(field.label, field.dims);
      const entry = details.get(key);
      if (entry !== undefined) {
        entry.versions.add(field.version);
        entry.files++;
        continue;
      }
      details.set(key, { detail: { ...describe(field), versions: [], files: 0 }, versions: new Set([field.version]), files: 1 });
    }
  }
  const stats = [...details.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { detail, versions, files }]) => ({ ...detail, versions: [...versions].sort(), files }));
  return { stats, errors: readErrorsOf(results) };
}

/**
 * `/stats/<prefix>`: the selected labels' values, listed per file or combined by the Python
 * aggregator `query.aggr` (composite v2 values: `one` gives the first, the numeric ones skip
 * them and give `null` when nothing else is left).
 */
export async function queryStats(source: StatsSource, prefix: string, query: StatsQuery): Promise<StatsBody> {
  const values = collectValues(snapshotsOf(await source.read(query.include)), { prefix, exact: query.exact });
  const options = { quantiles: query.quantiles, now: Date.now() / 1000 };
  // Object.create(null): a label such as "__proto__" stays an ordinary key.
  const body = Object.create(null) as StatsBody;
  for (const [label, list] of values) {
    if (query.aggr === undefined) body[label] = list.map((value) => valueToJson(value, options));
    else {
      const combined = aggregate(list, query.aggr);
      body[label] = combined === null ? null : valueToJson(combined, options);
    }
  }
  return body;
}

/**
 * `/merged/<prefix>`: the selected labels, per label and dimensions, merged across the files by
 * each record's own merge rule (the reader's `mergeSnapshots`, spec/format-v2.md#merge):
 * counters summed, histograms added bucket by bucket (with percentiles of the merged
 * histogram), windows slot by slot (with their rate and mean now).
 */
export async function queryMerged(source: StatsSource, prefix: string, query: StatsQuery): Promise<MergedBody> {
  const now = Date.now() / 1000;
  const options = { quantiles: query.quantiles, now };
  const selected = { prefix, exact: query.exact };
  // Only the selected labels are merged: a histogram merge per label of every file adds up.
  const results = await source.read(query.include);
  const snapshots = snapshotsOf(results).map((snapshot) => ({ ...snapshot, fields: snapshot.fields.filter((field) => matchesLabel(field.label, selected)) }));
  const merged: Array<[string, MergedEntry]> = [];
  for (const field of mergeSnapshots(snapshots, { now, quantiles: query.quantiles })) {
    merged.push([
      dimsKey(field.label, field.dims),
      {
        ...describe(field),
        value: field.value === undefined ? null : valueToJson(field.value, options),
        ...(field.notMerged === undefined ? {} : { notMerged: field.notMerged }),
        files: field.perFile.length,
        errors: field.errors.map(({ path, error }) => fileError(path, error)),
        ...(query.perFile ? { perFile: field.perFile.map(({ path, value }) => ({ file: path, value: valueToJson(value, options) })) } : {}),
      },
    ]);
  }
  return { merged: merged.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry), errors: readErrorsOf(results) };
}

/** The {@link FieldDescription} members of `field`, and no others. */
function describe({ label, dims, kind, unit, help, merge, type }: FieldDescription): FieldDescription {
  return { label, dims, kind, unit, help, merge, type };
}

function fileError(path: string, error: { readonly code: string; readonly message: string }): FileError {
  return { file: path, code: error.code, message: error.message };
}

/** A sort and identity key of a label with its dimensions (label first, so that labels sort as in `/stats/`). */
function dimsKey(label: string, dims: Readonly<Record<string, string>>): string {
  return `${label}\0${JSON.stringify(Object.entries(dims).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
}

/** `/files/` and `/files/<glob>`: which files are read, whose writers are gone, and which failed. */
export async function listFiles(source: StatsSource, include: (path: string) => boolean): Promise<FilesBody> {
  const results = await source.read(include);
  const seen = observer();
  const gone = results.flatMap((result) => {
    if (!result.ok) return [];
    const judgement = judgeWriter(writerInfo(result.snapshot), result.snapshot.version, seen);
    return judgement.gone ? [{ file: result.path, because: judgement.because }] : [];
  });
  return { files: results.flatMap((result) => (result.ok ? [result.path] : [])), gone, errors: readErrorsOf(results) };
}

/** The files of `results` that could not be read, with their codes. */
export function readErrorsOf(results: readonly ScanResult[]): FileError[] {
  return results.flatMap((result) => (result.ok ? [] : [fileError(result.path, result.error)]));
}

/** The snapshots of the files that were read; unreadable files are left out, as Python did. */
export function snapshotsOf(results: readonly ScanResult[]): StatsSnapshot[] {
  return results.flatMap((result) => (result.ok ? [result.snapshot] : []));
}
