/**
 * Deciding whether a stats file's writer is gone, which is when `mmstats clean` removes it.
 *
 * @module
 */
import { decodeV1, MmstatsError, type Value } from '@mmstats/format';
import { probePid, processInfo, type ProcessInfo } from '../process-status.js';
import { asPid, isSysLabel } from '../sys-fields.js';
import { readOwnFile, type OwnFile } from './read-own-file.js';

/**
 * How much later than the file's `sys.created` a process must have started to count as a
 * newer process that reuses the pid, in seconds. The start time comes from `btime`, which is
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
      /** The file's `sys.pid`. */
      readonly pid: number;
      /** For `pid-reused`: when the process with the pid started, and when the file was created (epoch seconds). */
      readonly started?: number;
      /** For `pid-reused`: the file's `sys.created`. */
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
      /** The file's `sys.pid`, when it has one. */
      readonly pid?: number;
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
}

/**
 * Judges the stats file at `path` (never following a link):
 *
 * 1. not a regular v1 stats file → `skip` (never touched);
 * 2. no `sys.pid` (or prefixed `….sys.pid`), or not a valid pid → `keep`, `no-pid`;
 * 3. `kill(pid, 0)` says no such process → `remove`, `not-running`; a zombie → `remove`, `exited`;
 * 4. the process with that pid started more than {@link PID_REUSE_SLACK_SECONDS} after the
 *    file's `sys.created` → `remove`, `pid-reused` (the writer is gone, its pid given to another);
 * 5. EPERM (another user's process, and we are not root) → `keep`, `other-user`;
 * 6. otherwise alive → `keep`: `other-user` when `/proc` says another uid owns it, else `running`.
 */
export function judgeStatsFile(path: string, options: JudgeOptions = {}): Verdict {
  let file: OwnFile;
  try {
    file = readOwnFile(path);
  } catch (error) {
    return { action: 'skip', error: error instanceof MmstatsError ? error : new MmstatsError('READ_FAILED', String(error), { path }) };
  }
  const decoded = decodeV1(file.bytes);
  if (!decoded.ok) return { action: 'skip', error: decoded.error.withPath(path) };
  const fields = decoded.value.fields;
  const pids = new Set(fields.filter((f) => isSysLabel(f.label, 'pid')).map((f) => asPid(f.value)));
  const [pid] = pids;
  // Several models in one file could disagree; then no single writer tells, so keep it.
  if (pid === undefined || pids.size !== 1) return { action: 'keep', reason: 'no-pid' };
  const created = seconds(fields.find((f) => isSysLabel(f.label, 'created'))?.value);

  const probe = probePid(pid);
  if (probe === 'gone') return { action: 'remove', reason: 'not-running', pid, identity: file.identity };
  const info: ProcessInfo | undefined = processInfo(pid, options.procRoot);
  if (info?.state === 'Z') return { action: 'remove', reason: 'exited', pid, identity: file.identity };
  if (info !== undefined && created !== undefined && info.startedAt > created + PID_REUSE_SLACK_SECONDS) {
    return { action: 'remove', reason: 'pid-reused', pid, started: info.startedAt, created, identity: file.identity };
  }
  if (probe === 'not-permitted') return { action: 'keep', reason: 'other-user', pid, ...(info ? { uid: info.uid } : {}) };
  // As root, kill(pid, 0) succeeds for every process, so EPERM never says "another user's":
  // ask /proc who owns it. Either way the file is kept (the process is alive); this only
  // says whose it is, as the EPERM case does.
  const uid = options.uid ?? process.getuid?.();
  if (info !== undefined && uid !== undefined && info.uid !== uid) return { action: 'keep', reason: 'other-user', pid, uid: info.uid };
  return { action: 'keep', reason: 'running', pid };
}

function seconds(value: Value | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
