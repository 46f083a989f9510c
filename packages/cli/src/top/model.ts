/**
 * What `mmstats top` shows, computed from one reading of every file per tick: a row per
 * record (label and dimensions) with its value, its rate over the last interval and, for
 * histograms and timers, the percentiles of the values recorded in that interval, plus a row
 * per writer with its heartbeat age and whether it is gone.
 *
 * The three views group the files differently and merge each group by the records' merge
 * rules (the reader's `mergeSnapshots`): `merged` is the whole service, `worker` a group per
 * writer process, `file` a group per file. Changes are counted file by file against each
 * file's previous reading (`poll/growth.ts`, as `mmstats poll` counts), so a worker that joins
 * or leaves is no burst of traffic in any view.
 *
 * @module
 */
import { basename } from 'node:path';
import { isAverageValue, isDistributionValue, isWindowValue, meanOf, type DistributionValue } from '@mmstats/format';
import { mergeSnapshots, percentiles, workerSlotOf, writerInfo, type MergedField, type StatsSnapshot, type WriterJudgement } from '@mmstats/reader';
import { labelText } from '../value-text.js';
import { addCounts, countOf, grown, distributionGrowth, intervalDistribution } from '../poll/growth.js';

/** How the files are grouped into rows. */
export type TopView = 'merged' | 'worker' | 'file';

/** The views in the order the `v` key cycles through them. */
export const TOP_VIEWS: readonly TopView[] = ['merged', 'worker', 'file'];

/** One file as read this tick. */
export interface TopFile {
  /** Changes when the file is replaced under the same path (`WatchedFile.id`): its counts start over. */
  readonly id: string;
  /** The path, as found. */
  readonly path: string;
  /** Its fields and header, as read this tick. */
  readonly snapshot: StatsSnapshot;
  /** The reader's `judgeWriter` of its writer (spec/files.md#liveness); a gone writer's records are left out of the rows. */
  readonly judgement: WriterJudgement;
}

/** A value as a row shows it: a number, an exact 64-bit integer, a boolean (v1 `?`), or text. */
export type RowValue = number | bigint | boolean | string;

/** One record of one group (the service, a worker or a file). */
export interface TopRow {
  /** Names the row across ticks within its view: its history follows this. */
  readonly key: string;
  /** The worker or file the row is of; `""` in the merged view. */
  readonly source: string;
  /** The label with its dimensions, `label{k=v}`, as in the file (not yet escaped for the terminal). */
  readonly name: string;
  /** The record's kind (`counter`, `gauge`, `timer`...; v1: inferred). */
  readonly kind: string;
  /** Its unit, `""` when none. */
  readonly unit: string;
  /**
   * The merged value: a scalar's value; a histogram's or timer's count since start; an
   * average's mean; a window's mean over its slots. `null` when there is none (files that
   * disagree on kind, an empty average).
   */
  readonly value: RowValue | null;
  /**
   * Per second over the last interval: a counter's growth, a histogram's, timer's or
   * average's count growth, a window's own rate. `null` for gauges and text, and before a
   * second reading.
   */
  readonly rate: number | null;
  /** Histograms and timers: the percentiles of the last interval's values (the first tick: since start); `null` when none were recorded. */
  readonly p50: number | null;
  /** See {@link TopRow.p50}. */
  readonly p90: number | null;
  /** See {@link TopRow.p50}. */
  readonly p99: number | null;
  /** Recent values of what the row is watched by, oldest first: p99 for histograms and timers, the rate for counters and windows, the value otherwise. */
  readonly history: readonly (number | undefined)[];
}

/** One file's writer, for the files pane. */
export interface WriterRow {
  /** The file's path. */
  readonly path: string;
  /** Its worker name ({@link workerName}). */
  readonly worker: string;
  /** Seconds since the writer's last heartbeat (v2); `undefined` when it has none (v1, or heartbeats off). */
  readonly heartbeatAge: number | undefined;
  /** The reader's judgement of the writer. */
  readonly judgement: WriterJudgement;
}

/** Options of {@link TopModel}. */
export interface TopModelOptions {
  /** Samples of history kept per row. Default 120 (two minutes at the default interval). */
  readonly historyLength?: number;
}

/**
 * The name of a file's worker: its slot (`worker 3`, the `mmstats.worker` record,
 * spec/files.md#worker-slot), which a restarted worker keeps; else its writer's pid
 * (`pid 4242`, v1 `sys.pid`, v2 header), so that the files of one process's threads group
 * together; the file's name when it names no writer.
 */
export function workerName(snapshot: StatsSnapshot): string {
  const slot = workerSlotOf(snapshot);
  if (slot !== undefined) return `worker ${slot}`;
  const pid = writerInfo(snapshot).pid;
  return pid === undefined ? basename(snapshot.path) : `pid ${pid}`;
}

/** Keeps the previous readings and the rows' histories between ticks. */
export class TopModel {
  readonly #historyLength: number;
  #previousCounts = new Map<string, number | bigint>();
  #previousHistograms = new Map<string, DistributionValue>();
  #histories = new Map<string, (number | undefined)[]>();
  #rows = new Map<TopView, TopRow[]>(TOP_VIEWS.map((view) => [view, []]));
  #writers: WriterRow[] = [];

  /** @param options - see {@link TopModelOptions} */
  constructor(options: TopModelOptions = {}) {
    this.#historyLength = options.historyLength ?? 120;
  }

  /** Every file's writer as of the last {@link TopModel.update}, in the order given. */
  get writers(): readonly WriterRow[] {
    return this.#writers;
  }

  /** The rows of `view` as of the last {@link TopModel.update}, in the order the records first appear. */
  rows(view: TopView): readonly TopRow[] {
    return this.#rows.get(view)!;
  }

  /**
   * Takes one reading of every file.
   *
   * @param now - Unix seconds, for heartbeat ages and windows
   * @param elapsed - seconds since the previous reading, the rates' interval; `undefined` on the first
   */
  update(files: readonly TopFile[], now: number, elapsed: number | undefined): void {
    this.#writers = files.map((file) => {
      const beat = writerInfo(file.snapshot).heartbeat;
      return { path: file.path, worker: workerName(file.snapshot), heartbeatAge: beat === undefined ? undefined : Math.max(0, now - beat), judgement: file.judgement };
    });
    const live = files.filter((file) => !file.judgement.gone);
    const growth = this.#growth(live);
    const histories = new Map<string, (number | undefined)[]>();
    const names = fileNames(live);
    const groups: Record<TopView, { source: string; files: readonly TopFile[] }[]> = {
      merged: [{ source: '', files: live }],
      worker: [...groupBy(live, (file) => workerName(file.snapshot))].map(([source, members]) => ({ source, files: members })),
      file: live.map((file) => ({ source: names.get(file)!, files: [file] })),
    };
    // Every view, not only the one on screen: a switch of view (`v`) shows each row's sparkline
    // with its history at once. It costs a merge per view per tick, inside bench/top.mjs's refresh figure.
    for (const view of TOP_VIEWS) {
      const rows: TopRow[] = [];
      for (const group of groups[view]) {
        const byPath = new Map(group.files.map((file) => [file.path, file]));
        for (const merged of mergeSnapshots(group.files.map((file) => file.snapshot), { now })) {
          const record = recordKey(merged);
          const members = merged.perFile.map((value) => `${byPath.get(value.path)!.id}\0${record}`);
          const key = JSON.stringify([view, group.source, record]);
          const row = rowOf(merged, members, growth, elapsed);
          // In place: a row's history is only ever read through its latest row.
          const history = this.#histories.get(key) ?? [];
          history.push(watched(row));
          if (history.length > this.#historyLength) history.splice(0, history.length - this.#historyLength);
          histories.set(key, history);
          rows.push({ key, source: group.source, ...row, history });
        }
      }
      this.#rows.set(view, rows);
    }
    // Rows gone this tick take their history with them: memory stays bounded by what is shown.
    this.#histories = histories;
  }

  /** Each record's growth since the previous reading of its file, keyed `fileId \0 recordKey`; remembers this reading. */
  #growth(live: readonly TopFile[]): Growth {
    const counts = new Map<string, number | bigint>();
    const histograms = new Map<string, DistributionValue>();
    const growth: Growth = { counts: new Map(), histograms: new Map() };
    for (const file of live) {
      for (const field of file.snapshot.fields) {
        const key = `${file.id}\0${recordKey(field)}`;
        if (isDistributionValue(field.value)) {
          histograms.set(key, field.value);
          const before = this.#previousHistograms.get(key);
          if (before !== undefined) growth.histograms.set(key, distributionGrowth(before, field.value));
        }
        const count = countOf(field.value);
        if (count === undefined) continue;
        counts.set(key, count);
        const before = this.#previousCounts.get(key);
        if (before !== undefined) growth.counts.set(key, grown(before, count));
      }
    }
    this.#previousCounts = counts;
    this.#previousHistograms = histograms;
    return growth;
  }
}

interface Growth {
  readonly counts: Map<string, number | bigint>;
  readonly histograms: Map<string, DistributionValue>;
}

/** A record's label and dimensions as one key, dimensions in name order (as `mergeSnapshots` groups them). */
function recordKey(record: { readonly label: string; readonly dims: Readonly<Record<string, string>> }): string {
  return JSON.stringify([record.label, Object.entries(record.dims).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
}

/** `items` grouped by `keyOf`, groups in the order their first item comes (`Map.groupBy`, which Node 20 lacks). */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

/** Each file's name in the per-file view: its base name, or its whole path when two files share a base name. */
function fileNames(files: readonly TopFile[]): Map<TopFile, string> {
  const counts = new Map<string, number>();
  for (const file of files) counts.set(basename(file.path), (counts.get(basename(file.path)) ?? 0) + 1);
  return new Map(files.map((file) => [file, counts.get(basename(file.path))! > 1 ? file.path : basename(file.path)]));
}

/** Counters, and the counts of histograms, timers and averages, are shown as rates. */
const COUNTED_KINDS = new Set(['counter', 'histogram', 'timer', 'average']);

/** The row of one merged record; `members` are its files' growth keys. */
function rowOf(merged: MergedField, members: readonly string[], growth: Growth, elapsed: number | undefined): Omit<TopRow, 'key' | 'source' | 'history'> {
  const value = merged.value;
  const base = { name: labelText(merged.label, merged.dims), kind: merged.kind, unit: merged.unit, p50: null, p90: null, p99: null };
  if (isWindowValue(value)) return { ...base, value: merged.window?.mean ?? null, rate: merged.window?.rate ?? null };
  let rate: number | null = null;
  if (COUNTED_KINDS.has(merged.kind) && elapsed !== undefined && elapsed > 0 && members.some((key) => growth.counts.has(key))) {
    let change: number | bigint = 0;
    for (const key of members) change = addCounts(change, growth.counts.get(key) ?? 0);
    rate = Number(change) / elapsed;
  }
  if (isDistributionValue(value)) {
    const grownBy = members.flatMap((key) => growth.histograms.get(key) ?? []);
    // A record with no earlier reading yet shows its values since start, as poll's first row does.
    const interval = grownBy.length === 0 ? value : intervalDistribution(value, grownBy);
    const ps = percentiles(interval);
    return { ...base, value: value.count, rate, p50: ps['p50'] ?? null, p90: ps['p90'] ?? null, p99: ps['p99'] ?? null };
  }
  if (isAverageValue(value)) return { ...base, value: meanOf(value) ?? null, rate };
  if (value === undefined) {
    // Not merged (text, rule `none`, files that disagree): the first file's scalar value.
    const first = merged.perFile.map((file) => file.value).find((v): v is RowValue => typeof v !== 'object');
    return { ...base, value: first ?? null, rate: null };
  }
  return { ...base, value: value as RowValue, rate };
}

/** The number a row's sparkline follows (see {@link TopRow.history}). */
function watched(row: Omit<TopRow, 'key' | 'source' | 'history'>): number | undefined {
  if (row.kind === 'histogram' || row.kind === 'timer') return row.p99 ?? undefined;
  if (COUNTED_KINDS.has(row.kind) || row.kind === 'window') return row.rate ?? undefined;
  if (typeof row.value === 'number' || typeof row.value === 'bigint' || typeof row.value === 'boolean') return Number(row.value);
  return undefined;
}
