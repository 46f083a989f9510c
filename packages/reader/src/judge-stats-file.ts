/**
 * Deciding whether a stats file's writer is gone, which is when `mmstats clean` removes it: the
 * file is read without following links, then judged by the reader's one judgement
 * (`judgeWriter`, spec/files.md#removal) that `mmstats poll` uses too. Shared by
 * `mmstats clean` and every cleaner that folds dead writers into an archive
 * (spec/files.md#folding).
 *
 * @module
 */
import { bootIdText, decodeStats, MmstatsError, UNKNOWN_BOOT_ID, V2_HEADER_OFFSETS, V2_HEADER_SIZE } from '@mmstats/format';
import { inferV1Kind, inferV1Merge, v2Field, type StatsSnapshot } from './fields.js';
import { archiveInfo, isFileMetaLabel, serviceOf } from './archive.js';
import { readOwnFile, type OwnFile } from './read-own-file.js';
import { judgeWriter, observer, writerInfo, type Observer, type WriterInfo, type WriterJudgement } from './writer-info.js';

/** What to do with one file, and why. */
export type Verdict =
  | {
      /** `remove`: the writer is gone; `keep`: it is, or may be, alive. */
      readonly action: 'remove' | 'keep';
      /** The judgement, with its reason in words. */
      readonly judgement: WriterJudgement;
      /** The file's format version. */
      readonly version: 1 | 2;
      /** What the file was when judged: it is removed only if it is still that file. */
      readonly identity: OwnFile['identity'];
      /** Its bytes as judged: a dead v2 writer's are folded from them (spec/files.md#folding). */
      readonly bytes: Uint8Array;
      /** v2: its service (`mmstats.service`, spec/files.md#service); `undefined` for the unnamed one and for v1. */
      readonly service: string | undefined;
      /** A cleaner's archive (spec/files.md#archive): never a dead writer's file, whatever its `pid`. */
      readonly archive: boolean;
    }
  | {
      /** Not an mmstats file, or not readable as one: never touched. */
      readonly action: 'skip';
      /** Why, with its code. */
      readonly error: MmstatsError;
    };

/** How {@link judgeStatsFile} judges. */
export interface JudgeOptions {
  /** What the judging process knows about itself; share one per run. Default: a new `observer()`. */
  readonly seen?: Observer;
  /**
   * Judge a writer's temporary file (`.NAME.xxxxxxxxxxxx.tmp`, spec/format-v2.md#lifecycle),
   * whose header may still lack `READY`: only its signature and the header's writer fields are
   * read. Default `false`.
   */
  readonly temporary?: boolean;
}

/**
 * Judges the stats file at `path` (never following a link at its last component): not a
 * regular v1 or v2 stats file → `skip` (never touched); else `remove` when `judgeWriter`
 * says its writer is gone, `keep` otherwise.
 */
export function judgeStatsFile(path: string, options: JudgeOptions = {}): Verdict {
  let file: OwnFile;
  try {
    file = readOwnFile(path);
  } catch (error) {
    return { action: 'skip', error: error instanceof MmstatsError ? error : new MmstatsError('READ_FAILED', String(error), { path }) };
  }
  const read = options.temporary ? temporaryWriter(file.bytes) : writerOf(path, file.bytes);
  if (!read.ok) return { action: 'skip', error: read.error.withPath(path) };
  const judgement = judgeWriter(read.info, read.version, options.seen ?? observer());
  const about = read.snapshot === undefined ? { service: undefined, archive: false } : { service: serviceOf(read.snapshot), archive: archiveInfo(read.snapshot) !== undefined };
  return { action: judgement.gone ? 'remove' : 'keep', judgement, version: read.version, identity: file.identity, bytes: file.bytes, ...about };
}

type WriterRead = { readonly ok: true; readonly info: WriterInfo; readonly version: 1 | 2; readonly snapshot?: StatsSnapshot } | { readonly ok: false; readonly error: MmstatsError };

/** Decodes a whole file (v1 or v2) and says who wrote it. */
function writerOf(path: string, bytes: Uint8Array): WriterRead {
  const decoded = decodeStats(bytes);
  if (!decoded.ok) return decoded;
  const file = decoded.value;
  // writerInfo reads a snapshot: the v2 header, or the v1 fields' labels and values; v2 keeps
  // the records saying what the file is (its service, whether it is an archive).
  const snapshot: StatsSnapshot =
    file.version === 2
      ? { path, version: 2, header: file.header, notices: file.notices, fields: file.records.filter((r) => isFileMetaLabel(r.label)).map((record) => v2Field(record, record.error === undefined ? { ok: true, value: record.value } : { ok: false, error: record.error })) }
      : {
          path,
          version: 1,
          notices: [],
          fields: file.fields.map((field) => ({
            version: 1,
            label: field.label,
            kind: inferV1Kind(field),
            unit: '',
            help: '',
            dims: {},
            merge: inferV1Merge(field),
            type: field.type,
            value: field.value,
            layout: field,
          })),
        };
  return { ok: true, info: writerInfo(snapshot), version: file.version, snapshot };
}

/** Bytes 0-7 of a v2 file: the version byte, then `mmstats`. */
const V2_SIGNATURE = [0x02, 0x6d, 0x6d, 0x73, 0x74, 0x61, 0x74, 0x73];

/**
 * The writer fields of a v2 writer's temporary file, which a writer that died while creating
 * it may have left without `READY` (spec/format-v2.md#lifecycle steps 1 to 3): only the
 * signature, byte order and the header's `pid`, `process_start`, heartbeat and (minor 1)
 * `pid_ns` / `boot_id` are read (spec/format-v2.md#header). A file still all zeros has no pid yet.
 */
function temporaryWriter(bytes: Uint8Array): WriterRead {
  if (bytes.length < V2_HEADER_SIZE || V2_SIGNATURE.some((b, i) => bytes[i] !== b) || bytes[V2_HEADER_OFFSETS.byteOrder] !== 1) {
    if (bytes.every((b) => b === 0)) return { ok: true, info: {}, version: 2 };
    return { ok: false, error: new MmstatsError('BAD_SIGNATURE', 'is not a v2 stats file being created', { offset: 0 }) };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = V2_HEADER_OFFSETS;
  const positive = <K extends keyof WriterInfo>(key: K, value: WriterInfo[K] & (number | bigint)): Partial<WriterInfo> =>
    typeof value === 'bigint' ? (value > 0n ? { [key]: value } : {}) : Number.isFinite(value) && value > 0 ? { [key]: value } : {};
  const minor1 = (bytes[at.minor] ?? 0) >= 1;
  const bootId = minor1 ? bootIdText(bytes.subarray(at.bootId, at.bootId + 16)) : UNKNOWN_BOOT_ID;
  return {
    ok: true,
    version: 2,
    info: {
      ...positive('pid', view.getUint32(at.pid, true)),
      ...positive('processStart', view.getFloat64(at.processStart, true)),
      ...positive('heartbeatIntervalMs', view.getUint32(at.heartbeatIntervalMs, true)),
      ...positive('heartbeat', view.getFloat64(at.heartbeat, true)),
      ...(minor1 ? positive('pidNs', view.getBigUint64(at.pidNs, true)) : {}),
      ...(bootId === UNKNOWN_BOOT_ID ? {} : { bootId }),
    },
  };
}
