/**
 * Who wrote a stats file (process and thread ids, times, pid namespace and boot, from the v1
 * `sys.*` fields or the v2 header), and the one judgement of whether that writer is gone
 * ({@link judgeWriter}, spec/files.md#removal), so that `mmstats clean`, `mmstats poll` and
 * anything labelling files read and decide them one way.
 *
 * @module
 */
import { UNKNOWN_BOOT_ID } from '@mmstats/format';
import type { StatsSnapshot } from './fields.js';
import { bootTime, INITIAL_PID_NAMESPACE, isProcessId, ownBootId, ownPidNamespace, probePid, processesByOwnPid, processInfo } from './process-status.js';

/** What a file says about its writer. Every member is absent when the file does not say. Times are Unix seconds. */
export interface WriterInfo {
  /** Process id of the writer (v1 `sys.pid`, v2 header `pid`): a positive integer. */
  readonly pid?: number;
  /** OS thread id of the writing thread (v1 `sys.tid`, v2 header `tid`). */
  readonly tid?: number;
  /** When the file was created (v1 `sys.created`, v2 header `created`). */
  readonly created?: number;
  /** v2 only: when the writer's process started, to tell a reused pid (spec/format-v2.md#lifecycle). */
  readonly processStart?: number;
  /** v2 only: the writer's last heartbeat; absent while it has none (header `heartbeat` 0). */
  readonly heartbeat?: number;
  /** v2 only: how often the writer beats, in milliseconds; absent when it does not (0). */
  readonly heartbeatIntervalMs?: number;
  /** v2 minor 1: the inode of the writer's pid namespace; absent when unknown (spec/format-v2.md#writer-identity). */
  readonly pidNs?: bigint;
  /** v2 minor 1: the writer's boot id (text form); absent when unknown. */
  readonly bootId?: string;
}

/**
 * What `snapshot` says about its writer.
 *
 * - v1 (spec/files.md#removal): the first field whose label is `sys.pid`, `sys.tid` or
 *   `sys.created`, or ends with `.sys.pid` (...) when the model was opened with a label prefix
 *   (`web.stats.sys.pid`). A pid or tid must be a positive integer, `created` a finite number
 *   (integer types read as `bigint` are converted); anything else is left out.
 * - v2 (spec/format-v2.md#header): the header's `pid`, `tid`, `created`, `process_start`,
 *   `heartbeat`, `heartbeat_interval_ms`, `pid_ns` and `boot_id`; a 0 (or an all-zero boot id:
 *   unknown) is left out.
 */
export function writerInfo(snapshot: StatsSnapshot): WriterInfo {
  const header = snapshot.header;
  if (snapshot.version === 2 && header !== undefined) {
    return compact({
      pid: positiveInteger(header.pid),
      tid: positiveInteger(header.tid),
      created: positiveTime(header.created),
      processStart: positiveTime(header.processStart),
      heartbeat: positiveTime(header.heartbeat),
      heartbeatIntervalMs: header.heartbeatIntervalMs > 0 ? header.heartbeatIntervalMs : undefined,
      pidNs: header.pidNs > 0n ? header.pidNs : undefined,
      bootId: header.bootId === UNKNOWN_BOOT_ID ? undefined : header.bootId,
    });
  }
  const sys = (name: string): unknown => {
    const field = snapshot.fields.find((f) => f.label === `sys.${name}` || f.label.endsWith(`.sys.${name}`));
    return field?.value;
  };
  return compact({ pid: positiveInteger(sys('pid')), tid: positiveInteger(sys('tid')), created: finite(sys('created')) });
}

function positiveInteger(value: unknown): number | undefined {
  if (typeof value !== 'number' && typeof value !== 'bigint') return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function finite(value: unknown): number | undefined {
  if (typeof value !== 'number' && typeof value !== 'bigint') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function positiveTime(value: number): number | undefined {
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Drops the members that are `undefined` (absent is not `undefined` under exactOptionalPropertyTypes). */
function compact(info: { [K in keyof WriterInfo]?: WriterInfo[K] | undefined }): WriterInfo {
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as WriterInfo;
}

/**
 * How much later than the file's `sys.created` (v1) or `process_start` (v2) a process must have
 * started to count as a newer process that reuses the pid, in seconds (spec/format-v2.md#lifecycle).
 * The start time comes from `btime`, which is truncated to whole seconds and moves whenever the
 * wall clock is set (NTP stepping it forward makes a live writer look younger), while
 * `sys.created` was taken from the wall clock of its day. A writer creates its file after it
 * starts, so its start is normally well before. The same slack applies to "created before this
 * boot".
 */
export const PID_REUSE_SLACK_SECONDS = 5;

/** How many heartbeat intervals a v2 writer whose pid cannot be checked may miss before it counts as gone. */
export const STALE_HEARTBEATS = 10;

/** Why a writer is gone (its file may be removed). */
export type GoneReason =
  /** v2: the file's `boot_id` is not this boot's: the machine rebooted since. */
  | 'other-boot'
  /** v1: `sys.created` is before this boot. */
  | 'before-boot'
  /** No process has the pid (v1: in any pid namespace). */
  | 'not-running'
  /** The process is a zombie (v1: and no process of another namespace has that pid). */
  | 'exited'
  /** A newer process has the pid (v1: and no process of another namespace has that pid). */
  | 'pid-reused'
  /** v2, pid not checkable (another or an unknown pid namespace): no heartbeat for {@link STALE_HEARTBEATS} intervals. */
  | 'heartbeat-stale';

/** Why a writer is (or may be) alive (its file must be kept). */
export type AliveReason =
  /** The pid is our user's live process (and the writer, by its start time). */
  | 'running'
  /** The pid is a live process of another user. */
  | 'other-user'
  /** The file has no usable pid (v1 `sys.pid`, v2 header `pid`). */
  | 'no-pid'
  /** v2, pid not checkable: the heartbeat is recent. */
  | 'heartbeat-fresh'
  /** v2, pid not checkable, and the writer has no heartbeat (interval 0, or none yet). */
  | 'no-heartbeat'
  /** v1: a process in another pid namespace has that pid there, and started before the file. */
  | 'other-namespace'
  /** v1: the pid is not ours to see (we are not in the initial pid namespace, or `/proc` hides processes). */
  | 'cannot-tell';

/** The judgement of one file's writer, with the reason in words (for `clean --dry-run` and poll). */
export type WriterJudgement =
  | {
      /** The writer is gone. */
      readonly gone: true;
      /** Why. */
      readonly reason: GoneReason;
      /** The reason in words, e.g. `pid 3003 is not running`. */
      readonly because: string;
    }
  | {
      /** The writer is, or may be, alive. */
      readonly gone: false;
      /** Why. */
      readonly reason: AliveReason;
      /** The reason in words. */
      readonly because: string;
      /** For `other-user`: the process owner's uid when `/proc` shows it. */
      readonly uid?: number;
    };

/**
 * What the judging process knows about itself, read once per run ({@link observer}): its pid
 * namespace, the boot, the clock, and (lazily) every process by its own pid.
 */
export interface Observer {
  /** procfs mount point. */
  readonly procRoot: string;
  /** Our pid namespace's inode; `undefined` when unknown. */
  readonly pidNs: bigint | undefined;
  /** This boot's id; `undefined` when unknown. */
  readonly bootId: string | undefined;
  /** When this boot started, Unix seconds (`btime`); `undefined` when unknown. */
  readonly bootTime: number | undefined;
  /** Our uid (`undefined` off POSIX). */
  readonly uid: number | undefined;
  /** The wall clock, Unix seconds. */
  readonly now: () => number;
  /** `processesByOwnPid()`, read on first use and kept. */
  byOwnPid(): Map<number, number[]> | undefined;
}

/** Overrides for {@link observer}, for tests. */
export interface ObserverOptions {
  /** procfs mount point. Default `"/proc"`. */
  readonly procRoot?: string;
  /** Our uid. Default `process.getuid()`. */
  readonly uid?: number;
  /** The wall clock in Unix seconds. Default `Date.now() / 1000`. */
  readonly now?: () => number;
}

/** Reads what {@link judgeWriter} needs to know about the judging process; make one per run (a clean, a poll tick). */
export function observer(options: ObserverOptions = {}): Observer {
  const procRoot = options.procRoot ?? '/proc';
  let byOwnPid: { value: Map<number, number[]> | undefined } | undefined;
  return {
    procRoot,
    pidNs: ownPidNamespace(procRoot),
    bootId: ownBootId(procRoot),
    bootTime: bootTime(procRoot),
    uid: options.uid ?? process.getuid?.(),
    now: options.now ?? (() => Date.now() / 1000),
    byOwnPid() {
      byOwnPid ??= { value: processesByOwnPid(procRoot) };
      return byOwnPid.value;
    },
  };
}

/**
 * Whether the writer of a file is gone, by the rules of spec/files.md#removal:
 *
 * - v2: another boot (`boot_id`, both known) → gone. Our pid namespace (`pid_ns` known and
 *   ours) → the pid rules: no such process, a zombie, or a process started more than
 *   {@link PID_REUSE_SLACK_SECONDS} after `process_start` → gone; else alive. Another or an
 *   unknown namespace → the pid says nothing: gone only when the heartbeat is more than
 *   {@link STALE_HEARTBEATS} intervals old; never without a heartbeat.
 * - v1 (`sys.pid`, `sys.created` only: no namespace): `sys.created` before this boot → gone.
 *   A live process with the pid that started before the file → alive. Otherwise gone only when
 *   we see every process (we are in the initial pid namespace and `/proc` hides none) and no
 *   process of any namespace has that pid in its own namespace (`NSpid`) and started before
 *   the file; else kept.
 * - No usable pid → alive (`no-pid`): nothing tells.
 *
 * @param info - {@link writerInfo} of the file
 * @param version - the file's format version
 * @param seen - what the judging process knows; default {@link observer}`()`
 */
export function judgeWriter(info: WriterInfo, version: 1 | 2, seen: Observer = observer()): WriterJudgement {
  return version === 2 ? judgeV2(info, seen) : judgeV1(info, seen);
}

function judgeV2(info: WriterInfo, seen: Observer): WriterJudgement {
  if (info.bootId !== undefined && seen.bootId !== undefined && info.bootId !== seen.bootId) {
    return gone('other-boot', `written in another boot (boot_id ${info.bootId}, this boot is ${seen.bootId})`);
  }
  const pid = info.pid;
  if (pid === undefined || !isProcessId(pid)) return alive('no-pid', 'has no pid in its header, so nothing tells whether its writer runs');
  if (info.pidNs !== undefined && seen.pidNs !== undefined && info.pidNs === seen.pidNs) {
    return byPid(pid, info.processStart, 'process_start', seen) ?? pidAlive(pid, seen);
  }
  const where = info.pidNs === undefined ? 'a pid namespace the file does not record' : `another pid namespace (pid_ns ${info.pidNs})`;
  const interval = info.heartbeatIntervalMs;
  if (interval === undefined || info.heartbeat === undefined) {
    return alive('no-heartbeat', `its writer is in ${where}, where pid ${pid} says nothing, and it has no heartbeat`);
  }
  const age = seen.now() - info.heartbeat;
  const limit = (STALE_HEARTBEATS * interval) / 1000;
  if (age > limit) {
    return gone('heartbeat-stale', `its writer is in ${where} and its last heartbeat is ${seconds(age)} old, more than ${STALE_HEARTBEATS} intervals of ${interval} ms`);
  }
  return alive('heartbeat-fresh', `its writer is in ${where} and its last heartbeat is ${seconds(Math.max(0, age))} old`);
}

function judgeV1(info: WriterInfo, seen: Observer): WriterJudgement {
  const pid = info.pid;
  if (pid === undefined || !isProcessId(pid)) return alive('no-pid', 'has no sys.pid field, so nothing tells whether its writer runs');
  if (info.created !== undefined && seen.bootTime !== undefined && info.created < seen.bootTime - PID_REUSE_SLACK_SECONDS) {
    return gone('before-boot', `was created ${iso(info.created)}, before this boot (${iso(seen.bootTime)})`);
  }
  const here = byPid(pid, info.created, 'sys.created', seen);
  if (here === undefined) return pidAlive(pid, seen);
  // A v1 file does not say which pid namespace its pid is from: the writer may be a process
  // of another namespace that has this pid there. Only from the initial one is every process seen.
  if (seen.pidNs !== INITIAL_PID_NAMESPACE) {
    return alive('cannot-tell', `${here.because} here, but a v1 file does not say which pid namespace it is from, and this one (${seen.pidNs ?? 'unknown'}) does not see them all`);
  }
  const byOwnPid = seen.byOwnPid();
  if (byOwnPid === undefined) return alive('cannot-tell', `${here.because} here, but /proc does not show every process`);
  for (const hostPid of byOwnPid.get(pid) ?? []) {
    if (hostPid === pid) continue; // the process judged above
    const proc = processInfo(hostPid, seen.procRoot);
    if (proc === undefined || proc.state === 'Z') continue;
    if (info.created !== undefined && proc.startedAt > info.created + PID_REUSE_SLACK_SECONDS) continue;
    return alive('other-namespace', `${here.because} here, but a process in another pid namespace has pid ${pid} there (pid ${hostPid} here)`);
  }
  return gone(here.reason, `${here.because}, in this or any other pid namespace`);
}

/** The pid rules: gone (no such process, a zombie, a newer process) or `undefined` (a live process that may be the writer). */
function byPid(pid: number, started: number | undefined, startedField: string, seen: Observer): Extract<WriterJudgement, { gone: true }> | undefined {
  if (probePid(pid) === 'gone') return gone('not-running', `pid ${pid} is not running`);
  const proc = processInfo(pid, seen.procRoot);
  if (proc?.state === 'Z') return gone('exited', `pid ${pid} has exited (a zombie)`);
  if (proc !== undefined && started !== undefined && proc.startedAt > started + PID_REUSE_SLACK_SECONDS) {
    const after = startedField === 'sys.created' ? `after the file was created ${iso(started)}` : `after the writer's process started ${iso(started)}`;
    return gone('pid-reused', `pid ${pid} now belongs to a process started ${iso(proc.startedAt)}, ${after}`);
  }
  return undefined;
}

/** A live process has the pid: ours, or another user's (EPERM, or `/proc` says so when we are root and may signal anyone). */
function pidAlive(pid: number, seen: Observer): WriterJudgement {
  const proc = processInfo(pid, seen.procRoot);
  if (probePid(pid) === 'not-permitted' || (proc !== undefined && seen.uid !== undefined && proc.uid !== seen.uid)) {
    const uid = proc?.uid;
    return { gone: false, reason: 'other-user', because: `pid ${pid} is alive and belongs to another user${uid === undefined ? '' : ` (uid ${uid})`}`, ...(uid === undefined ? {} : { uid }) };
  }
  return alive('running', `pid ${pid} is running`);
}

function gone(reason: GoneReason, because: string): Extract<WriterJudgement, { gone: true }> {
  return { gone: true, reason, because };
}

function alive(reason: AliveReason, because: string): WriterJudgement {
  return { gone: false, reason, because };
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function seconds(s: number): string {
  return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
}
