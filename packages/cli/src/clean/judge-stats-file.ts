/**
 * Deciding whether a stats file's writer is gone, which is when `mmstats clean` removes it.
 *
 * @module
 */
import { decodeStats, MmstatsError, V2_HEADER_OFFSETS, V2_HEADER_SIZE } from '@mmstats/format';
import { inferV1Kind, inferV1Merge, writerInfo, type StatsSnapshot, type WriterInfo } from '@mmstats/reader';
import { isProcessId, probePid, processInfo, type ProcessInfo } from '../process-status.js';
import { readOwnFile, type OwnFile } from './read-own-file.js';

/**
 * How much later than the file's `sys.created` (v1) or `process_start` (v2) a process must have
 * started to count as a newer process that reuses the pid, in seconds (spec/format-v2.md#lifecycle). The start time comes from `btime`, which is
 * truncated to whole seconds and moves whenever the wall clock is set (NTP stepping it forward
 * makes a live writer look younger), while `sys.created` was taken from the wall clock of its
 * day. A writer creates its file after it starts, so its start is normally well before.
 */
export const PID_REUSE_SLACK_SECONDS = 5;

/** What to do with one file, and why. */
export type Verdict =
  | {
      /** The writer is gone: remove the file. */
      readonly action: 'remove';
      /** `not-running`: no such process; `exited`: a zombie; `pid-reused`: a newer process has the pid. */
      readonly reason: 'not-running' | 'exited' | 'pid-reused';
      /** The writer's pid: the file's `sys.pid` (v1) or header `pid` (v2). */
      readonly pid: number;
      /** The file's format version. */
      readonly version?: 1 | 2;
      /** For `pid-reused`: when the process with the pid started, and when the file was created (epoch seconds). */
      readonly started?: number;
      /** For `pid-reused`: the file's `sys.created` (v1) or `process_start` (v2). */
      readonly created?: number;
      /** What the file was when judged: it is removed only if it is still that file. */
      readonly identity: OwnFile['identity'];
    }
  | {
      /** The writer is (or may be) alive: keep the file. */
      readonly action: 'keep';
      /**
       * `running`: our user's live process; `other-user`: a live process of another user (an
       * EPERM from `kill(pid, 0)`, or, when we are root and may signal anyone, a process whose
       * owner is not us); `no-pid`: the file has no usable `sys.pid`, so nothing tells.
       */
      readonly reason: 'running' | 'other-user' | 'no-pid';
      /** The writer's pid, when the file has one. */
      readonly pid?: number;
      /** For `no-pid`: the file's format version (v1 looks for `sys.pid`, v2 at its header). */
      readonly version?: 1 | 2;
      /** For `other-user`, the process owner's uid when `/proc` shows it. */
      readonly uid?: number;
    }
  | {
      /** Not an mmstats file, or not readable as one: never touched. */
      readonly action: 'skip';
      /** Why, with its code. */
      readonly error: MmstatsError;
    };

/** Where {@link judgeStatsFile} looks; for tests. */
export interface JudgeOptions {
  /** procfs mount point. Default `"/proc"`. */
  readonly procRoot?: string;
  /** Our uid. Default `process.getuid()`. */
  readonly uid?: number;
  /**
   * Judge a writer's temporary file (`.NAME.xxxxxxxxxxxx.tmp`, spec/format-v2.md#lifecycle),
   * whose header may still lack `READY`: only its signature and `pid` / `process_start` are
   * read. Default `false`.
   */
  readonly temporary?: boolean;
}

/**
 * Judges the stats file at `path` (never following a link). Who wrote it comes from
 * `writerInfo` (`@mmstats/reader`): v1 the first `sys.pid` / `sys.created` field (prefixed or
 * not), v2 the header's `pid` and `process_start`.
 *
 * 1. not a regular v1 or v2 stats file → `skip` (never touched);
 * 2. no valid pid → `keep`, `no-pid`;
 * 3. `kill(pid, 0)` says no such process → `remove`, `not-running`; a zombie → `remove`, `exited`;
 * 4. the process with that pid started after the writer did → `remove`, `pid-reused` (the
 *    writer is gone, its pid given to another): more than {@link PID_REUSE_SLACK_SECONDS}
 *    after `sys.created` (v1) or `process_start` (v2; spec/format-v2.md#lifecycle);
 * 5. EPERM (another user's process, and we are not root) → `keep`, `other-user`;
 * 6. otherwise alive → `keep`: `other-user` when `/proc` says another uid owns it, else `running`.
 *
 * A v2 heartbeat never removes a file here: the spec allows it only for a writer in another
 * pid namespace, which `kill(pid, 0)` cannot tell from a pid of ours.
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
  const { info, version } = read;
  const pid = info.pid;
  if (pid === undefined || !isProcessId(pid)) return { action: 'keep', reason: 'no-pid', version };
  const started = version === 2 ? info.processStart : info.created;

  const probe = probePid(pid);
  if (probe === 'gone') return { action: 'remove', reason: 'not-running', pid, version, identity: file.identity };
  const proc: ProcessInfo | undefined = processInfo(pid, options.procRoot);
  if (proc?.state === 'Z') return { action: 'remove', reason: 'exited', pid, version, identity: file.identity };
  if (proc !== undefined && started !== undefined && started > 0 && proc.startedAt > started + PID_REUSE_SLACK_SECONDS) {
    return { action: 'remove', reason: 'pid-reused', pid, version, started: proc.startedAt, created: started, identity: file.identity };
  }
  if (probe === 'not-permitted') return { action: 'keep', reason: 'other-user', pid, ...(proc ? { uid: proc.uid } : {}) };
  // As root, kill(pid, 0) succeeds for every process, so EPERM never says "another user's":
  // ask /proc who owns it. Either way the file is kept (the process is alive); this only
  // says whose it is, as the EPERM case does.
  const uid = options.uid ?? process.getuid?.();
  if (proc !== undefined && uid !== undefined && proc.uid !== uid) return { action: 'keep', reason: 'other-user', pid, uid: proc.uid };
  return { action: 'keep', reason: 'running', pid };
}

type WriterRead = { readonly ok: true; readonly info: WriterInfo; readonly version: 1 | 2 } | { readonly ok: false; readonly error: MmstatsError };

/** Decodes a whole file (v1 or v2) and says who wrote it. */
function writerOf(path: string, bytes: Uint8Array): WriterRead {
  const decoded = decodeStats(bytes);
  if (!decoded.ok) return decoded;
  const file = decoded.value;
  // writerInfo reads a snapshot: the v2 header, or the v1 fields' labels and values.
  const snapshot: StatsSnapshot =
    file.version === 2
      ? { path, version: 2, header: file.header, notices: file.notices, fields: [] }
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
  return { ok: true, info: writerInfo(snapshot), version: file.version };
}

/** Bytes 0-7 of a v2 file: the version byte, then `mmstats`. */
const V2_SIGNATURE = [0x02, 0x6d, 0x6d, 0x73, 0x74, 0x61, 0x74, 0x73];

/**
 * The pid and process start of a v2 writer's temporary file, which a writer that died while
 * creating it may have left without `READY` (spec/format-v2.md#lifecycle steps 1 to 3): only
 * the signature, byte order and those two header fields are read (offsets 40 and 56,
 * spec/format-v2.md#header). A file still all zeros has no pid yet.
 */
function temporaryWriter(bytes: Uint8Array): WriterRead {
  if (bytes.length < V2_HEADER_SIZE || V2_SIGNATURE.some((b, i) => bytes[i] !== b) || bytes[V2_HEADER_OFFSETS.byteOrder] !== 1) {
    if (bytes.every((b) => b === 0)) return { ok: true, info: {}, version: 2 };
    return { ok: false, error: new MmstatsError('BAD_SIGNATURE', 'is not a v2 stats file being created', { offset: 0 }) };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pid = view.getUint32(V2_HEADER_OFFSETS.pid, true);
  const processStart = view.getFloat64(V2_HEADER_OFFSETS.processStart, true);
  return {
    ok: true,
    version: 2,
    info: { ...(pid > 0 ? { pid } : {}), ...(Number.isFinite(processStart) && processStart > 0 ? { processStart } : {}) },
  };
}
