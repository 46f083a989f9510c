/**
 * `/events`: the live feed of the dashboard, as server-sent events. Each event carries the
 * current values of the stats the page plots, per file and, when asked, combined; histograms
 * as their percentiles and non-empty buckets, windows as their rate, averages as their mean.
 * The payload's types are in `events.ts`, which the page's modules import.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bucketBounds, type HistogramValue, isDistributionValue, isHistogramValue, isWindowValue, type JsonData, mergeValues, type V2Value } from '@mmstats/format';
import { aggregate, summaryToJson, workerSlotOf, writerInfo, type Aggregator, type FieldValue } from '@mmstats/reader';
import type { EventBucket, EventHistogram, EventStat, EventStatKind, EventWriter, StatsEvent } from './events.js';
import { HttpError, SECURITY_HEADERS } from './http-responses.js';
import { parseAggregator, parseGlob, snapshotsOf } from './json-api.js';
import { checkLabel } from './request-target.js';
import type { StatsSource } from './stats-source.js';

/** The shortest `interval` a client may ask for, in milliseconds. */
export const MIN_EVENT_INTERVAL_MS = 100;
/** The longest `interval` a client may ask for, in milliseconds. */
export const MAX_EVENT_INTERVAL_MS = 60_000;
/** The most `stat` parameters one stream may name. */
export const MAX_EVENT_STATS = 100;

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
 * Checks the query of `/events`. The glob is compiled once per stream, and its answer for
 * each file remembered.
 *
 * @throws HttpError 400 naming what is wrong
 */
export function parseEventQuery(params: URLSearchParams): EventQuery {
  const labels = [...new Set(params.getAll('stat'))].map((label) => checkLabel(label, 'stat'));
  if (labels.length === 0) throw new HttpError(400, 'name at least one stat: /events?stat=LABEL');
  if (labels.length > MAX_EVENT_STATS) throw new HttpError(400, `at most ${MAX_EVENT_STATS} stats per stream`);
  const interval = params.get('interval');
  const intervalMs = interval === null || interval === '' ? 1000 : Number(interval);
  if (!Number.isInteger(intervalMs) || intervalMs < MIN_EVENT_INTERVAL_MS || intervalMs > MAX_EVENT_INTERVAL_MS) {
    throw new HttpError(400, `interval must be a whole number of milliseconds from ${MIN_EVENT_INTERVAL_MS} to ${MAX_EVENT_INTERVAL_MS}`);
  }
  return { labels, aggr: parseAggregator(params.get('aggr')), include: remembered(parseGlob(params.get('glob') ?? '')), intervalMs };
}

/** The most file paths whose match a stream remembers; past it, it starts over. */
const MAX_REMEMBERED_MATCHES = 10_000;

/**
 * `matches`, remembering each path's answer: a stream asks about the same files every tick,
 * and a path's name never changes.
 */
function remembered(matches: (path: string) => boolean): (path: string) => boolean {
  const answers = new Map<string, boolean>();
  return (path) => {
    let answer = answers.get(path);
    if (answer === undefined) {
      if (answers.size >= MAX_REMEMBERED_MATCHES) answers.clear();
      answer = matches(path);
      answers.set(path, answer);
    }
    return answer;
  };
}

/** Reads the files once and builds an event for `query`. */
export async function readEvent(source: StatsSource, query: EventQuery): Promise<StatsEvent> {
  const results = await source.read(query.include);
  const snapshots = snapshotsOf(results);
  const now = Date.now() / 1000;
  const wanted = new Set(query.labels);
  // Object.create(null): a label or path such as "__proto__" stays an ordinary key.
  const stats = Object.create(null) as Record<string, EventStat>;
  // Every readable value of each wanted label, in file order, for the aggregate.
  const values = new Map<string, FieldValue[]>();
  for (const snapshot of snapshots) {
    for (const field of snapshot.fields) {
      if (!wanted.has(field.label) || field.value === undefined) continue;
      const value = field.value;
      const shape = shapeOf(value);
      const entry = (stats[field.label] ??= {
        kind: shape,
        recordKind: field.kind,
        unit: field.unit,
        files: Object.create(null) as EventStat['files'],
      });
      if (shape === 'string') entry.kind = 'string';
      const key = field.version === 2 && Object.keys(field.dims).length > 0 ? `${snapshot.path} ${dimsText(field.dims)}` : snapshot.path;
      entry.files[key] ??= shape === entry.kind || entry.kind === 'string' ? eventValue(value, now) : null;
      const list = values.get(field.label);
      if (list) list.push(value);
      else values.set(field.label, [value]);
    }
  }
  if (query.aggr !== undefined) {
    for (const [label, stat] of Object.entries(stats)) {
      const list = values.get(label) ?? [];
      if (stat.kind === 'number' || stat.kind === 'string') {
        const combined = aggregate(list, query.aggr);
        stat.aggr = combined === null ? null : summaryToJson(combined, { now });
      } else {
        // Composite values merge component-wise whatever the rule (spec/format-v2.md#merge).
        const merged = mergeValues(stat.kind, 'sum', list.filter((v) => shapeOf(v) === stat.kind) as V2Value[]);
        stat.aggr = merged === undefined ? null : eventValue(merged, now);
      }
    }
  }
  // Object.create(null) again: a path is a key too.
  const writers = Object.create(null) as Record<string, EventWriter>;
  for (const snapshot of snapshots) {
    const pid = writerInfo(snapshot).pid;
    const slot = workerSlotOf(snapshot);
    writers[snapshot.path] = { ...(pid === undefined ? {} : { pid }), ...(slot === undefined ? {} : { slot }) };
  }
  return { t: now, files: snapshots.map((s) => s.path), writers, stats };
}

/** A value as the event carries it: the reader's JSON summary, and a histogram's non-empty buckets. */
function eventValue(value: FieldValue, now: number): JsonData | EventHistogram {
  const summary = summaryToJson(value, { now });
  if (typeof value !== 'object' || !isHistogramValue(value)) return summary;
  return { ...(summary as Omit<EventHistogram, 'buckets'>), buckets: nonEmptyBuckets(value) };
}

/** The buckets of `histogram` that hold a count, in ascending order, with their bounds. */
function nonEmptyBuckets(histogram: HistogramValue): EventBucket[] {
  const out: EventBucket[] = [];
  histogram.buckets.forEach((count, index) => {
    if (count === 0) return;
    const { lower, upper } = bucketBounds(index, histogram.params);
    out.push([Number.isFinite(lower) ? lower : null, Number.isFinite(upper) ? upper : null, count]);
  });
  return out;
}

function shapeOf(value: FieldValue): EventStatKind {
  if (typeof value === 'string') return 'string';
  if (typeof value !== 'object') return 'number';
  return isDistributionValue(value) ? 'histogram' : isWindowValue(value) ? 'window' : 'average';
}

function dimsText(dims: Readonly<Record<string, string>>): string {
  return `{${Object.keys(dims)
    .sort()
    .map((key) => `${key}=${dims[key]!}`)
    .join(',')}}`;
}

/** How long a stream may stay stalled (its socket full, not drained) before it is closed, by default: 30 s. */
export const DEFAULT_EVENT_STALL_TIMEOUT_MS = 30_000;

/**
 * Serves one event stream until the client goes away or `stop` is called: an event at once,
 * then one every `query.intervalMs`. Ticks never overlap: the next is scheduled when the
 * previous has been written, so a slow client or file system slows its own stream only.
 *
 * A client that does not read as fast as events come costs at most one event of memory: while
 * the socket's buffer is full, ticks are skipped (no files read, nothing queued), and when it
 * drains after a skipped tick the latest state is sent at once (ticks are coalesced, never
 * queued). A stream that has not drained within `stallTimeoutMs` is closed.
 *
 * @param stallTimeoutMs - default {@link DEFAULT_EVENT_STALL_TIMEOUT_MS}
 * @returns a function that ends the stream (for server shutdown)
 */
export function serveEvents(
  source: StatsSource,
  query: EventQuery,
  req: IncomingMessage,
  res: ServerResponse,
  stallTimeoutMs = DEFAULT_EVENT_STALL_TIMEOUT_MS,
): () => void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    // Tell buffering proxies to pass events through as they come.
    'X-Accel-Buffering': 'no',
  });
  let timer: NodeJS.Timeout | undefined;
  let stall: NodeJS.Timeout | undefined;
  let stopped = false;
  // A tick came while the socket was full, and was skipped: the drain sends the latest state.
  let missed = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    clearTimeout(stall);
    res.end();
  };
  /** Writes `text`; when the socket is full, arms the stall timeout (`stall` set means "wait for drain"). */
  const write = (text: string): void => {
    if (res.write(text) || stall !== undefined) return;
    stall = setTimeout(() => {
      stop();
      res.destroy();
    }, stallTimeoutMs);
  };
  const tick = async (): Promise<void> => {
    if (stopped) return;
    if (stall !== undefined) {
      missed = true;
      return;
    }
    let text: string;
    try {
      text = `data: ${JSON.stringify(await readEvent(source, query))}\n\n`;
    } catch (error) {
      // Unexpected (file errors are part of the event); tell the page rather than go silent.
      text = `event: failure\ndata: ${JSON.stringify({ error: String(error) })}\n\n`;
    }
    if (stopped) return;
    // Stalled while reading (only when the first write filled the socket): drop it, the drain sends a fresh one.
    if (stall !== undefined) {
      missed = true;
      return;
    }
    write(text);
    // Scheduled even when this write filled the socket: the next tick finds out whether it drained.
    timer = setTimeout(() => void tick(), query.intervalMs);
  };
  res.on('drain', () => {
    if (stall === undefined) return;
    clearTimeout(stall);
    stall = undefined;
    if (missed) {
      missed = false;
      void tick();
    }
  });
  req.on('close', stop);
  res.on('close', stop);
  res.on('error', stop);
  // The browser reconnects after this many milliseconds if the stream breaks.
  write('retry: 2000\n\n');
  void tick();
  return stop;
}
