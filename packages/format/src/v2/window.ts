/**
 * Rolling windows (spec/format-v2.md#enc-window): `N` slots of `w` milliseconds, each with the
 * start of the interval it counts, so a reader computes rates and recent means from the file
 * alone, with its own clock.
 *
 * @module
 */

/** One slot of a window. */
export interface WindowSlot {
  /** Start of the interval the slot counts, Unix seconds (0: never used). */
  readonly start: number;
  /** Values added during the interval. */
  readonly count: number;
  /** Their sum. */
  readonly sum: number;
}

/** A window's value: its slot width and every slot, by index. */
export interface WindowValue {
  /** Slot width `w` in milliseconds (param2). */
  readonly slotMillis: number;
  /** The `N` slots (param0), slot `i` at index `i`. */
  readonly slots: readonly WindowSlot[];
}

/** The TypeScript writer's default window: 60 slots of 1 s, the last minute. */
export const DEFAULT_WINDOW_PARAMS = {
  /** `N`: 60 slots. */
  slots: 60,
  /** `w`: 1000 ms each. */
  slotMillis: 1000,
} as const;

/** Where a value added at time `t` goes: slot `index`, counting the interval starting at `start`. */
export interface WindowPosition {
  /** `s mod N`, where `s = ⌊t × 1000 / w⌋`. */
  readonly index: number;
  /** `s × w / 1000`, Unix seconds. */
  readonly start: number;
}

/**
 * The slot for time `t` (spec/format-v2.md#enc-window). Writer and reader use this same
 * arithmetic, so a slot's `start` compares exactly with what the reader computes.
 *
 * @param t - Unix seconds
 * @param slots - `N`
 * @param slotMillis - `w`
 */
export function windowPosition(t: number, slots: number, slotMillis: number): WindowPosition {
  const s = intervalAt(t, slotMillis);
  return { index: slotIndex(s, slots), start: intervalStart(s, slotMillis) };
}

/** The interval number `s = ⌊t × 1000 / w⌋` of time `t` (Unix seconds). */
export function intervalAt(t: number, slotMillis: number): number {
  return Math.floor((t * 1000) / slotMillis);
}

/** The start of interval `s`, `s × w / 1000` Unix seconds: what a slot counting it stores. */
export function intervalStart(s: number, slotMillis: number): number {
  return (s * slotMillis) / 1000;
}

/** The slot `s mod N` that counts interval `s` (also for times before 1970). */
export function slotIndex(s: number, slots: number): number {
  return ((s % slots) + slots) % slots;
}

/** What a reader computes from a window at its time `now` (spec/format-v2.md#enc-window). */
export interface WindowStats {
  /** `count / elapsed`: values per second. */
  readonly rate: number;
  /** `sum / count`, or `undefined` when nothing was added in the window. */
  readonly mean: number | undefined;
  /** Values added in the current slot and the `N − 1` before it. */
  readonly count: number;
  /** Their sum. */
  readonly sum: number;
  /** Seconds the window covers: `(N − 1) × w / 1000` plus the time since the current slot started. */
  readonly elapsed: number;
}

/**
 * The interval number `s` a slot counts: `round(start × 1000 / w)`. Readers identify slots
 * this way rather than by comparing `start` values, which writers in other languages may
 * round differently (spec/format-v2.md#enc-window).
 */
export function slotNumber(slot: WindowSlot, slotMillis: number): number {
  return Math.round((slot.start * 1000) / slotMillis);
}

/**
 * Rate and mean over the last `N` slots at time `nowSeconds` (spec/format-v2.md#enc-window):
 * only slots counting the current interval `s = ⌊now × 1000 / w⌋` or one of the `N − 1`
 * before it count; older ones are stale, later ones (a clock that went back) are ignored.
 * Works on merged windows too ({@link mergeWindows}).
 */
export function windowStats(window: WindowValue, nowSeconds: number): WindowStats {
  const w = window.slotMillis;
  const n = window.slots.length;
  const s = intervalAt(nowSeconds, w);
  let count = 0;
  let sum = 0;
  for (const slot of window.slots) {
    if (slot.start === 0) continue;
    const number = slotNumber(slot, w);
    if (number < s - n + 1 || number > s) continue;
    count += slot.count;
    sum += slot.sum;
  }
  const elapsed = ((n - 1) * w) / 1000 + (nowSeconds - intervalStart(s, w));
  return { rate: elapsed > 0 ? count / elapsed : 0, mean: count > 0 ? sum / count : undefined, count, sum, elapsed };
}

/**
 * Merges windows of the same shape (spec/format-v2.md#merge): slots counting the same
 * interval add; where files disagree on which interval a slot counts (a writer that stopped
 * leaves older ones), the latest interval wins, so the result is again a window of `N` slots.
 *
 * @returns the merged window, or `undefined` when the list is empty or the shapes differ
 */
export function mergeWindows(windows: readonly WindowValue[]): WindowValue | undefined {
  const first = windows[0];
  if (first === undefined || windows.some((w) => w.slotMillis !== first.slotMillis || w.slots.length !== first.slots.length)) {
    return undefined;
  }
  const slots: WindowSlot[] = first.slots.map(() => ({ start: 0, count: 0, sum: 0 }));
  for (const window of windows) {
    window.slots.forEach((slot, i) => {
      const into = slots[i]!;
      if (slot.start === 0) return;
      const number = slotNumber(slot, first.slotMillis);
      const current = into.start === 0 ? -Infinity : slotNumber(into, first.slotMillis);
      if (number < current) return;
      slots[i] = number === current
        ? { start: slot.start, count: into.count + slot.count, sum: into.sum + slot.sum }
        : { ...slot };
    });
  }
  return { slotMillis: first.slotMillis, slots };
}
