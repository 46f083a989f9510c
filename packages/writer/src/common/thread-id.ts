/**
 * The OS thread id of the calling thread (what `gettid(2)` returns), for `sys.tid` and the
 * `{TID}` of file names. Node has no API for it; on Linux `/proc/thread-self` is a link to
 * `<pid>/task/<tid>` of the thread that reads it, and a synchronous `readlinkSync` runs on
 * the calling thread (main or worker), so one read at open gives the right id.
 *
 * @module
 */
import { readlinkSync, statSync } from 'node:fs';
import { isMainThread, threadId } from 'node:worker_threads';

/**
 * The calling thread's OS thread id. Where `/proc/thread-self` does not exist (not Linux)
 * it falls back to the process id on the main thread and to Node's `threadId` in a worker,
 * which still keeps each thread's file name distinct.
 */
export function osThreadId(): number {
  try {
    const link = readlinkSync('/proc/thread-self');
    const tid = Number(link.slice(link.lastIndexOf('/') + 1));
    if (Number.isSafeInteger(tid) && tid > 0) return tid;
  } catch {
    // No procfs (macOS, a sandbox without /proc): use the fallback below.
  }
  return isMainThread ? process.pid : threadId;
}

/**
 * `true` when `tid` is a live thread of this process (`/proc/self/task/<tid>` exists),
 * `undefined` when that cannot be told (no procfs).
 */
export function isLiveThread(tid: number): boolean | undefined {
  if (statSync('/proc/self/task', { throwIfNoEntry: false }) === undefined) return undefined;
  return statSync(`/proc/self/task/${tid}`, { throwIfNoEntry: false }) !== undefined;
}
