/**
 * Which series `/metrics` shows for a set of files (spec/files.md#service): one per record
 * per service, merged over its processes by each record's rule with what its dead writers
 * counted (its archive) — the default; one per worker, labelled by its slot (`mmstats.worker`)
 * or else its pid; or one per file, labelled by `pid` and `file`, as before.
 *
 * @module
 */
import { archiveInfo, countedSnapshots, isFileMetaLabel, mergeSnapshots, serviceOf, snapshotsByService, workerSlotOf, writerInfo, type StatsField, type StatsSnapshot } from '@mmstats/reader';
import { basename } from 'node:path';
import type { LabelPair } from './exposition-bytes.js';

/** The series views of `/metrics`. */
export const SERIES_VIEWS = ['service', 'worker', 'file'] as const;

/**
 * Which series `/metrics` shows: `service` (default), one series per record per service, merged
 * over its files and archive, labelled `service`; `worker`, one per worker, labelled `service`
 * and `worker` (its slot, else its pid; `archive` for the archive); `file`, one per file,
 * labelled `pid` and `file`.
 */
export type SeriesView = (typeof SERIES_VIEWS)[number];

/** One snapshot to render (a file, a worker or a merged service) and the labels all its series carry. */
export interface SeriesEntry {
  /** The snapshot. */
  readonly snapshot: StatsSnapshot;
  /** `[['service', 'api']]`, `[['service', 'api'], ['worker', '3']]` or `[['pid', '7'], ['file', '…']]`, values unescaped. */
  readonly labels: readonly LabelPair[];
}

/**
 * Turns the snapshots read for a scrape into those of `view`. Files an archive holds already
 * are left out in every view (spec/files.md#archive-reading), and so are the records saying
 * what a file is (`mmstats.service`, `mmstats.archive.*`, `mmstats.worker`).
 *
 * @param layouts - where the merged view keeps one stand-in layout per merged record, so that
 *   an exposition compiled for them is reused while the records stay the same (the renderer's)
 */
export function seriesEntries(read: readonly StatsSnapshot[], view: SeriesView, layouts: MergedLayouts): SeriesEntry[] {
  const counted = countedSnapshots(read).counted;
  if (view === 'service') return mergedByService(counted, layouts);
  if (view === 'file') return counted.map((snapshot) => ({ snapshot: withoutMetaRecords(snapshot), labels: fileLabels(snapshot) }));
  const workers = counted.map((snapshot) => ({ snapshot, service: serviceOf(snapshot), worker: workerOf(snapshot) }));
  // Two files of one worker (two models opened by one thread): told apart by file name.
  const seen = new Map<string, number>();
  for (const w of workers) seen.set(JSON.stringify([w.service, w.worker]), (seen.get(JSON.stringify([w.service, w.worker])) ?? 0) + 1);
  return workers.map(({ snapshot, service, worker }) => {
    const shared = seen.get(JSON.stringify([service, worker]))! > 1;
    return { snapshot: withoutMetaRecords(snapshot), labels: [...serviceLabel(service), ['worker', shared ? `${worker}:${basename(snapshot.path)}` : worker]] };
  });
}

/** Stand-in layouts of merged records, kept between scrapes; see {@link seriesEntries}. */
export class MergedLayouts {
  #kept = new Map<string, object>();
  #used = new Map<string, object>();

  /** The layout for `key`: the same object as at the last scrape, or a new one. */
  layout(key: string): object {
    let layout = this.#used.get(key) ?? this.#kept.get(key);
    if (layout === undefined) layout = Object.freeze({ merged: key });
    this.#used.set(key, layout);
    return layout;
  }

  /** Ends a scrape: layouts not used by it are forgotten. */
  settle(): void {
    this.#kept = this.#used;
    this.#used = new Map();
  }
}

function mergedByService(counted: readonly StatsSnapshot[], layouts: MergedLayouts): SeriesEntry[] {
  const out: SeriesEntry[] = [];
  for (const [service, part] of snapshotsByService(counted)) {
    const fields: StatsField[] = [];
    for (const merged of mergeSnapshots(part)) {
      if (merged.value === undefined) continue;
      const version = merged.perFile[0]?.version ?? 2;
      const key = JSON.stringify([service ?? null, merged.label, merged.dims, merged.kind, merged.unit, merged.type, merged.merge, version]);
      // A stand-in for a record layout: the renderer only compares it by identity.
      fields.push({ version, label: merged.label, kind: merged.kind, unit: merged.unit, help: merged.help, dims: merged.dims, merge: merged.merge, type: merged.type, value: merged.value, layout: layouts.layout(key) } as unknown as StatsField);
    }
    out.push({ snapshot: { path: `service:${service ?? ''}`, version: 2, notices: [], fields }, labels: serviceLabel(service) });
  }
  layouts.settle();
  return out;
}

function withoutMetaRecords(snapshot: StatsSnapshot): StatsSnapshot {
  const meta = (f: StatsField): boolean => isFileMetaLabel(f.label);
  return snapshot.fields.some(meta) ? { ...snapshot, fields: snapshot.fields.filter((f) => !meta(f)) } : snapshot;
}

function serviceLabel(service: string | undefined): LabelPair[] {
  return [['service', service ?? '']];
}

/** `pid` and `file` (`pid` only when `writerInfo` finds one). */
function fileLabels(snapshot: StatsSnapshot): LabelPair[] {
  const pid = writerInfo(snapshot).pid;
  const file: LabelPair = ['file', snapshot.path];
  return pid === undefined ? [file] : [['pid', String(pid)], file];
}

/**
 * A file's worker: its slot (`mmstats.worker`), `archive` for an archive, else its pid
 * (`pid-tid` for a thread's file other than the main thread's), else its file name.
 */
function workerOf(snapshot: StatsSnapshot): string {
  if (archiveInfo(snapshot) !== undefined) return 'archive';
  const slot = workerSlotOf(snapshot);
  if (slot !== undefined) return slot;
  const { pid, tid } = writerInfo(snapshot);
  return pid === undefined ? basename(snapshot.path) : tid === undefined || tid === pid ? String(pid) : `${pid}-${tid}`;
}
