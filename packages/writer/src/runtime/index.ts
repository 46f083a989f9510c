/**
 * `@mmstats/writer/runtime`: Node's runtime metrics (CPU, memory, heap, event-loop lag, delay
 * and utilisation, GC pauses by kind, active handles, requests and resources) written into a
 * stats file once a second: every one of prom-client's default metrics, under its name, type
 * and labels once exported (mmash's `/metrics`). One call, opt-in:
 *
 * ```ts
 * import { collectRuntimeMetrics } from '@mmstats/writer/runtime';
 * const runtime = collectRuntimeMetrics(); // or { stats }: into a file you opened
 * ```
 *
 * @packageDocumentation
 */
export { collectRuntimeMetrics, DEFAULT_EVENT_LOOP_RESOLUTION_MS, DEFAULT_RUNTIME_INTERVAL_MS } from './collector.js';
export type { RuntimeMetrics, RuntimeMetricsOptions } from './collector.js';
export { addRecord, openOwnFile, SECONDS_BUCKETS } from './target.js';
export type { StatsTarget } from './target.js';
