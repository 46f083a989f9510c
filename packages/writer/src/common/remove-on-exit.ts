/**
 * `removeOnExit`: removing the stats files when the process (or worker thread) ends, on its
 * `exit` event and, in the main thread, on the signals that usually stop a server
 * (SIGTERM, SIGINT, SIGHUP), without changing how the app ends:
 *
 * - an app with no listener of its own for the signal still dies of that signal: the files
 *   are removed, our listener taken off, and the same signal raised again, so the exit status
 *   (`signal === 'SIGTERM'`, 143 in a shell) is what it would have been without us;
 * - an app with its own listener keeps control: nothing is done at the signal (it may go on
 *   running and updating its stats through a graceful shutdown), and the files are removed
 *   by the `exit` event when it ends.
 *
 * Signals reach only the main thread. A worker thread's files are removed at the worker's own
 * exit; when the whole process dies of a signal, the workers' files stay for `mmstats clean`
 * (their pid is dead) unless the app handles the signal and ends its workers first.
 *
 * @module
 */
import { isMainThread } from 'node:worker_threads';

/** The signals on which the main thread removes its files (as well as at `exit`). */
export const REMOVAL_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** Something to remove: a v1 or v2 stats file. */
interface Removable {
  remove(): void;
}

const pending = new Set<Removable>();

function removeAll(): void {
  for (const file of pending) file.remove();
}

// One listener per signal, installed while some file is pending. Prepended, so it runs before
// the app's own listeners: a `process.once` listener of the app is still counted then.
const signalListeners = new Map<NodeJS.Signals, () => void>(
  REMOVAL_SIGNALS.map((signal) => {
    const listener = (): void => {
      if (process.listenerCount(signal) > 1) return; // the app's own listener decides
      removeAll();
      unhook();
      process.kill(process.pid, signal);
    };
    return [signal, listener];
  }),
);

function hook(): void {
  process.on('exit', removeAll);
  if (isMainThread) for (const [signal, listener] of signalListeners) process.prependListener(signal, listener);
}

function unhook(): void {
  process.removeListener('exit', removeAll);
  for (const [signal, listener] of signalListeners) process.removeListener(signal, listener);
}

/** Removes `stats` when the process (or this worker) exits or, in the main thread, is stopped by a signal (see the module comment). */
export function removeAtExit(stats: Removable): void {
  if (pending.size === 0) hook();
  pending.add(stats);
}

/** Takes `stats` off the list of files to remove at exit; the listeners go with the last one. */
export function forgetAtExit(stats: Removable): void {
  if (pending.delete(stats) && pending.size === 0) unhook();
}
