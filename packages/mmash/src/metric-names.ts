/**
 * Turning mmstats labels (any UTF-8 text, dots by convention: `web.stats.status.2XX`) into
 * Prometheus metric names, which allow only `[a-zA-Z_:][a-zA-Z0-9_:]*`.
 *
 * @module
 */

/**
 * Endings that Prometheus and OpenMetrics give a meaning for other metric types (counters,
 * histograms, summaries, info). A gauge named with one is flagged by `promtool check metrics`
 * and misread by OpenMetrics parsers, so {@link metricName} moves it out of the way.
 */
export const RESERVED_SUFFIXES = ['_total', '_created', '_count', '_sum', '_bucket', '_info'] as const;

/** What {@link metricName} puts in front of a name that would be empty or start with a digit. */
export const NAME_PREFIX = 'mmstats_';

/**
 * The Prometheus metric name for the mmstats label `label`. The rule, in order:
 *
 * 1. every run of characters other than ASCII letters, digits and `_` becomes one `_`
 *    (`web.stats.status.2XX` → `web_stats_status_2XX`; `ü.café.hits` → `_caf_hits`);
 *    `:` is replaced too, as Prometheus keeps it for recording rules;
 * 2. leading and trailing `_` are removed (names starting with `__` are reserved);
 * 3. {@link NAME_PREFIX} is put in front when the name is now empty or starts with a digit;
 * 4. `_value` is appended when the name ends in one of {@link RESERVED_SUFFIXES}
 *    (`requests.total` → `requests_total_value`).
 *
 * Different labels can give the same name (`a.b` and `a-b`); the exposition then tells
 * their series apart with an `mmstats_label` label (see `renderMetrics`).
 */
export function metricName(label: string): string {
  let name = label.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (name === '' || /^[0-9]/.test(name)) name = NAME_PREFIX + name;
  if (RESERVED_SUFFIXES.some((suffix) => name.endsWith(suffix))) name += '_value';
  return name;
}
