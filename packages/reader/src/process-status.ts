/**
 * What Linux says about a process (is it there, who runs it, when did it start) and about the
 * one asking (its pid namespace, the boot). Used by `judgeWriter` (writer-info.ts) to tell a stats file
 * whose writer is alive from one left behind (`mmstats clean`, `mmstats poll`).
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';

/** Linux's largest `pid_max` (2^22): no process id is larger. */
export const MAX_PID = 4_194_304;

/**
 * `true` when `pid` can be a process id: a positive integer up to {@link MAX_PID}. Anything else
 * must never reach `kill()`: 0 and negatives address process groups.
 */
export function isProcessId(pid: number): boolean {
  return Number.isInteger(pid) && pid > 0 && pid <= MAX_PID;
}

/** What sending signal 0 to a pid says. */
export type SignalProbe = 'running' | 'not-permitted' | 'gone';

/**
 * `kill(pid, 0)`: `running` when it succeeds, `not-permitted` (EPERM: the process exists but
 * belongs to another user and we are not root), `gone` (ESRCH: no such process).
 *
 * Only call it with a positive pid: 0 and negatives address process groups.
 *
 * @throws RangeError for a pid that is not a positive integer; the system error for anything
 *   but EPERM and ESRCH
 */
export function probePid(pid: number): SignalProbe {
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new RangeError(`not a process id: ${pid}`);
  try {
    process.kill(pid, 0);
    return 'running';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPERM') return 'not-permitted';
    if (code === 'ESRCH') return 'gone';
    throw error;
  }
}

/** A process as `/proc/PID` describes it. */
export interface ProcessInfo {
  /** The state letter of `/proc/PID/stat`: `R`, `S`, `D`, `Z` (exited, not yet reaped)... */
  readonly state: string;
  /** When it started, in seconds since the epoch (to 1/100 s, plus the boot time's rounding). */
  readonly startedAt: number;
  /** Its real user id (`Uid:` of `/proc/PID/status`). */
  readonly uid: number;
}

/**
 * Clock ticks per second of `/proc/PID/stat`'s start time: the kernel's `USER_HZ`, which is
 * 100 on every Linux architecture Node runs on (it is fixed by the ABI, unlike the kernel's
 * internal HZ). Node cannot call `sysconf(_SC_CLK_TCK)`; `getconf CLK_TCK` says 100 here.
 */
export const USER_HZ = 100;

/**
 * Reads `/proc/PID/stat` and `/proc/PID/status`.
 *
 * @param procRoot - where procfs is mounted. Default `"/proc"`.
 * @returns `undefined` when the process is gone or procfs cannot be read (not Linux, or
 *   mounted with `hidepid`)
 */
export function processInfo(pid: number, procRoot = '/proc'): ProcessInfo | undefined {
  let stat: string;
  let status: string;
  try {
    stat = readFileSync(`${procRoot}/${pid}/stat`, 'latin1');
    status = readFileSync(`${procRoot}/${pid}/status`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces and ")": the
  // fields after it start after the last ")".
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = rest[0] ?? '?';
  const startTicks = Number(rest[22 - 3]); // field 22, starttime; `rest` starts at field 3
  const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
  const boot = bootTime(procRoot);
  if (!Number.isFinite(startTicks) || !Number.isFinite(uid) || boot === undefined) return undefined;
  return { state, startedAt: boot + startTicks / USER_HZ, uid };
}

/**
 * The boot time, in whole seconds since the epoch (`btime` of `/proc/stat`). The kernel
 * derives it from the current wall clock minus the uptime, so it moves when the clock is set.
 *
 * @param procRoot - where procfs is mounted. Default `"/proc"`.
 */
export function bootTime(procRoot = '/proc'): number | undefined {
  try {
    const btime = /^btime\s+(\d+)$/m.exec(readFileSync(`${procRoot}/stat`, 'latin1'))?.[1];
    return btime === undefined ? undefined : Number(btime);
  } catch {
    return undefined;
  }
}

/**
 * The inode number of the initial pid namespace (Linux's `PROC_PID_INIT_INO`, fixed since
 * 3.8): a process in it sees every process on the machine.
 */
export const INITIAL_PID_NAMESPACE = 4026531836n;

/**
 * The inode of this process's pid namespace (`/proc/self/ns/pid`, the `pid_ns` a v2 minor-1
 * writer records, spec/format-v2.md#writer-identity); `undefined` when `/proc` does not show it.
 *
 * @param procRoot - where procfs is mounted. Default `"/proc"`.
 */
export function ownPidNamespace(procRoot = '/proc'): bigint | undefined {
  try {
    return statSync(`${procRoot}/self/ns/pid`, { bigint: true }).ino;
  } catch {
    return undefined;
  }
}

/**
 * The id of the current boot, `/proc/sys/kernel/random/boot_id` in its text form; `undefined`
 * when it cannot be read.
 *
 * @param procRoot - where procfs is mounted. Default `"/proc"`.
 */
export function ownBootId(procRoot = '/proc'): string | undefined {
  try {
    return readFileSync(`${procRoot}/sys/kernel/random/boot_id`, 'latin1').trim().toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Every process `/proc` shows, by its pid in its own pid namespace (the last number of
 * `NSpid:` in `/proc/PID/status`, which needs no rights over the process): what a writer in a
 * container calls `getpid()`, with the pids under which we see those processes. A v1 writer
 * records only that own pid, so this is how it is found from outside its namespace.
 *
 * @param procRoot - where procfs is mounted. Default `"/proc"`.
 * @returns `undefined` when some process's status cannot be read (`/proc` mounted with
 *   `hidepid`, or no `NSpid:` before Linux 4.1): then not every process is seen
 */
export function processesByOwnPid(procRoot = '/proc'): Map<number, number[]> | undefined {
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return undefined;
  }
  const byOwnPid = new Map<number, number[]>();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let status: string;
    try {
      status = readFileSync(`${procRoot}/${name}/status`, 'latin1');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ESRCH') continue; // exited meanwhile
      return undefined;
    }
    const own = Number(/^NSpid:\s+(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/).at(-1));
    if (!Number.isSafeInteger(own)) return undefined;
    byOwnPid.set(own, [...(byOwnPid.get(own) ?? []), Number(name)]);
  }
  return byOwnPid;
}
