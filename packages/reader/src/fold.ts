/**
 * Folding dead writers into their service's archive (spec/files.md#folding): the counters and
 * histograms (both encodings) of dead v2 writers' files are combined into a new generation of the directory's
 * archive, claimed with `link` so that exactly one cleaner's file becomes each generation.
 * The caller removes the folded files afterwards (`removePinned`), then the superseded
 * generations this returns.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, linkSync, lstatSync, openSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  appendV2Record,
  ARCHIVE_FOLDED_LABEL,
  ARCHIVE_GENERATION_LABEL,
  fileIdText,
  isFileMetaLabel,
  SERVICE_LABEL,
  decodeV2Consistent,
  fitExpHistogram,
  isExpHistogramValue,
  isV2ScalarEncoding,
  mergeValues,
  MmstatsError,
  parseV2Header,
  planV2Record,
  readV2Value,
  setV2Flags,
  statsBytesV2,
  alignedBytes,
  walkV2Records,
  writeV2Header,
  writeV2ExpHistogram,
  writeV2Histogram,
  writeV2Scalar,
  writeV2Text,
  V2_FLAGS,
  V2_HEADER_OFFSETS,
  V2_HEADER_SIZE,
  type ExpHistogramValue,
  type HistogramValue,
  type V2Dimension,
  type V2KindName,
  type V2MergeName,
  type V2RecordLayout,
  type V2RecordSpec,
  type V2Value,
  type V2ValueRead,
} from '@mmstats/format';
import { ARCHIVE_RETENTION_SECONDS, archiveFileName, archiveInfo, parseArchiveFileName } from './archive.js';
import { v2Field, type StatsSnapshot } from './fields.js';
import { ownBootId, ownPidNamespace, processInfo } from './process-status.js';
import { readOwnFile, readOwnFileStart } from './read-own-file.js';
import { isV2 } from './read-stats.js';

/** A dead writer's v2 file, as a cleaner read and judged it. */
export interface DeadFile {
  /** Its path, in the directory folded. */
  readonly path: string;
  /** Its bytes as judged (the writer is dead: they do not change). */
  readonly bytes: Uint8Array;
}

/**
 * A record left out of the new generation, and why (spec/files.md#archive-file): a dead file's
 * that cannot be combined with the archive's record of its name or whose value cannot be read,
 * or the archive's own record whose value cannot be read (its counts are lost with it).
 */
export interface DroppedRecord {
  /** The dead file, or the archive generation built on. */
  readonly path: string;
  /** The record's label. */
  readonly label: string;
  /** Why, in words (with the code when its value could not be read). */
  readonly why: string;
  /** Why its value could not be read (`MMSTATS-E013` for invalid contents, `MMSTATS-E014` for a value that never settled), with the path; absent when the record was read. */
  readonly error?: MmstatsError;
}

/** One generation of an archive in a directory. */
export interface ArchiveGeneration {
  /** Its path. */
  readonly path: string;
  /** Its generation, from its name. */
  readonly generation: number;
}

/** A dead file that could not be folded: not readable as a v2 file, or holding a record the archive's must not merge with. */
export interface UnreadableDeadFile {
  /** Its path. */
  readonly path: string;
  /** Why, with its code. */
  readonly error: MmstatsError;
}

/** What {@link foldIntoArchive} did. */
export interface FoldOutcome {
  /** The generation that holds the dead files now; `undefined` when there was nothing to fold and no archive. */
  readonly archive: ArchiveGeneration | undefined;
  /** The dead files whose counts the archive holds (folded now or before): the caller may remove them. */
  readonly folded: readonly string[];
  /** Dead files that could not be read as v2 files; not folded, to be kept. */
  readonly unreadable: readonly UnreadableDeadFile[];
  /**
   * Dead files not folded because an exponential histogram of theirs has another zero threshold
   * than the archive's record of that label and dimensions (`ARCHIVE_CONFLICT`,
   * spec/files.md#archive-exphistogram): kept, whole, so readers count them from their own bytes.
   */
  readonly conflicting: readonly UnreadableDeadFile[];
  /**
   * Records left out of the new generation ({@link DroppedRecord}): a folded file's of another
   * kind, unit, encoding... than the archive's record of that name or whose value cannot be read,
   * and the archive's own whose value cannot be read. Empty when no new generation was written.
   */
  readonly dropped: readonly DroppedRecord[];
  /** Older generations of the archive, to be removed after the folded files (step 6). */
  readonly superseded: readonly string[];
}

/** Options of {@link foldIntoArchive}. */
export interface FoldOptions {
  /** The time written as each fold's time, Unix seconds; default now. */
  readonly now?: number;
  /** How many claims to try before giving up with `ARCHIVE_CONTENDED`; default 10. */
  readonly tries?: number;
}

/**
 * Folds `dead` (v2 files of dead writers of `service`, all in `dir`) into `service`'s archive
 * there, steps 1 to 5 of spec/files.md#folding: reads the newest generation, writes the next
 * one with the dead files' counters and histograms combined in and their `file_id`s listed
 * (a file with an exponential histogram that must not merge with the archive's is left out whole),
 * claims it with `link` (another cleaner claiming it first means starting again), and checks
 * that no higher generation appeared. Files the archive holds already are only reported as
 * folded. Never removes a dead file: the caller does, once this returned.
 *
 * @param dir - the directory, as the dead files' paths have it
 * @param service - their service (`mmstats.service`), `undefined` for the unnamed one
 * @throws `MmstatsError`: `ARCHIVE_CONTENDED` after `tries` lost claims; `NO_SPACE`,
 *   `ACCESS_DENIED`, `CREATE_FAILED` when the new generation cannot be written (nothing is
 *   folded then: keep the dead files)
 */
export function foldIntoArchive(dir: string, service: string | undefined, dead: readonly DeadFile[], options: FoldOptions = {}): FoldOutcome {
  const tries = options.tries ?? 10;
  const decoded: ({ path: string; fileId: bigint } & FoldableRecords)[] = [];
  const unreadable: { path: string; error: MmstatsError }[] = [];
  for (const file of dead) {
    const snapshot = snapshotOfBytes(file.path, file.bytes);
    if (snapshot instanceof MmstatsError) unreadable.push({ path: file.path, error: snapshot.withPath(file.path) });
    else decoded.push({ path: file.path, fileId: snapshot.header!.fileId, ...foldableRecords(snapshot) });
  }
  // The directory's file_ids, read once a fold: an id seen keeps its entry, which is always allowed.
  let present: Set<bigint> | undefined;
  for (let attempt = 0; attempt < tries; attempt++) {
    const current = newestArchive(dir, service);
    if (current === 'vanished') continue;
    const folded = new Map(current?.folded ?? []);
    const fresh = decoded.filter((file) => !folded.has(file.fileId));
    const alreadyPaths = decoded.filter((file) => folded.has(file.fileId)).map((f) => f.path);
    const now = options.now ?? Date.now() / 1000;
    const records = new Map((current?.records ?? []).map((r) => [recordKey(r), r]));
    const dropped: DroppedRecord[] = [...(current?.unreadable ?? [])];
    const conflicting: UnreadableDeadFile[] = [];
    const foldedNow: string[] = [];
    for (const file of fresh) {
      const conflict = zeroThresholdConflict(records, file.records);
      if (conflict !== undefined) {
        conflicting.push({ path: file.path, error: new MmstatsError('ARCHIVE_CONFLICT', `${conflict} (exponential histograms of different zero thresholds must not merge)`, { path: file.path }) });
        continue;
      }
      dropped.push(...file.unreadable);
      for (const record of file.records) {
        const why = combineInto(records, record);
        if (why !== undefined) dropped.push({ path: file.path, label: record.label, why });
      }
      folded.set(file.fileId, now);
      foldedNow.push(file.path);
    }
    if (foldedNow.length === 0) {
      return { archive: current && { path: current.path, generation: current.generation }, folded: alreadyPaths, unreadable, conflicting, dropped: [], superseded: current?.superseded ?? [] };
    }
    pruneFolded(folded, () => (present ??= presentFileIds(dir)), now);
    const generation = (current?.generation ?? 0) + 1;
    const path = join(dir, archiveFileName(service, generation));
    if (!claim(path, archiveBytes(service, generation, folded, [...records.values()], now))) continue;
    const generations = archiveGenerations(dir, service);
    if (generations.some((g) => g.generation > generation)) {
      // Our number was reused after it had been superseded: the claim lost.
      unlinkSync(path);
      continue;
    }
    const superseded = generations.filter((g) => g.generation < generation).map((g) => g.path);
    return { archive: { path, generation }, folded: [...alreadyPaths, ...foldedNow], unreadable, conflicting, dropped, superseded };
  }
  throw new MmstatsError('ARCHIVE_CONTENDED', `no new generation of the archive could be claimed in ${tries} tries; the dead files are kept for the next clean`, { path: join(dir, archiveFileName(service, 1)) });
}

/** A record as folded: everything a record of the archive is made from. */
interface FoldRecord {
  readonly label: string;
  readonly dims: readonly V2Dimension[];
  readonly kind: V2KindName;
  readonly merge: V2MergeName;
  readonly unit: string;
  readonly help: string;
  /**
   * `scalar`, or the composite encoding with its parameters: what must agree to combine. An
   * `exphistogram`'s `n` is only room, so its shape is the encoding alone (its zero threshold,
   * in the value, must agree too: {@link zeroThresholdConflict}).
   */
  readonly shape: string;
  /** The record's parameters; for an `exphistogram`, `n` is the largest of the records combined. */
  readonly params: readonly [number, number, number];
  readonly value: V2Value;
}

const FOLDED_KINDS: ReadonlySet<string> = new Set(['counter', 'histogram', 'timer']);
const FOLDED_RULES: ReadonlySet<string> = new Set(['sum', 'min', 'max']);

/** What of a file folds. */
interface FoldableRecords {
  /** The records that fold, with their values. */
  readonly records: readonly FoldRecord[];
  /** Records that would fold but whose values cannot be read: dropped, and said, when the file folds. */
  readonly unreadable: readonly DroppedRecord[];
}

/**
 * The v2 file `bytes` (at `path`) as a snapshot, each value read as its bytes stand: a
 * composite value left odd by a writer killed mid-write is taken as it is, since nobody will
 * finish it (a dead writer's file, or an archive, written whole).
 */
function snapshotOfBytes(path: string, bytes: Uint8Array): StatsSnapshot | MmstatsError {
  const header = parseV2Header(bytes);
  if (!header.ok) return header.error;
  const file = statsBytesV2(alignedBytes(bytes));
  const walk = walkV2Records(file, header.value);
  if (!walk.ok) return walk.error;
  const read = (record: V2RecordLayout): V2ValueRead => (isV2ScalarEncoding(record.encodingName) ? readV2Value(file, record) : decodeV2Consistent(file, record));
  return { path, version: 2, header: header.value, notices: [], fields: walk.value.records.map((record) => v2Field(record, read(record))) };
}

/**
 * The records of `snapshot` that fold (spec/files.md#archive-file): counters, histograms and
 * timers merged by `sum`, `min` or `max`, with their values; those whose values cannot be read
 * are `unreadable`.
 */
function foldableRecords(snapshot: StatsSnapshot): FoldableRecords {
  const records: FoldRecord[] = [];
  const unreadable: DroppedRecord[] = [];
  for (const field of snapshot.fields) {
    if (field.version !== 2 || !folds(field.layout)) continue;
    if (field.error === undefined) records.push(foldRecordOf(field.layout, field.value!));
    else {
      const error = field.error.withPath(snapshot.path);
      unreadable.push({ path: snapshot.path, label: field.label, why: `its value cannot be read (${error.code} ${error.detail})`, error });
    }
  }
  return { records, unreadable };
}

// The composite encodings of the folded kinds (spec/files.md#archive-file): both histograms.
const FOLDED_ENCODINGS: ReadonlySet<string> = new Set(['histogram', 'exphistogram']);

/** Whether a record's counts belong in the archive: counters, histograms and timers merged by `sum`, `min` or `max`, of a scalar or histogram encoding. */
function folds(record: V2RecordLayout): boolean {
  return (
    FOLDED_KINDS.has(record.kindName) &&
    FOLDED_RULES.has(record.mergeName) &&
    !isFileMetaLabel(record.label) &&
    (FOLDED_ENCODINGS.has(record.encodingName) || isV2ScalarEncoding(record.encodingName))
  );
}

/** `record`, which {@link folds}, with its `value`, as folded. */
function foldRecordOf(record: V2RecordLayout, value: V2Value): FoldRecord {
  const scalar = isV2ScalarEncoding(record.encodingName);
  const exponential = record.encodingName === 'exphistogram';
  return {
    label: record.label,
    dims: record.dims,
    kind: record.kindName as V2KindName,
    merge: record.mergeName as V2MergeName,
    unit: record.unit,
    help: record.help,
    shape: scalar ? 'scalar' : exponential ? record.encodingName : `${record.encodingName}(${record.params.join(',')})`,
    params: record.params,
    value,
  };
}

function recordKey(record: FoldRecord): string {
  return JSON.stringify([record.label, record.dims]);
}

/** Adds `record` into `records`; says why when it cannot be combined with the record there. */
function combineInto(records: Map<string, FoldRecord>, record: FoldRecord): string | undefined {
  const key = recordKey(record);
  const there = records.get(key);
  if (there === undefined) {
    records.set(key, record);
    return undefined;
  }
  if (!combinable(there, record)) {
    return `differs from the archive's record of that name (${there.kind} ${there.merge} ${there.shape} ${JSON.stringify(there.unit)}, this one ${record.kind} ${record.merge} ${record.shape} ${JSON.stringify(record.unit)})`;
  }
  const encoding = there.shape === 'scalar' ? 'f64' : there.shape.split('(')[0]!;
  const value = mergeValues(encoding, there.merge, [there.value, record.value]);
  if (value === undefined) return 'its value cannot be combined with the archive\'s';
  const params = encoding === 'exphistogram' ? ([Math.max(there.params[0], record.params[0]), 0, 0] as const) : there.params;
  records.set(key, { ...there, params, value });
  return undefined;
}

/**
 * Whether `record` may combine with `there`, the archive's record of its label and dimensions:
 * same kind, merge rule, unit and shape (spec/files.md#archive-file, [merge](format-v2.md#merge)).
 * One that may not is dropped, whatever else differs.
 */
function combinable(there: FoldRecord, record: FoldRecord): boolean {
  return there.kind === record.kind && there.merge === record.merge && there.unit === record.unit && there.shape === record.shape;
}

/**
 * Why `file`'s records cannot fold into `records` at all: an exponential histogram that would
 * combine with the archive's record of that label and dimensions but has another zero
 * threshold, which MUST NOT merge with it (spec/files.md#archive-exphistogram); `undefined`
 * when none has. A record that would not combine anyway is dropped, not a conflict.
 */
function zeroThresholdConflict(records: ReadonlyMap<string, FoldRecord>, file: readonly FoldRecord[]): string | undefined {
  for (const record of file) {
    const there = records.get(recordKey(record));
    if (there === undefined || record.shape !== 'exphistogram' || !combinable(there, record)) continue;
    const [ours, theirs] = [there.value, record.value] as ExpHistogramValue[];
    if (ours!.zeroThreshold !== theirs!.zeroThreshold) {
      return `record ${JSON.stringify(record.label)} has zero threshold ${theirs!.zeroThreshold}, the archive's ${ours!.zeroThreshold}`;
    }
  }
  return undefined;
}

/** Drops folded entries older than the retention whose file is not among `present()`, the `file_id`s in the directory (step 3). */
function pruneFolded(folded: Map<bigint, number>, present: () => ReadonlySet<bigint>, now: number): void {
  const old = [...folded].filter(([, at]) => now - at > ARCHIVE_RETENTION_SECONDS);
  if (old.length === 0) return;
  for (const [id] of old) if (!present().has(id)) folded.delete(id);
}

/**
 * The `file_id`s of the v2 files in `dir` now, from their headers only (128 bytes a file). A
 * file listed later than this was read does not matter: an id found here keeps its entry, and
 * keeping one is always allowed.
 */
function presentFileIds(dir: string): Set<bigint> {
  const ids = new Set<bigint>();
  for (const name of namesIn(dir)) {
    if (!name.endsWith('.mmstats') && !name.endsWith('.tmp')) continue;
    try {
      const id = headerFileId(readOwnFileStart(join(dir, name), V2_HEADER_SIZE).bytes);
      if (id !== undefined) ids.add(id);
    } catch {
      // Gone or not ours to read: not a file that could still be counted.
    }
  }
  return ids;
}

/**
 * The `file_id` in the 128 bytes of a v2 header, `READY` or not (a header alone cannot pass
 * `parseV2Header`'s check of `capacity` against the file's length); `undefined` for no v2 header.
 */
function headerFileId(header: Uint8Array): bigint | undefined {
  if (!isV2(header) || header.length < V2_HEADER_SIZE) return undefined;
  const id = new DataView(header.buffer, header.byteOffset, header.byteLength).getBigUint64(V2_HEADER_OFFSETS.fileId, true);
  return id === 0n ? undefined : id;
}

interface CurrentArchive {
  readonly path: string;
  readonly generation: number;
  readonly folded: ReadonlyMap<bigint, number>;
  readonly records: readonly FoldRecord[];
  /** Its records that would fold but whose values cannot be read: the new generation goes without them. */
  readonly unreadable: readonly DroppedRecord[];
  readonly superseded: readonly string[];
}

/** Step 1: the newest generation and what it holds; `'vanished'` when it went while being read (start again). */
function newestArchive(dir: string, service: string | undefined): CurrentArchive | undefined | 'vanished' {
  const generations = archiveGenerations(dir, service);
  const newest = generations.at(-1);
  if (newest === undefined) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = readOwnFile(newest.path).bytes;
  } catch (error) {
    if (error instanceof MmstatsError && error.errorName === 'NOT_FOUND') return 'vanished';
    throw error;
  }
  const snapshot = snapshotOfBytes(newest.path, bytes);
  if (snapshot instanceof MmstatsError) throw snapshot.withPath(newest.path);
  const info = archiveInfo(snapshot);
  if (info === undefined) throw new MmstatsError('BAD_RECORD', 'has an archive\'s name but is no archive of that service and generation; fold refused until it is moved away', { path: newest.path });
  const { records, unreadable } = foldableRecords(snapshot);
  return { path: newest.path, generation: newest.generation, folded: info.folded, records, unreadable, superseded: generations.slice(0, -1).map((g) => g.path) };
}

/** The archive generations of `service` in `dir`, by name, oldest first. */
export function archiveGenerations(dir: string, service: string | undefined): ArchiveGeneration[] {
  const found: ArchiveGeneration[] = [];
  for (const name of namesIn(dir)) {
    const parsed = parseArchiveFileName(name);
    if (parsed !== undefined && parsed.service === service) found.push({ path: join(dir, name), generation: parsed.generation });
  }
  return found.sort((a, b) => a.generation - b.generation);
}

function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Step 4: writes `bytes` under a temporary name beside `path`, in full and synced, then links
 * it to `path`. `false` when `path` exists (another cleaner claimed it first).
 */
function claim(path: string, bytes: Uint8Array): boolean {
  const temporary = join(path, '..', `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    throw writeError(temporary, error);
  }
  try {
    try {
      for (let at = 0; at < bytes.length; ) {
        const n = writeSync(fd, bytes, at, bytes.length - at, at);
        if (n <= 0) throw Object.assign(new Error('no progress'), { code: 'ENOSPC' });
        at += n;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temporary, path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw writeError(path, error);
    }
  } catch (error) {
    throw error instanceof MmstatsError ? error : writeError(temporary, error);
  } finally {
    unlinkQuietly(temporary);
  }
}

function unlinkQuietly(path: string): void {
  try {
    if (lstatSync(path, { throwIfNoEntry: false })?.isFile()) unlinkSync(path);
  } catch {
    // Left for the next clean: a temporary file whose writer (this cleaner) is gone is removed.
  }
}

function writeError(path: string, error: unknown): MmstatsError {
  const code = (error as NodeJS.ErrnoException).code;
  const name = code === 'ENOSPC' || code === 'EDQUOT' ? 'NO_SPACE' : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'ACCESS_DENIED' : 'CREATE_FAILED';
  return new MmstatsError(name, `cannot write the archive (${code ?? String(error)})`, { path, cause: error });
}

/** Who writes an archive: this cleaner (spec/files.md#archive-file), so a temporary file it leaves is judged like a writer's. */
function cleanerIdentity(): { pid: number; tid: number; processStart: number; pidNs: bigint; bootId?: string } {
  const started = processInfo(process.pid)?.startedAt ?? Date.now() / 1000 - process.uptime();
  const bootId = ownBootId();
  return { pid: process.pid, tid: process.pid, processStart: started, pidNs: ownPidNamespace() ?? 0n, ...(bootId === undefined ? {} : { bootId }) };
}

/** The bytes of an archive generation (spec/files.md#archive-file): header, its own records, then the folded ones. */
function archiveBytes(service: string | undefined, generation: number, folded: ReadonlyMap<bigint, number>, records: readonly FoldRecord[], now: number): Uint8Array {
  const specs: { spec: V2RecordSpec; value: V2Value }[] = [];
  if (service !== undefined) {
    specs.push({ spec: { label: SERVICE_LABEL, kind: 'info', encoding: 'text', textCapacity: Math.max(8, Buffer.byteLength(service)) }, value: service });
  }
  specs.push({ spec: { label: ARCHIVE_GENERATION_LABEL, kind: 'info', encoding: 'u64' }, value: BigInt(generation) });
  for (const [id, at] of folded) specs.push({ spec: { label: ARCHIVE_FOLDED_LABEL, kind: 'info', encoding: 'f64', dims: [['file_id', fileIdText(id)]] }, value: at });
  for (const record of records) specs.push(archiveRecord(record));
  const plans = specs.map(({ spec }) => {
    const plan = planV2Record(spec);
    if (!plan.ok) throw plan.error;
    return plan.value;
  });
  const capacity = Math.ceil((V2_HEADER_SIZE + plans.reduce((n, p) => n + p.size, 0)) / 4096) * 4096;
  const bytes = new Uint8Array(capacity);
  writeV2Header(bytes, { capacity, fileId: randomFileId(), created: now, ...cleanerIdentity() });
  const file = statsBytesV2(bytes);
  plans.forEach((plan, i) => {
    const layout = appendV2Record(file, plan)!;
    const value = specs[i]!.value;
    if (typeof value === 'string') writeV2Text(file, layout, value);
    else if (typeof value === 'number' || typeof value === 'bigint') writeV2Scalar(file, layout, value);
    else if (isExpHistogramValue(value)) writeV2ExpHistogram(file, layout, value);
    else writeV2Histogram(file, layout, value as HistogramValue);
  });
  setV2Flags(file, V2_FLAGS.READY | V2_FLAGS.CLOSED | V2_FLAGS.ARCHIVE);
  return bytes;
}

/**
 * The spec and value of an archive record for `record`: `u64` for an exact integer count, else
 * `f64`; a histogram with its parameters; an exponential histogram with the `n`, scale and zero
 * threshold that hold its merged value (spec/files.md#archive-exphistogram).
 */
function archiveRecord(record: FoldRecord): { spec: V2RecordSpec; value: V2Value } {
  const base = { label: record.label, kind: record.kind, merge: record.merge, unit: record.unit, help: record.help, dims: record.dims };
  if (record.shape === 'scalar') return { spec: { ...base, encoding: typeof record.value === 'bigint' && record.value >= 0n ? 'u64' : 'f64' }, value: record.value };
  if (isExpHistogramValue(record.value)) {
    const fitted = fitExpHistogram(record.value, record.params[0]);
    return { spec: { ...base, encoding: 'exphistogram', exponential: fitted.params }, value: fitted.value };
  }
  const [k, minExp, maxExp] = record.params;
  return { spec: { ...base, encoding: 'histogram', histogram: { k, minExp, maxExp } }, value: record.value };
}

function randomFileId(): bigint {
  for (;;) {
    const id = randomBytes(8).readBigUInt64LE();
    if (id !== 0n) return id;
  }
}
