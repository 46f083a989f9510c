/**
 * Sequence words (spec/format-v2.md#seqlock): how a writer changes a multi-word value without
 * waiting, and how a reader gets a consistent copy of it or knows it did not.
 *
 * Both sides access `seq` with `Atomics` on an `Int32Array`: sequentially consistent
 * operations that V8 does not reorder with the plain loads and stores around them, which is
 * what the spec's release and acquire fences ask for.
 *
 * @module
 */
import type { V2StatsBytes } from './views.js';

/** How many times a reader tries a value before giving up with `MMSTATS-E014`, as the reference readers do. */
export const V2_SEQLOCK_TRIES = 1000;

/**
 * How long a sequence word must stay odd and unchanged before a reader calls the writer dead
 * (`stuck`), in milliseconds. A thousand tries take microseconds, and a live writer that the OS
 * preempts in the middle of a write leaves `seq` odd for as long as it is off the CPU.
 */
export const V2_STUCK_MILLIS = 10;

/** Options of {@link readSeqlocked}. */
export interface SeqlockReadOptions {
  /** Tries before giving up; default {@link V2_SEQLOCK_TRIES} (1000). */
  readonly tries?: number;
  /**
   * How long `seq` must stay odd and unchanged before the value is reported `stuck`, in
   * milliseconds; default {@link V2_STUCK_MILLIS} (10). 0 reports it after the tries alone.
   */
  readonly stuckMillis?: number;
}

/** The outcome of {@link readSeqlocked}. */
export type SeqlockRead<T> =
  | {
      /** A consistent copy was made. */
      readonly ok: true;
      /** The copy. */
      readonly value: T;
      /** Tries it took (1 when no writer was in the way). */
      readonly tries: number;
    }
  | {
      /** No consistent copy was made. */
      readonly ok: false;
      /**
       * Why: `stuck`, `seq` stayed odd and unchanged (a writer died in the middle of a write);
       * `busy`, `seq` kept changing (a writer updating faster than this copy takes).
       */
      readonly reason: 'stuck' | 'busy';
      /** The last `seq` seen. */
      readonly seq: number;
      /** Tries made. */
      readonly tries: number;
    };

/**
 * The reader's side of the seqlock (spec/format-v2.md#seqlock): load `seq` (retry while odd),
 * `copy()` the value area, load `seq` again, and keep the copy only if `seq` did not change.
 * Check the copy's contents only after: a torn copy may hold anything. The bound is on tries
 * (JavaScript cannot yield inside a synchronous read), except that a `seq` odd and unchanged
 * through every try is watched for `stuckMillis` more before it is called `stuck`: a writer
 * preempted in the middle of a write is not a dead one. So a truly stuck value costs that long
 * per read.
 *
 * @param file - the file's views
 * @param seqOffset - offset of the `seq` word (the start of a composite value area), a multiple of 8
 * @param copy - copies the value area; called only while `seq` was even
 */
export function readSeqlocked<T>(
  file: V2StatsBytes,
  seqOffset: number,
  copy: () => T,
  options: SeqlockReadOptions = {},
): SeqlockRead<T> {
  const tries = options.tries ?? V2_SEQLOCK_TRIES;
  const first = tryCopies(file, seqOffset >> 2, copy, tries);
  if (first.ok || first.reason === 'busy') return first;
  // Odd and unchanged through every try: a dead writer, or a live one off the CPU mid-write.
  // Only time tells them apart; if `seq` moves within the wait, the writer lives: try again
  // (once: a second stuck look is reported as it is).
  if (!waitForChange(file, seqOffset >> 2, first.seq | 0, options.stuckMillis ?? V2_STUCK_MILLIS)) return first;
  const second = tryCopies(file, seqOffset >> 2, copy, tries);
  return { ...second, tries: tries + second.tries };
}

function tryCopies<T>(file: V2StatsBytes, index: number, copy: () => T, tries: number): SeqlockRead<T> {
  const first = Atomics.load(file.i32, index);
  let seq = first;
  for (let attempt = 1; attempt <= tries; attempt++) {
    const s1 = Atomics.load(file.i32, index);
    seq = s1;
    if ((s1 & 1) !== 0) continue;
    const value = copy();
    const s2 = Atomics.load(file.i32, index);
    if (s2 === s1) return { ok: true, value, tries: attempt };
    seq = s2;
  }
  return { ok: false, reason: seq === first && (seq & 1) !== 0 ? 'stuck' : 'busy', seq: seq >>> 0, tries };
}

/** Spins until `seq` differs from `seq0` (`true`) or `millis` have passed (`false`). */
function waitForChange(file: V2StatsBytes, index: number, seq0: number, millis: number): boolean {
  const until = Date.now() + millis;
  do {
    if (Atomics.load(file.i32, index) !== seq0) return true;
  } while (Date.now() < until);
  return false;
}

/**
 * The writer's step 1 (spec/format-v2.md#seqlock): makes `seq` odd, so readers retry until
 * {@link endV2Write}. One writer per file, so no compare-and-swap.
 *
 * @returns the even `seq` before the write, to pass to {@link endV2Write}
 */
export function beginV2Write(file: V2StatsBytes, seqOffset: number): number {
  const index = seqOffset >> 2;
  const s = Atomics.load(file.i32, index);
  Atomics.store(file.i32, index, (s + 1) | 0);
  return s;
}

/** The writer's step 4: `seq = s + 2` (even again, wrapping at 2^32), publishing the new contents. */
export function endV2Write(file: V2StatsBytes, seqOffset: number, s: number): void {
  Atomics.store(file.i32, seqOffset >> 2, (s + 2) | 0);
}
