/**
 * `/events`: the live feed of the dashboard, as server-sent events. Each event carries the
 * current values of the stats the page plots, per file and, when asked, combined.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toJsonValue, type JsonValue } from '@mmstats/format';
import { aggregate, collectValues, type Aggregator } from '@mmstats/reader';
import { HttpError, SECURITY_HEADERS } from './http-responses.js';
import { parseAggregator, parseGlob, snapshotsOf } from './json-api.js';
import type { StatsSource } from './stats-source.js';

/** The shortest `interval` a client may ask for, in milliseconds. */
export const MIN_EVENT_INTERVAL_MS = 100;
/** The longest `interval` a client may ask for, in milliseconds. */
export const MAX_EVENT_INTERVAL_MS = 60_000;
/** The most `stat` parameters one stream may name. */
export const MAX_EVENT_STATS = 100;

/** One event's `data`, as JSON. */
export interface StatsEvent {
  /** When the files were read, in seconds since the epoch (uPlot's time unit). */
  readonly t: number;
  /** The files read, sorted. */
  readonly files: string[];
  /**
   * For each requested label present in some file: `number` (plot it) or `string` (show it
   * as text: some file holds text under the label), its value per file in JSON form and,
   * with `aggr`, the combined value.
   */
  readonly stats: Record<string, EventStat>;
}

/** One label in a {@link StatsEvent}. */
export interface EventStat {
  /** `string` when some file holds text under the label, else `number` (booleans included). */
  kind: 'number' | 'string';
  /** The value per file path, in the JSON form of spec/expected-json.md. */
  readonly files: Record<string, JsonValue>;
  /** The combined value when the stream has an aggregator; `null` when nothing qualified. */
  aggr?: JsonValue | null;
}

/** What a stream sends, checked from `?stat=&stat=&aggr=&glob=&interval=`. */
export interface EventQuery {
  /** Exact labels; at least one, at most {@link MAX_EVENT_STATS}. */
  readonly labels: readonly string[];
  /** Combine each label's values this way too; default not. */
  readonly aggr: Aggregator | undefined;
  /** Which files, by name; default all. */
  readonly include: (path: string) => boolean;
  /** Milliseconds between events, default 1000, within [{@link MIN_EVENT_INTERVAL_MS}, {@link MAX_EVENT_INTERVAL_MS}]. */
  readonly intervalMs: number;
}

/**
 * Checks the query of `/events`.
 *
 * @throws HttpError 400 naming what is wrong
 */
export function parseEventQuery(params: URLSearchParams): EventQuery {
  const labels = [...new Set(params.getAll('stat'))];
  if (labels.length === 0) throw new HttpError(400, 'name at least one stat: /events?stat=LABEL');
  if (labels.length > MAX_EVENT_STATS) throw new HttpError(400, `at most ${MAX_EVENT_STATS} stats per stream`);
  const interval = params.get('interval');
  const intervalMs = interval === null || interval === '' ? 1000 : Number(interval);
  if (!Number.isInteger(intervalMs) || intervalMs < MIN_EVENT_INTERVAL_MS || intervalMs > MAX_EVENT_INTERVAL_MS) {
    throw new HttpError(400, `interval must be a whole number of milliseconds from ${MIN_EVENT_INTERVAL_MS} to ${MAX_EVENT_INTERVAL_MS}`);
  }
  return { labels, aggr: parseAggregator(params.get('aggr')), include: parseGlob(params.get('glob') ?? ''), intervalMs };
}

/** Reads the files once and builds an event for `query`. */
export async function readEvent(source: StatsSource, query: EventQuery): Promise<StatsEvent> {
  const results = await source.read(query.include);
  const snapshots = snapshotsOf(results);
  const wanted = new Set(query.labels);
  // Object.create(null): a label or path such as "__proto__" stays an ordinary key.
  const stats = Object.create(null) as Record<string, EventStat>;
  for (const snapshot of snapshots) {
    for (const field of snapshot.fields) {
      if (!wanted.has(field.label)) continue;
      const entry = (stats[field.label] ??= { kind: 'number', files: Object.create(null) as Record<string, JsonValue> });
      if (typeof field.value === 'string') entry.kind = 'string';
      entry.files[snapshot.path] ??= toJsonValue(field.value);
    }
  }
  if (query.aggr !== undefined) {
    for (const label of Object.keys(stats)) {
      const values = collectValues(snapshots, { prefix: label, exact: true }).get(label) ?? [];
      const combined = aggregate(values, query.aggr);
      stats[label]!.aggr = combined === null ? null : toJsonValue(combined);
    }
  }
  return { t: Date.now() / 1000, files: snapshots.map((s) => s.path), stats };
}

/**
 * Serves one event stream until the client goes away or `stop` is called: an event at once,
 * then one every `query.intervalMs`. Ticks never overlap: the next is scheduled when the
 * previous has been written, so a slow client or file system slows its own stream only.
 *
 * @returns a function that ends the stream (for server shutdown)
 */
export function serveEvents(source: StatsSource, query: EventQuery, req: IncomingMessage, res: ServerResponse): () => void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    // Tell buffering proxies to pass events through as they come.
    'X-Accel-Buffering': 'no',
  });
  // The browser reconnects after this many milliseconds if the stream breaks.
  res.write('retry: 2000\n\n');
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    res.end();
  };
  const tick = async (): Promise<void> => {
    if (stopped) return;
    try {
      const event = await readEvent(source, query);
      if (stopped) return;
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    } catch (error) {
      // Unexpected (file errors are part of the event); tell the page rather than go silent.
      res.write(`event: failure\ndata: ${JSON.stringify({ error: String(error) })}\n\n`);
    }
    if (!stopped) timer = setTimeout(() => void tick(), query.intervalMs);
  };
  req.on('close', stop);
  res.on('error', stop);
  void tick();
  return stop;
}
