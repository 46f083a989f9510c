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
import type { V2StatsBytes } from './views-v2.js';

/** How many times a reader tries a value before giving up with `MMSTATS-E014`, as the reference readers do. */
export const V2_SEQLOCK_TRIES = 1000;

/** Options of {@link readSeqlocked}. */
export interface SeqlockReadOptions {
  /** Tries before giving up; default {@link V2_SEQLOCK_TRIES} (1000). */
  readonly tries?: number;
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
      /** No consistent, valid copy was made. */
      readonly ok: false;
      /**
       * Why: `stuck`, `seq` stayed odd and unchanged (a writer died in the middle of a write);
       * `busy`, `seq` kept changing (a writer updating faster than this copy takes);
       * `corrupt`, `seq` was even and stable but `copy` rejected the contents (bad bytes, not a race).
       */
      readonly reason: 'stuck' | 'busy' | 'corrupt';
      /** The last `seq` seen. */
      readonly seq: number;
      /** Tries made. */
      readonly tries: number;
    };

/**
 * The reader's side of the seqlock (spec/format-v2.md#seqlock): load `seq` (retry while odd),
 * `copy()` the value area, load `seq` again, and keep the copy only if `seq` did not change.
 * `copy` returns `undefined` for contents it rejects (a text `len` past its capacity): while
 * `seq` moves that is a torn copy and is retried; with `seq` stable it is corruption. Never waits: JavaScript cannot yield inside a synchronous
 * read, so the bound is on tries; a stuck odd `seq` costs `tries` loads and returns.
 *
 * @param file - the file's views
 * @param seqOffset - offset of the `seq` word (the start of a composite value area), a multiple of 8
 * @param copy - copies the value area; called only while `seq` was even
 */
export function readSeqlocked<T>(
  file: V2StatsBytes,
  seqOffset: number,
  copy: () => T | undefined,
  options: SeqlockReadOptions = {},
): SeqlockRead<T> {
  const tries = options.tries ?? V2_SEQLOCK_TRIES;
  const index = seqOffset >> 2;
  const first = Atomics.load(file.i32, index);
  let seq = first;
  for (let attempt = 1; attempt <= tries; attempt++) {
    const s1 = Atomics.load(file.i32, index);
    seq = s1;
    if ((s1 & 1) !== 0) continue;
    const value = copy();
    const s2 = Atomics.load(file.i32, index);
    if (s2 === s1) {
      if (value !== undefined) return { ok: true, value, tries: attempt };
      // A stable, even seq with contents the copy rejects is not a race: retrying cannot help.
      return { ok: false, reason: 'corrupt', seq: s1 >>> 0, tries: attempt };
    }
    seq = s2;
  }
  return { ok: false, reason: seq === first && (seq & 1) !== 0 ? 'stuck' : 'busy', seq: seq >>> 0, tries };
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
