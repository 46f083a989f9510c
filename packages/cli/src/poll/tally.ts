/**
 * Combining polled fields over files, by each record's merge rule (`mergeSnapshots`), and
 * working out how much counters grew.
 *
 * A counter's change is summed file by file (and, for v2, record by record: one label may have
 * several dimensions), each against its own previous reading, rather than as "this total minus
 * the last total": a worker that leaves takes its count with it and a worker that joins brings
 * its count along, and neither must show as a burst of negative or positive traffic. A record
 * first seen this tick has nothing to compare with and adds nothing to the change (it does add
 * to the total); a counter that went down (its file was recreated) counts from zero, as
 * Prometheus' `rate()` treats a reset.
 *
 * Histograms and timers are shown the same way: their percentiles, `sum` and `mean` are those
 * of the values recorded during the interval (`count` is a counter, its change that interval's), from the growth of each record's
 * bucket counts (a record first seen adds nothing; one whose count went down counts from
 * zero), not of every value since the writer started. The first tick has no interval before
 * it and shows the values since start, as vmstat's first line shows the averages since boot.
 * `min` and `max` are kept since start only, so they stay since start.
 *
 * @module
 */
import { mergeSnapshots, type FieldValue, type MergedField, type StatsField, type StatsSnapshot } from '@mmstats/reader';
import { distributionQuantile, isAverageValue, isDistributionValue, isWindowValue, meanOf, windowStats, type DistributionValue } from '@mmstats/format';
import { addCounts, countOf, grown, distributionGrowth, intervalDistribution } from './growth.js';
import { columnSelects, type ColumnShow, type PolledColumn } from './field-kinds.js';

/** One file's reading at one tick. */
export interface FileReading {
  /**
   * Names this file for the change computation. A file re-opened because it was replaced must
   * get a new id: its counters start over.
   */
  readonly id: string;
  /** Every field of the file with its current value (only the polled labels are looked at). */
  readonly snapshot: StatsSnapshot;
}

/** A column's value: a number, an exact 64-bit integer, a boolean (v1 `?`), or text. */
export type Scalar = number | bigint | boolean | string;

/** One column's result for one tick. */
export interface ColumnTally {
  /**
   * Counters and gauges: the records' values merged over the files by their merge rule (v1
   * counters and gauges: summed, booleans counting 1, 64-bit integers exact); the first file's
   * value when they are not merged (text, rule `none`, files that disagree on kind or encoding). Statistics: the statistic of the merged composite value (a percentile, a mean, a
   * rate...). `null` when no file has the label, or when there is nothing to show (an empty
   * histogram's p99; values that disagree on kind or encoding and cannot be merged).
   */
  readonly total: Scalar | null;
  /**
   * For a counter, how much it grew since the previous tick, summed record by record; `null`
   * for everything else and on the first tick.
   */
  readonly change: number | bigint | null;
}

/** Keeps each record's previous count between ticks. */
export class Tally {
  #previous = new Map<string, number | bigint>();
  /** Each histogram record's value at the previous tick, by column, file and dimensions. */
  #previousHistograms = new Map<string, DistributionValue>();
  #ticks = 0;

  /**
   * Combines one tick's `readings` into a result per column, and remembers the counts for the
   * next tick.
   *
   * @param now - Unix seconds, for windows' rates
   */
  add(readings: readonly FileReading[], columns: readonly PolledColumn[], now = Date.now() / 1000): ColumnTally[] {
    const first = this.#ticks++ === 0;
    const next = new Map<string, number | bigint>();
    const nextHistograms = new Map<string, DistributionValue>();
    const result = columns.map((column): ColumnTally => {
      const members = readings.map((reading) => ({ reading, fields: reading.snapshot.fields.filter((field) => columnSelects(column, field)) }));
      if (!members.some((m) => m.fields.length > 0)) return { total: null, change: column.show?.mode === 'counter' && !first ? 0 : null };
      const show = column.show;
      if (show?.problem !== undefined) return { total: null, change: null };
      const quantile = show?.selector !== undefined && /^p\d/.test(show.selector) ? Number(show.selector.slice(1)) / 100 : undefined;
      // Every record of the column (all files, all dimensions it selects) merged into one: the
      // dimensions are dropped so that mergeSnapshots puts them in one group.
      const snapshots = members.map(({ reading, fields }) => ({ ...reading.snapshot, fields: fields.map((field) => ({ ...field, dims: {} }) as StatsField) }));
      const [merged] = mergeSnapshots(snapshots, { now, ...(quantile === undefined ? {} : { quantiles: [quantile] }) });
      if (isDistributionValue(merged!.value) && show?.mode === 'stat' && show.selector !== undefined && INTERVAL_STATS.has(show.selector.startsWith('p') ? 'pN' : show.selector)) {
        const grownBy: DistributionValue[] = [];
        for (const { reading, fields } of members) {
          for (const field of fields) {
            if (!isDistributionValue(field.value)) continue;
            const key = `${column.key}\0${reading.id}\0${JSON.stringify(field.dims)}`;
            nextHistograms.set(key, field.value);
            const before = this.#previousHistograms.get(key);
            if (before !== undefined) grownBy.push(distributionGrowth(before, field.value));
          }
        }
        const interval = first ? merged!.value : intervalDistribution(merged!.value, grownBy);
        return { total: histogramStat(interval, show.selector, quantile), change: null };
      }
      const total = totalOf(merged!, show, now);
      if (show?.mode !== 'counter') return { total, change: null };
      let change: number | bigint = 0;
      for (const { reading, fields } of members) {
        for (const field of fields) {
          const count = countOf(field.value);
          if (count === undefined) continue;
          const key = `${reading.id}\0${JSON.stringify(field.dims)}`;
          next.set(key, count);
          const before = this.#previous.get(key);
          if (before !== undefined) change = addCounts(change, grown(before, count));
        }
      }
      return { total, change: first ? null : change };
    });
    this.#previous = next;
    this.#previousHistograms = nextHistograms;
    return result;
  }
}

/** What a column shows of its merged records. */
function totalOf(merged: MergedField, show: ColumnShow | undefined, now: number): Scalar | null {
  const value: FieldValue | undefined = merged.value;
  if (show?.mode === 'stat' || show?.selector !== undefined) return value === undefined ? null : statOf(value, show!.selector ?? '', merged, now);
  if (value === undefined) {
    // Not merged (text, rule `none`, or files that disagree on kind or encoding): the first file's value.
    const first = merged.perFile.map((f) => f.value).find((v): v is Scalar => typeof v !== 'object');
    return first ?? null;
  }
  return typeof value === 'object' ? countOf(value) ?? null : value;
}

/** A statistic of a merged composite value; `null` when there is none (an empty histogram's percentile). */
function statOf(value: FieldValue, selector: string, merged: MergedField, now: number): Scalar | null {
  if (isDistributionValue(value)) {
    const empty = value.count === 0;
    switch (selector) {
      case 'count':
        return value.count;
      case 'sum':
        return value.sum;
      case 'mean':
        return meanOf(value) ?? null;
      case 'max':
        return empty ? null : value.max;
      case 'min':
        return empty ? null : value.min;
      default:
        return Object.values(merged.percentiles ?? {})[0] ?? null;
    }
  }
  if (isWindowValue(value)) {
    const stats = merged.window ?? windowStats(value, now);
    if (selector === 'mean') return stats.mean ?? null;
    if (selector === 'count') return stats.count;
    if (selector === 'sum') return stats.sum;
    return stats.rate;
  }
  if (isAverageValue(value)) {
    if (selector === 'count') return value.count;
    if (selector === 'sum') return value.sum;
    return meanOf(value) ?? null;
  }
  return null;
}

/**
 * The histogram statistics shown per interval. `count` is a counter (its change is the
 * interval's count); `max` and `min` exist since start only.
 */
const INTERVAL_STATS = new Set(['pN', 'sum', 'mean']);

/** A per-interval statistic of `histogram`: `sum`, `mean` or the `quantile`; `null` when there is none (no values). */
function histogramStat(histogram: DistributionValue, selector: string, quantile: number | undefined): Scalar | null {
  if (selector === 'sum') return histogram.sum;
  if (selector === 'mean') return meanOf(histogram) ?? null;
  return distributionQuantile(histogram, quantile!) ?? null;
}
