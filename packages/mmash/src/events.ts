/**
 * The contract of `/events`: what each server-sent event's `data` holds. Types only, and no
 * Node.js import, so that the dashboard's browser modules (`assets/*.js`, checked by
 * `tsconfig.assets.json`) import these very types: a change here that the page does not
 * follow fails the build.
 *
 * @module
 */
import type { JsonData } from '@mmstats/format';

/** One event's `data`, as JSON. */
export interface StatsEvent {
  /** When the files were read, in seconds since the epoch (uPlot's time unit). */
  readonly t: number;
  /** The files read, sorted. */
  readonly files: string[];
  /** Who writes each file of {@link files}, by path (see {@link EventWriter}). */
  readonly writers: Record<string, EventWriter>;
  /** For each requested label present in some file, its values (see {@link EventStat}). */
  readonly stats: Record<string, EventStat>;
}

/** The writer of one file, as the page names it in its per-worker views. */
export interface EventWriter {
  /** The writer's process id (the v2 header's, v1's `sys.pid`); absent when the file does not say. */
  readonly pid?: number;
  /** Its worker slot (the `mmstats.worker` record, spec/files.md#worker-slot), which a restarted worker keeps; absent without one. */
  readonly slot?: string;
}

/**
 * How the dashboard shows a label, from its values: `number` (plot the values), `string`
 * (some file holds text under the label: a table), `histogram` (histograms and timers: a
 * heatmap of the bucket counts and the percentiles), `average` (plot the mean), `window`
 * (plot the rate).
 */
export type EventStatKind = 'number' | 'string' | 'histogram' | 'average' | 'window';

/**
 * One non-empty bucket of a histogram (spec/format-v2.md#enc-histogram): the values
 * `lower ≤ v < upper` and how many were recorded there since the file was created. `null`
 * stands for −∞ (the underflow bucket's lower end) and +∞ (the overflow bucket's upper end),
 * which JSON cannot carry.
 */
export type EventBucket = readonly [lower: number | null, upper: number | null, count: number];

/**
 * A histogram or timer in an event. Numbers are as spec/expected-json.md writes them (a string
 * for a value a JSON number cannot carry); all of them count since the file was created.
 */
export interface EventHistogram {
  /** Values recorded. */
  readonly count: JsonData;
  /** Their sum. */
  readonly sum: JsonData;
  /** The median estimated from the buckets (spec/format-v2.md#enc-histogram); `null` while empty. */
  readonly p50: JsonData;
  /** The 90th percentile, likewise. */
  readonly p90: JsonData;
  /** The 99th percentile, likewise. */
  readonly p99: JsonData;
  /** The non-empty buckets, in ascending order: the page takes the counts per interval from their differences. */
  readonly buckets: readonly EventBucket[];
}

/** One label in a {@link StatsEvent}. */
export interface EventStat {
  /** How to show it; the first file's value decides, except that any text makes it `string`. */
  kind: EventStatKind;
  /** The record's kind (`counter`, `gauge`, `timer`...; v1 inferred), of the first file. */
  readonly recordKind: string;
  /** The unit of the first file's record, `""` for none. */
  readonly unit: string;
  /**
   * The value per file path (`path {key=value,...}` for a v2 record with dimensions): for
   * numbers and text the JSON form of spec/expected-json.md; for a histogram an
   * {@link EventHistogram}; for an average `{count, sum, mean}`; for a window `{rate, mean,
   * count}` at the event's time. `null` for a value of another shape than `kind`.
   */
  readonly files: Record<string, JsonData | EventHistogram>;
  /**
   * With an aggregator: numbers and text combined by it (Python mmash's way; `null` when
   * nothing qualified); histograms, averages and windows merged component-wise, whatever the
   * aggregator (spec/format-v2.md#merge), in the per-file shape; `null` when they cannot be
   * merged (different bucket schemes).
   */
  aggr?: JsonData | EventHistogram | null;
}
