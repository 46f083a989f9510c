/**
 * `@mmstats/mmash`: the live mmstats dashboard, a JSON API compatible with Python mmash, and
 * a Prometheus `/metrics` endpoint, all reading the stats files without touching the programs
 * that write them.
 *
 * ```ts
 * const mmash = await startMmash({ targets: ['/run/app/*.mmstats'], port: 5002 });
 * console.log(`open ${mmash.url}`);
 * ```
 *
 * @packageDocumentation
 */
export { startMmash, createMmashHandler } from './server.js';
export type { MmashHandler, MmashHandlerOptions, MmashOptions, RunningMmash } from './server.js';
export { DEFAULT_CONNECTION_LIMITS } from './connection-limits.js';
export type { ConnectionLimits } from './connection-limits.js';
export { DEFAULT_EVENT_STALL_TIMEOUT_MS } from './event-stream.js';
export type { EventBucket, EventHistogram, EventStat, EventStatKind, EventWriter, StatsEvent } from './events.js';
export { MAX_LABEL_LENGTH, MAX_QUERY_PARAMETERS, MAX_TARGET_LENGTH } from './request-target.js';
export { StatsSource } from './stats-source.js';
export type { StatsSourceOptions } from './stats-source.js';
export { MetricsRenderer, renderMetrics } from './metrics.js';
export { MAX_LE_BOUNDS, histogramLeSet } from './classic-histogram.js';
export type { MetricsOptions } from './metrics.js';
export { MergedLayouts, SERIES_VIEWS, seriesEntries } from './metric-series.js';
export type { SeriesEntry, SeriesView } from './metric-series.js';
export type { LabelPair } from './exposition-bytes.js';
export { RESERVED_LABEL_NAMES, dimensionLabelName, familyName, metricName, NAME_PREFIX, RESERVED_SUFFIXES, unitSuffix } from './metric-names.js';
export type { FamilyNameOptions } from './metric-names.js';
// The JSON forms are the reader's (one derived-value layer for every output), exported here as before.
export { percentilesToJson, valueToJson, windowToJson } from '@mmstats/reader';
export type { JsonValueOptions } from '@mmstats/reader';
export { METRICS_CONTENT_TYPES, negotiateMetricsFormat, parseAccept } from './content-negotiation.js';
export type { MediaRange, MetricsFormat } from './content-negotiation.js';
export { MAX_GLOB_LENGTH, parseNameGlob } from './name-glob.js';
export type { NameGlob } from './name-glob.js';
export { SECURITY_HEADERS } from './http-responses.js';
export { runCli } from './cli.js';
