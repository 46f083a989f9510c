/**
 * HTTP server instrumentation: requests by method and status class, requests in flight, and
 * latency, for any `node:http` (or `node:https`) server, without wrapping its handler.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { TimerV2 } from '../v2/timers.js';
import type { FieldDef } from '../common/field-def.js';
import { counter, gauge, timer } from '../fields.js';
import type { CounterV2, GaugeV2 } from '../v2/scalars.js';
import type { OpenOptions } from '../common/file-options.js';
import type { StatsFileV2 } from '../v2/stats.js';
import { SECONDS_BUCKETS, addRecord, openOwnFile, type StatsTarget } from '../runtime/target.js';

/**
 * The methods counted under their own name (the `method` dimension); any other is counted as
 * `_OTHER`, so a client cannot make the file grow by inventing methods.
 */
export const HTTP_METHODS = Object.freeze(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE'] as const);

/**
 * The values of the `status` dimension: the status class of the response sent, `other` for a
 * code outside 100–599, and `aborted` for a response that never finished (the connection
 * closed first).
 */
export const STATUS_CLASSES = Object.freeze(['1xx', '2xx', '3xx', '4xx', '5xx', 'other', 'aborted'] as const);

/** What {@link instrumentHttpServer} needs of a server: `node:http`'s `Server`, `node:https`'s, or anything emitting `request` like them. */
export interface RequestEmitter {
  /** Adds a `request` listener in front of the others. */
  prependListener(event: 'request', listener: (req: IncomingMessage, res: ServerResponse) => void): unknown;
  /** Removes a `request` listener. */
  removeListener(event: 'request', listener: (req: IncomingMessage, res: ServerResponse) => void): unknown;
}

/** Options of {@link instrumentHttpServer}. */
export interface HttpInstrumentationOptions {
  /**
   * The stats file (or v2 builder) to add the records to, e.g. the application's own opened
   * model. Default: a file of its own, `{CMD}-{PID}-{TID}.http.mmstats` in `$MMSTATS_PATH` or
   * the default stats directory (see `file`): one per process, so give `stats` (and `dims`) to
   * instrument several servers.
   */
  readonly stats?: StatsTarget;
  /** Where the file of its own goes when `stats` is not given, as for `Model.open()`. Ignored with `stats`. */
  readonly file?: Omit<OpenOptions<2>, 'format'>;
  /** The labels' common start. Default: `"http.server."`. */
  readonly prefix?: string;
  /** Dimensions added to every record, e.g. `{ server: 'admin' }` to tell two servers apart in one file. Default: none. */
  readonly dims?: Readonly<Record<string, string>>;
}

/** The records of an instrumented server, from {@link instrumentHttpServer}. */
export interface HttpInstrumentation {
  /** Where the records are: the `stats` given, or the file of its own. */
  readonly stats: StatsTarget;
  /** `http.server.request.duration`: from the `request` event to the response's `close`, in seconds. */
  readonly duration: TimerV2;
  /** `http.server.active_requests`: requests received and not yet answered. */
  readonly active: GaugeV2;
  /**
   * Stops counting new requests (requests in flight are still finished); the file of its own
   * (not a `stats` given) is closed when they are. Calling it again does nothing.
   */
  stop(): void;
}

function methodIndex(method: string | undefined): number {
  switch (method) {
    case 'GET': return 0;
    case 'HEAD': return 1;
    case 'POST': return 2;
    case 'PUT': return 3;
    case 'DELETE': return 4;
    case 'PATCH': return 5;
    case 'OPTIONS': return 6;
    case 'CONNECT': return 7;
    case 'TRACE': return 8;
    default: return 9;
  }
}

function statusIndex(res: ServerResponse): number {
  if (!res.writableFinished) return 6;
  const code = res.statusCode;
  return code >= 100 && code < 600 ? Math.floor(code / 100) - 1 : 5;
}

/**
 * Instruments a `node:http` server (and so Express, Koa, Fastify... which run on one): a
 * `request` listener put in front of the application's counts, times and tracks every
 * request, with no change to the handlers.
 *
 * - `http.server.requests{method, status}` (counter, unit `requests`): one record per method
 *   ({@link HTTP_METHODS}, else `_OTHER`) and status class ({@link STATUS_CLASSES}) seen,
 *   added to the file at run time when the combination first appears (at most 70);
 * - `http.server.active_requests` (gauge, unit `requests`);
 * - `http.server.request.duration` (timer, seconds, {@link SECONDS_BUCKETS}): from the
 *   `request` event to the response's `close`.
 *
 * Per request: a closure and its `close` listener, two `performance.now()` calls, three plain
 * stores into the mapping (the gauge twice, the counter once, found by an array lookup) and
 * one seqlocked histogram write.
 *
 * ```ts
 * const server = createServer(handler);
 * instrumentHttpServer(server, { stats }); // Express: app.listen() returns the server; Fastify: app.server
 * ```
 *
 * @throws MmstatsError when the file of its own cannot be made, or INVALID_FIELD when `stats`
 *   already has these labels with these dimensions (give `dims` or `prefix`)
 */
export function instrumentHttpServer(server: RequestEmitter, options: HttpInstrumentationOptions = {}): HttpInstrumentation {
  const own: StatsFileV2 | undefined = options.stats === undefined ? openOwnFile('http', options.file) : undefined;
  const stats: StatsTarget = options.stats ?? own!;
  const prefix = options.prefix ?? 'http.server.';
  const dims = options.dims ?? {};
  const add = <H>(name: string, def: FieldDef<H, unknown>): H => addRecord(stats, prefix + name, def);

  const active = add('active_requests', gauge({ unit: 'requests', dims, help: 'HTTP requests received and not yet answered.' }));
  const duration = add('request.duration', timer({ ...SECONDS_BUCKETS, dims, help: 'Duration of HTTP server requests, from the request event to the response closing.' }));
  const counters: Array<CounterV2 | undefined> = new Array<CounterV2 | undefined>(10 * STATUS_CLASSES.length).fill(undefined);
  const countersFor = (method: number, status: number): CounterV2 => {
    const at = method * STATUS_CLASSES.length + status;
    let record = counters[at];
    if (record === undefined) {
      const name = method < HTTP_METHODS.length ? HTTP_METHODS[method]! : '_OTHER';
      record = add('requests', counter({ unit: 'requests', dims: { ...dims, method: name, status: STATUS_CLASSES[status]! }, help: 'HTTP requests answered, by method and status class.' }));
      counters[at] = record;
    }
    return record;
  };

  let inFlight = 0;
  let stopped = false;
  const closeOwn = (): void => {
    if (stopped && inFlight === 0) own?.close();
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    inFlight++;
    active.value = inFlight;
    res.on('close', () => {
      duration.record((performance.now() - started) / 1000);
      inFlight--;
      active.value = inFlight;
      countersFor(methodIndex(req.method), statusIndex(res)).incr();
      if (stopped) closeOwn();
    });
  };
  server.prependListener('request', onRequest);
  return {
    stats,
    duration,
    active,
    stop(): void {
      if (stopped) return;
      stopped = true;
      server.removeListener('request', onRequest);
      closeOwn();
    },
  };
}
