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
export type { MmashHandler, MmashOptions, RunningMmash } from './server.js';
export { StatsSource } from './stats-source.js';
export type { StatsSourceOptions } from './stats-source.js';
export { renderMetrics } from './metrics.js';
export { metricName, NAME_PREFIX, RESERVED_SUFFIXES } from './metric-names.js';
export { METRICS_CONTENT_TYPES, negotiateMetricsFormat } from './content-negotiation.js';
export type { MetricsFormat } from './content-negotiation.js';
export { MAX_GLOB_LENGTH, parseNameGlob } from './name-glob.js';
export type { NameGlob } from './name-glob.js';
export { SECURITY_HEADERS } from './http-responses.js';
export { runCli } from './cli.js';
