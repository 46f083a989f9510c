/**
 * `@mmstats/writer/http`: instrument a `node:http` server (and so Express, Fastify and the
 * others built on one) in one call: requests by method and status class, requests in flight
 * and latency, written into a stats file, with no change to the request handlers.
 *
 * ```ts
 * import { instrumentHttpServer } from '@mmstats/writer/http';
 * instrumentHttpServer(server, { stats }); // or without stats: a file of its own
 * ```
 *
 * @packageDocumentation
 */
export { HTTP_METHODS, STATUS_CLASSES, instrumentHttpServer } from './instrument.js';
export type { HttpInstrumentation, HttpInstrumentationOptions, RequestEmitter } from './instrument.js';
export { SECONDS_BUCKETS } from '../runtime/target.js';
export type { StatsTarget } from '../runtime/target.js';
