/**
 * Archives: what the dead writers of a service counted, folded by a cleaner into one v2 file
 * of the directory (spec/files.md#archive), and the reading rules that make every count show
 * once (spec/files.md#archive-reading): the newest generation only, and no file whose
 * `file_id` the archive holds already.
 *
 * @module
 */
import { basename, dirname, resolve } from 'node:path';
import { ARCHIVE_FOLDED_LABEL, ARCHIVE_GENERATION_LABEL, parseFileIdText, SERVICE_LABEL, V2_FLAGS, WORKER_LABEL } from '@mmstats/format';
import type { ArchiveInfo, StatsSnapshot } from './fields.js';

export type { ArchiveInfo } from './fields.js';

/**
 * How long a cleaner keeps a removed file's `file_id` in the archive's folded list, and the
 * longest a reader may take between its last look at the other files and opening the archive,
 * in seconds (spec/files.md#archive-reading): 60.
 */
export const ARCHIVE_RETENTION_SECONDS = 60;

// The labels are the format's (writers write them too); re-exported here with the reading rules.
export { ARCHIVE_FOLDED_LABEL, ARCHIVE_GENERATION_LABEL, SERVICE_LABEL, WORKER_LABEL, fileIdText, isFileMetaLabel } from '@mmstats/format';

/** Largest generation: names and values stay exact in a binary64. */
const MAX_GENERATION = Number.MAX_SAFE_INTEGER;

/** A file's worker slot (its `mmstats.worker` record, spec/files.md#worker-slot), or `undefined` when it has none. */
export function workerSlotOf(snapshot: StatsSnapshot): string | undefined {
  if (snapshot.version !== 2) return undefined;
  for (const field of snapshot.fields) if (field.label === WORKER_LABEL && typeof field.value === 'string') return field.value;
  return undefined;
}

/**
 * The file name of generation `generation` of `service`'s archive:
 * `{SERVICE}.archive-{GEN}.mmstats`, `archive-{GEN}.mmstats` for the unnamed service, `GEN`
 * zero-padded to 10 digits (spec/files.md#archive-file).
 */
export function archiveFileName(service: string | undefined, generation: number): string {
  const gen = String(generation).padStart(10, '0');
  return service === undefined ? `archive-${gen}.mmstats` : `${service}.archive-${gen}.mmstats`;
}

const ARCHIVE_NAME = /^(?:(.+)\.)?archive-(\d{10,16})\.mmstats$/su;

/** What an archive's file name says. */
export interface ArchiveName {
  /** The service (`undefined`: the unnamed one, `archive-{GEN}.mmstats`). */
  readonly service: string | undefined;
  /** The generation. */
  readonly generation: number;
}

/** The service and generation an archive's file name says, or `undefined` for another name. */
export function parseArchiveFileName(name: string): ArchiveName | undefined {
  const match = ARCHIVE_NAME.exec(name);
  if (match === null) return undefined;
  const generation = Number(match[2]);
  if (generation < 1 || generation > MAX_GENERATION) return undefined;
  return { service: match[1], generation };
}

/**
 * The service a file belongs to: its `mmstats.service` text, `undefined` for the unnamed service
 * (and every v1 file). A reader's snapshot carries it from when it was read (`snapshot.service`).
 */
export function serviceOf(snapshot: StatsSnapshot): string | undefined {
  return 'service' in snapshot ? snapshot.service : serviceOfFields(snapshot);
}

/** {@link serviceOf} from the snapshot's own fields: for a reader making a snapshot of every record. */
export function serviceOfFields(snapshot: StatsSnapshot): string | undefined {
  if (snapshot.version !== 2) return undefined;
  for (const field of snapshot.fields) {
    if (field.label === SERVICE_LABEL && typeof field.value === 'string') return field.value;
  }
  return undefined;
}

/**
 * The archive `snapshot` is, or `undefined` when it is none: a v2 file with the `ARCHIVE` flag
 * whose file name, `mmstats.service` and `mmstats.archive.generation` agree
 * (spec/files.md#archive-file; an archive whose name does not match its records is ignored).
 * A reader's snapshot carries it from when it was read (`snapshot.archive`), which stays right
 * when its fields are filtered afterwards; else it is read from the snapshot's fields.
 */
export function archiveInfo(snapshot: StatsSnapshot): ArchiveInfo | undefined {
  return 'archive' in snapshot ? snapshot.archive : archiveInfoOfFields(snapshot);
}

/** {@link archiveInfo} from the snapshot's own fields: for a reader making a snapshot of every record. */
export function archiveInfoOfFields(snapshot: StatsSnapshot): ArchiveInfo | undefined {
  if (!hasArchiveFlag(snapshot)) return undefined;
  const named = parseArchiveFileName(basename(snapshot.path));
  if (named === undefined || named.service !== serviceOfFields(snapshot)) return undefined;
  let generation: number | undefined;
  const folded = new Map<bigint, number>();
  for (const field of snapshot.fields) {
    if (field.label === ARCHIVE_GENERATION_LABEL && field.value !== undefined) generation = Number(field.value);
    if (field.label !== ARCHIVE_FOLDED_LABEL || typeof field.value !== 'number') continue;
    const id = parseFileIdText(field.dims['file_id']);
    if (id !== undefined) folded.set(id, field.value);
  }
  if (generation !== named.generation) return undefined;
  return { service: named.service, generation, folded };
}

/**
 * Whether `snapshot` has the `ARCHIVE` flag: bit 3 of `flags`, defined from minor 2
 * (spec/format-v2.md#archive-flag; an unknown bit of an earlier minor means nothing). A flagged
 * file that {@link archiveInfo} does not take for an archive counts not at all.
 */
export function hasArchiveFlag(snapshot: StatsSnapshot): boolean {
  const header = snapshot.header;
  return snapshot.version === 2 && header !== undefined && header.minor >= 2 && (header.flags & V2_FLAGS.ARCHIVE) !== 0;
}

/** Why {@link countedSnapshots} left a file out. */
export interface UncountedFile {
  /** The snapshot's path. */
  readonly path: string;
  /**
   * `folded`: its counts are in the archive at `archive`; `superseded`: an older generation of
   * that archive; `bad-archive`: flagged `ARCHIVE` but its name and records disagree.
   */
  readonly reason: 'folded' | 'superseded' | 'bad-archive';
  /** The archive that counts instead; absent for `bad-archive`. */
  readonly archive?: string;
}

/** The snapshots that count, in their order, and those left out. */
export interface CountedSnapshots {
  /** Every snapshot that counts: live and dead writers' files not folded yet, and the newest archive of each service and directory. */
  readonly counted: StatsSnapshot[];
  /** The rest, with why. */
  readonly uncounted: UncountedFile[];
}

/**
 * Applies spec/files.md#archive-reading rules 1 and 2 to the snapshots of one read: of each
 * directory's archives of a service, only the newest generation counts; a file whose
 * `file_id` that archive has folded does not (its counts are in the archive). Rule 3, reading
 * archives last, is the caller's: see {@link archivesLast}.
 */
export function countedSnapshots(snapshots: Iterable<StatsSnapshot>): CountedSnapshots {
  const all = [...snapshots];
  const newest = new Map<string, { snapshot: StatsSnapshot; info: ArchiveInfo }>();
  const archives = new Map<StatsSnapshot, ArchiveInfo>();
  for (const snapshot of all) {
    const info = archiveInfo(snapshot);
    if (info === undefined) continue;
    archives.set(snapshot, info);
    const key = groupKey(snapshot, info.service);
    const best = newest.get(key);
    if (best === undefined || info.generation > best.info.generation) newest.set(key, { snapshot, info });
  }
  if (archives.size === 0 && !all.some(hasArchiveFlag)) return { counted: all, uncounted: [] };
  const counted: StatsSnapshot[] = [];
  const uncounted: UncountedFile[] = [];
  for (const snapshot of all) {
    const info = archives.get(snapshot);
    const best = newest.get(groupKey(snapshot, info?.service ?? serviceOf(snapshot)));
    if (info !== undefined) {
      if (best?.snapshot === snapshot) counted.push(snapshot);
      else uncounted.push({ path: snapshot.path, reason: 'superseded', archive: best!.snapshot.path });
    } else if (hasArchiveFlag(snapshot)) {
      uncounted.push({ path: snapshot.path, reason: 'bad-archive' });
    } else if (best !== undefined && snapshot.header !== undefined && best.info.folded.has(snapshot.header.fileId)) {
      uncounted.push({ path: snapshot.path, reason: 'folded', archive: best.snapshot.path });
    } else {
      counted.push(snapshot);
    }
  }
  return { counted, uncounted };
}

function groupKey(snapshot: StatsSnapshot, service: string | undefined): string {
  return JSON.stringify([resolve(dirname(snapshot.path)), service ?? null]);
}

/**
 * `paths` with the archives (by file name) after every other file, each part in its order:
 * the order a reader reads a directory in (spec/files.md#archive-order), so that a file a
 * cleaner removes while it reads is in the archive it opens afterwards.
 */
export function archivesLast(paths: readonly string[]): string[] {
  const archives: string[] = [];
  const others: string[] = [];
  for (const path of paths) (parseArchiveFileName(basename(path)) === undefined ? others : archives).push(path);
  return archives.length === 0 ? [...paths] : [...others, ...archives];
}

/**
 * `snapshots` split by service ({@link serviceOf}; archives by theirs), each part in their
 * order, the unnamed service under `undefined`: merge each part for one answer per service.
 */
export function snapshotsByService(snapshots: Iterable<StatsSnapshot>): Map<string | undefined, StatsSnapshot[]> {
  const parts = new Map<string | undefined, StatsSnapshot[]>();
  for (const snapshot of snapshots) {
    const service = serviceOf(snapshot);
    const part = parts.get(service);
    if (part === undefined) parts.set(service, [snapshot]);
    else part.push(snapshot);
  }
  return parts;
}
