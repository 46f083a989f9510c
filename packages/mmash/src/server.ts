/**
 * The mmash HTTP server: routes, on `node:http`.
 *
 * @module
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { CONNECTIONS_CHECKING_INTERVAL_MS, DEFAULT_CONNECTION_LIMITS, limitConnections, type ConnectionLimits } from './connection-limits.js';
import { METRICS_CONTENT_TYPES, negotiateMetricsFormat } from './content-negotiation.js';
import { DEFAULT_EVENT_STALL_TIMEOUT_MS, parseEventQuery, serveEvents } from './event-stream.js';
import { hostCheck } from './host-check.js';
import { HttpError, send, sendError, sendJson } from './http-responses.js';
import { listFiles, listLabelDetails, listLabels, parseFlag, parseGlob, parseStatsQuery, queryMerged, queryStats, readErrorsOf, snapshotsOf } from './json-api.js';
import { SERIES_VIEWS, type SeriesView } from './metric-series.js';
import { MetricsRenderer } from './metrics.js';
import { checkLabel, decodeSegment, splitTarget } from './request-target.js';
import { loadStaticAssets, type StaticAsset } from './static-assets.js';
import { StatsSource, type StatsSourceOptions } from './stats-source.js';

/** What the request handler does, beside which files it reads. */
export interface MmashHandlerOptions extends StatsSourceOptions {
  /** How many `/events` streams may be open at once; more get a 503. Default `64`. */
  readonly maxEventStreams?: number;
  /**
   * Milliseconds an `/events` client may go without reading (its socket full) before its
   * stream is closed; meanwhile its ticks are skipped, not queued. Default `30000`.
   */
  readonly eventStallTimeoutMs?: number;
  /** `/metrics`: expose v1 counters (buffered `Q`/`L`) as counters; default `false` (see `MetricsOptions.v1Counters`). */
  readonly v1Counters?: boolean;
  /**
   * `/metrics`: which series, when the request does not say (`?series=service|worker|file`):
   * default `service`, merged per service (see `MetricsOptions.series`).
   */
  readonly metricsSeries?: SeriesView;
  /**
   * Host names (or addresses) accepted in the `Host` header besides the address a request
   * arrives on, `localhost`, `127.0.0.1` and `[::1]`; any other `Host` gets a 421
   * (DNS rebinding). Default none.
   */
  readonly allowHosts?: readonly string[];
}

/** How mmash is served. */
export interface MmashOptions extends MmashHandlerOptions, Partial<ConnectionLimits> {
  /** The address to listen on. Default `"127.0.0.1"`: only this machine can connect. A host name given here is also accepted as `Host`. */
  readonly host?: string;
  /** The TCP port; `0` picks a free one. Default `5002`, as Python mmash. */
  readonly port?: number;
}

/** A request handler for mmash's routes, for embedding in a server of your own. */
export interface MmashHandler {
  /** Handles one request. */
  readonly listener: RequestListener;
  /** Ends the open event streams and closes the files. */
  close(): void;
}

/** A running mmash. */
export interface RunningMmash {
  /** The base URL, e.g. `http://127.0.0.1:5002/`. */
  readonly url: string;
  /** The port actually bound (useful with `port: 0`). */
  readonly port: number;
  /** The underlying server. */
  readonly server: Server;
  /** Stops listening, ends open connections (event streams would keep it open) and closes the files. */
  close(): Promise<void>;
}

/**
 * Creates the request handler: the JSON API, `/metrics`, `/events` and the dashboard.
 *
 * A request whose `Host` names neither the address it arrived on nor one of `allowHosts`
 * gets a 421; a request target longer than 8192 characters a 414, one with more than 128
 * query parameters, or a stat prefix or label over 1024 characters, a 400
 * (`request-target.ts`). Routes (`GET` and `HEAD` only; anything else is a 405):
 * - `/` the dashboard, `/assets/*` its files, `/favicon.svg`;
 * - `/stats/` every label (`?detail=1`: with kind, unit, help, dimensions),
 *   `/stats/<prefix>?exact=&glob=&aggr=&percentiles=` values;
 * - `/merged/<prefix>?exact=&glob=&percentiles=&perfile=` values merged by their records' rules;
 * - `/files/`, `/files/<glob>` the files read;
 * - `/metrics` Prometheus text 0.0.4 or OpenMetrics 1.0.0, by `Accept`;
 * - `/events?stat=LABEL&...&aggr=&glob=&interval=` server-sent events for the dashboard.
 *
 * @param options - which files to read (see {@link StatsSourceOptions}) and the rest of {@link MmashHandlerOptions}
 */
export function createMmashHandler(options: MmashHandlerOptions = {}): MmashHandler {
  const source = new StatsSource(options);
  const assets = loadStaticAssets();
  const streams = new Set<() => void>();
  const maxStreams = options.maxEventStreams ?? 64;
  const refusedHost = hostCheck(options.allowHosts);
  const metrics = new MetricsRenderer();

  const listener: RequestListener = (req, res) => {
    route(req, res).catch((error: unknown) => {
      const httpError = error instanceof HttpError ? error : new HttpError(500, `internal error: ${String(error)}`);
      if (res.headersSent) res.destroy();
      else sendError(req, res, httpError);
    });
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostProblem = refusedHost(req);
    if (hostProblem !== undefined) throw new HttpError(421, hostProblem);
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'mmash is read-only: use GET or HEAD', { Allow: 'GET, HEAD' });
    const { path, params } = splitTarget(req.url ?? '');

    const asset = assets.get(path);
    if (asset !== undefined) return sendAsset(req, res, asset);
    if (path === '/stats/' || path === '/stats') {
      const include = parseGlob(params.get('glob') ?? '');
      return sendJson(req, res, 200, parseFlag(params.get('detail'), 'detail') ? await listLabelDetails(source, include) : await listLabels(source, include));
    }
    if (path.startsWith('/stats/')) {
      const prefix = checkLabel(decodeSegment(path.slice('/stats/'.length), 'stat prefix'), 'stat prefix');
      return sendJson(req, res, 200, await queryStats(source, prefix, parseStatsQuery(params)));
    }
    if (path === '/merged/' || path === '/merged' || path.startsWith('/merged/')) {
      const prefix = checkLabel(decodeSegment(path.slice('/merged/'.length), 'stat prefix'), 'stat prefix');
      return sendJson(req, res, 200, await queryMerged(source, prefix, parseStatsQuery(params)));
    }
    if (path === '/files/' || path === '/files' || path.startsWith('/files/')) {
      const glob = decodeSegment(path.slice('/files/'.length), 'glob');
      return sendJson(req, res, 200, await listFiles(source, parseGlob(glob)));
    }
    if (path === '/metrics') {
      const format = negotiateMetricsFormat(req.headers.accept);
      const results = await source.read();
      const series = parseSeriesView(params.get('series'), options.metricsSeries ?? 'service');
      const body = metrics.render(snapshotsOf(results), format, { v1Counters: options.v1Counters ?? false, readErrors: readErrorsOf(results), series });
      // Written out ('finish'), the body's buffer serves the next scrape.
      res.once('finish', () => metrics.recycle(body));
      return send(req, res, 200, { 'Content-Type': METRICS_CONTENT_TYPES[format], 'Cache-Control': 'no-store', Vary: 'Accept' }, body);
    }
    if (path === '/events') {
      const query = parseEventQuery(params);
      if (streams.size >= maxStreams) throw new HttpError(503, `too many open event streams (${maxStreams})`, { 'Retry-After': '5' });
      if (req.method === 'HEAD') return send(req, res, 200, { 'Content-Type': 'text/event-stream; charset=utf-8' }, '');
      const stop = serveEvents(source, query, req, res, options.eventStallTimeoutMs ?? DEFAULT_EVENT_STALL_TIMEOUT_MS);
      streams.add(stop);
      res.on('close', () => streams.delete(stop));
      return;
    }
    throw new HttpError(404, `no such page: ${path.slice(0, 200)}; try /stats/, /merged/, /files/, /metrics or /`);
  }

  return {
    listener,
    close() {
      for (const stop of streams) stop();
      streams.clear();
      source.close();
    },
  };
}

/**
 * Starts mmash: creates the handler and listens on `options.host`:`options.port`, with the
 * connection bounds of {@link ConnectionLimits} (defaults: {@link DEFAULT_CONNECTION_LIMITS}).
 *
 * @param options - see {@link MmashOptions}; by default `127.0.0.1:5002` and the files of
 *   `MMSTATS_GLOB`/`MMSTATS_PATH`/this user's default stats directories
 * @throws the listen error (`EADDRINUSE`...) when the port cannot be bound
 */
export async function startMmash(options: MmashOptions = {}): Promise<RunningMmash> {
  const host = options.host ?? '127.0.0.1';
  // A name to listen on (`--host myhost`) is one clients may use.
  const allowHosts = isIP(host) === 0 ? [host, ...(options.allowHosts ?? [])] : (options.allowHosts ?? []);
  const handler = createMmashHandler({ ...options, allowHosts });
  const server = createServer({ connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS }, handler.listener);
  limitConnections(server, {
    maxConnections: options.maxConnections ?? DEFAULT_CONNECTION_LIMITS.maxConnections,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_CONNECTION_LIMITS.requestTimeoutMs,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? DEFAULT_CONNECTION_LIMITS.keepAliveTimeoutMs,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 5002, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        handler.close();
        server.close(() => resolve());
        // close() waits for open connections, and an event stream or a keep-alive socket
        // never ends by itself.
        server.closeAllConnections();
      }),
  };
}

function sendAsset(req: IncomingMessage, res: ServerResponse, asset: StaticAsset): void {
  // no-cache: revalidate each time, so an upgraded mmash never runs an old script.
  send(req, res, 200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' }, asset.body);
}

/** `?series=`: one of `SERIES_VIEWS`, else a 400; absent: `fallback`. */
function parseSeriesView(given: string | null, fallback: SeriesView): SeriesView {
  if (given === null) return fallback;
  if ((SERIES_VIEWS as readonly string[]).includes(given)) return given as SeriesView;
  throw new HttpError(400, `series must be one of ${SERIES_VIEWS.join(', ')}`);
}
