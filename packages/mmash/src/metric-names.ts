/**
 * Turning mmstats labels (any UTF-8 text, dots by convention: `web.stats.status.2XX`) into
 * Prometheus metric names, which allow only `[a-zA-Z_:][a-zA-Z0-9_:]*`, and v2 dimension keys
 * into Prometheus label names.
 *
 * @module
 */
import { prometheusUnit } from '@mmstats/format';

/**
 * Endings that Prometheus and OpenMetrics give a meaning for other metric types (counters,
 * histograms, summaries, info). A gauge named with one is flagged by `promtool check metrics`
 * and misread by OpenMetrics parsers, so {@link metricName} moves it out of the way.
 */
export const RESERVED_SUFFIXES = ['_total', '_created', '_count', '_sum', '_bucket', '_info'] as const;

// The reserved suffixes a label may spell on purpose, as prom-client's default metrics do.
const SPELLED_SUFFIXES = ['_total', '_info'] as const;

/** What {@link metricName} puts in front of a name that would be empty or start with a digit. */
export const NAME_PREFIX = 'mmstats_';

/**
 * Label names mmash sets itself (`pid`, `file`, `mmstats_label`, an info series' `value`),
 * that Prometheus gives a meaning (`le`, `quantile`) or sets on every scraped series (`job`,
 * `instance`). A v2 dimension with one of these keys is exposed as `dim_<key>` instead
 * ({@link dimensionLabelName}).
 */
export const RESERVED_LABEL_NAMES: readonly string[] = Object.freeze(['pid', 'file', 'service', 'worker', 'mmstats_label', 'value', 'le', 'quantile', 'job', 'instance']);

/**
 * Step 2 of {@link metricName}: each `_`-separated word written in camelCase (a lower-case
 * letter followed by a capital, which `promtool check metrics` flags) becomes snake_case
 * words, lower-cased (`inFlight` → `in_flight`, `requestHTTPErrors` → `request_http_errors`).
 * Other words are left as they are (`2XX`, `HTTP`).
 */
export function snakeCase(name: string): string {
  return name
    .split('_')
    .map((word) => (/[a-z][A-Z]/.test(word) ? word.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase() : word))
    .join('_');
}

/** Steps 1 to 4 of {@link metricName}: characters replaced, camelCase made snake_case, `_` trimmed, the prefix added when needed. */
function sanitize(text: string): string {
  let name = snakeCase(text.replace(/[^A-Za-z0-9_]+/g, '_')).replace(/^_+|_+$/g, '');
  if (name === '' || /^[0-9]/.test(name)) name = NAME_PREFIX + name;
  return name;
}

/** Step 5 of {@link metricName}: `_value` after a reserved ending. */
function unreserve(name: string): string {
  return RESERVED_SUFFIXES.some((suffix) => name.endsWith(suffix)) ? `${name}_value` : name;
}

/**
 * The Prometheus metric name for the mmstats label `label`. The rule, in order:
 *
 * 1. every run of characters other than ASCII letters, digits and `_` becomes one `_`
 *    (`web.stats.status.2XX` → `web_stats_status_2XX`; `ü.café.hits` → `_caf_hits`);
 *    `:` is replaced too, as Prometheus keeps it for recording rules;
 * 2. camelCase words become snake_case (`snakeCase`: `http.inFlight` → `http_in_flight`);
 * 3. leading and trailing `_` are removed (names starting with `__` are reserved);
 * 4. {@link NAME_PREFIX} is put in front when the name is now empty or starts with a digit;
 * 5. `_value` is appended when the name ends in one of {@link RESERVED_SUFFIXES}
 *    (`requests.total` → `requests_total_value`).
 *
 * This is the name of v1 fields and v2 gauges without a unit; {@link familyName} adds what
 * the v2 kinds and units need. Different labels can give the same name (`a.b` and `a-b`); the
 * exposition then tells their series apart with an `mmstats_label` label (see `renderMetrics`).
 */
export function metricName(label: string): string {
  return unreserve(sanitize(label));
}

/** What {@link familyName} needs to know besides the label. */
export interface FamilyNameOptions {
  /** The record's unit (`"seconds"`, `"bytes"`); `""` or absent for none. */
  readonly unit?: string;
  /** `true` for a counter: a trailing `_total` is dropped, the exposition adds it back to the sample. */
  readonly counter?: boolean;
  /** Words put after the label and before the unit, e.g. `["rate"]` for a window's rate. */
  readonly parts?: readonly string[];
}

/**
 * The Prometheus metric family name for a v2 record (the name of its `# TYPE` line in
 * OpenMetrics; samples add `_total`, `_bucket`, `_sum`, `_count`, `_info` as their type
 * requires), after Prometheus's naming conventions:
 *
 * 1. the label as in steps 1 to 4 of {@link metricName};
 * 2. for a counter, a trailing `_total` is dropped (`http.requests.total` → `http_requests`,
 *    exposed as `http_requests_total`);
 * 3. `parts`, each sanitised, joined with `_` (`http.recent` + `rate` → `http_recent_rate`);
 * 4. the unit, sanitised and lower-cased, unless the name already ends with it
 *    (`http.duration` + `seconds` → `http_duration_seconds`; `http.requests` + `requests` →
 *    `http_requests`, not `http_requests_requests`);
 * 5. `_value` when the name ends in one of {@link RESERVED_SUFFIXES}, unless the label itself
 *    ends with `_total` or `_info` written with `_` (`nodejs.version_info`,
 *    `nodejs.active_handles_total`): such a label spells a Prometheus name on purpose
 *    (prom-client's default metrics have these two), while `requests.total` →
 *    `requests_total_value` as before. `_count`, `_sum`, `_bucket` and `_created` always get
 *    `_value`: they would clash with the samples of a histogram or counter (`lat_count`).
 */
export function familyName(label: string, options: FamilyNameOptions = {}): string {
  let name = sanitize(label);
  if (options.counter && name.endsWith('_total') && name.length > '_total'.length) name = name.slice(0, -'_total'.length);
  for (const part of options.parts ?? []) {
    const clean = part.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
    if (clean !== '') name += `_${clean}`;
  }
  const unit = unitSuffix(options.unit ?? '');
  if (unit !== '' && name !== unit && !name.endsWith(`_${unit}`)) name += `_${unit}`;
  return SPELLED_SUFFIXES.some((suffix) => label.endsWith(suffix) && name.endsWith(suffix)) ? name : unreserve(name);
}

/**
 * A unit as it appears at the end of metric names and in OpenMetrics `# UNIT` lines: a UCUM
 * unit spelled out as OpenTelemetry's Prometheus rules spell it (`prometheusUnit` of
 * `@mmstats/format`: `"s"` → `seconds`, `"By/s"` → `bytes_per_second`, `"{request}"` → none),
 * then lower case, runs of other characters than letters, digits and `_` made one `_`, trimmed
 * (`"seconds"` → `seconds`, `"KiB/s"` → `kib_per_second`); `""` for none (also for `"1"`: the OpenTelemetry
 * provider of `@mmstats/otel` writes a gauge's `1` as `ratio` itself).
 */
export function unitSuffix(unit: string): string {
  return prometheusUnit(unit).toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * The Prometheus label name for the v2 dimension key `key`: runs of characters other than
 * ASCII letters, digits and `_` become one `_`, camelCase words snake_case (`snakeCase`:
 * `routeName` → `route_name`), leading `_` go (names starting with `__` are
 * reserved), `dim_` is put in front of a name that is then empty, starts with a digit or is
 * one of {@link RESERVED_LABEL_NAMES} (`status` → `status`, `le` → `dim_le`, `2xx` → `dim_2xx`).
 */
export function dimensionLabelName(key: string): string {
  const name = snakeCase(key.replace(/[^A-Za-z0-9_]+/g, '_')).replace(/^_+/, '');
  return name === '' || /^[0-9]/.test(name) || RESERVED_LABEL_NAMES.includes(name) ? `dim_${name}` : name;
}
