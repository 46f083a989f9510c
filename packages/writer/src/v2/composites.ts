/**
 * v2 handles of multi-word values: text, averages, histograms of both encodings (timers, their
 * histograms of seconds, are in `timers.ts`) and windows. Each update is one seqlocked write (spec/format-v2.md#seqlock): the
 * handle stores `seq + 1`, changes the words, stores `seq + 2`, both with `Atomics.store`;
 * it never waits and never reads `seq` back (it is the file's only writer).
 *
 * @module
 */
import {
  EXP_HISTOGRAM_WORDS,
  expBucketIndex,
  recordExpHistogram,
  windowStats,
  type ExpHistogramParams,
  type HistogramParams,
  type V2RecordLayout,
  type V2StatsBytes,
  type WindowStats,
} from '@mmstats/format';
import { TAKES, isFiniteNumber } from '../common/rejected-values.js';
import type { Clock } from '../common/stopwatch.js';
import { RecordHandle, bindV2, type BindHow } from './handle.js';

const encoder = new TextEncoder();
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * A v2 `text` value (`text()`, `string()` in a v2 file): UTF-8 of at most `capacity` bytes,
 * cut before the first character that does not fit whole (spec/format-v2.md#enc-text).
 */
export class TextV2 extends RecordHandle {
  /** Bytes of UTF-8 the value holds. */
  readonly capacity: number;
  #slot: Uint8Array = new Uint8Array(0);

  /** @internal */
  constructor(label: string, capacity: number) {
    super(label, 'text', 8 + Math.ceil(capacity / 8) * 8);
    this.capacity = capacity;
  }

  /** The value readers see now. */
  get value(): string {
    return lenient.decode(this.#slot.subarray(0, this.i32[this.s + 1]!));
  }
  /** Publishes a new value, cut at a character boundary to `capacity` bytes; a non-string is ignored and counted (checked before the sequence word is touched). */
  set value(value: string) {
    if (typeof value !== 'string') {
      this.rejections.reject(value, TAKES.string);
      return;
    }
    this.begin();
    // encodeInto writes whole characters only: the cut costs nothing and allocates nothing.
    this.i32[this.s + 1] = encoder.encodeInto(value, this.#slot).written;
    this.end();
  }

  /** @internal */
  override [bindV2](target: V2StatsBytes, valueOffset: number, record: V2RecordLayout | undefined, how: BindHow): void {
    super[bindV2](target, valueOffset, record, how);
    this.#slot = target.bytes.subarray(valueOffset + 8, valueOffset + 8 + this.capacity);
  }
}

/**
 * A v2 `average`: the sum and count of the values added, whose ratio readers show as the mean
 * (spec/format-v2.md#enc-average). Unlike a v1 average, it merges exactly across threads and
 * processes (sums and counts add).
 */
export class AverageV2 extends RecordHandle {
  /** @internal */
  constructor(label: string) {
    super(label, 'average', 24);
  }
  /** Adds a value: `sum += value`, `count += 1`, one change readers see whole; NaN, ±Infinity or a non-number is ignored and counted. */
  add(value: number): void {
    if (!isFiniteNumber(value)) {
      this.rejections.reject(value, TAKES.number);
      return;
    }
    const f64 = this.f64;
    const w = this.w;
    this.begin();
    f64[w + 1]! += value;
    f64[w + 2]! += 1;
    this.end();
  }
  /** Sum of the values added. */
  get sum(): number {
    return this.f64[this.w + 1]!;
  }
  /** How many values were added. */
  get count(): number {
    return this.f64[this.w + 2]!;
  }
  /** `sum / count`, or `undefined` before the first value. */
  get mean(): number | undefined {
    const count = this.count;
    return count === 0 ? undefined : this.sum / count;
  }
  /** The mean, 0 before the first value (what a v1 average shows). */
  get value(): number {
    return this.mean ?? 0;
  }
}

// A value's binary64 bits without allocating: the high word (sign, exponent, top 20 mantissa
// bits) is word 1 on the little-endian machines v2 runs on (statsBytesV2 refuses others).
const scratch = new Float64Array(1);
const scratchWords = new Int32Array(scratch.buffer);

/**
 * A v2 `histogram`: log-linear buckets plus count, sum, min and max (spec/format-v2.md#enc-histogram),
 * from which readers compute percentiles after merging every thread and process, within a
 * relative error of `2^−(k+1)` (3.125 % with the default `k = 4`).
 */
export class HistogramV2 extends RecordHandle {
  /** The bucket parameters: `k` sub-bucket bits, values from `2^minExp` to `2^maxExp`. */
  readonly params: HistogramParams;
  readonly #k: number;
  readonly #shift: number;
  readonly #minExp: number;
  readonly #maxExp: number;
  readonly #overflow: number;

  /** @internal */
  constructor(label: string, params: HistogramParams, kind: 'histogram' | 'timer' = 'histogram') {
    const buckets = (params.maxExp - params.minExp) * 2 ** params.k + 2;
    super(label, kind, 40 + 8 * buckets);
    this.params = { k: params.k, minExp: params.minExp, maxExp: params.maxExp };
    this.#k = params.k;
    this.#shift = 20 - params.k;
    this.#minExp = params.minExp;
    this.#maxExp = params.maxExp;
    this.#overflow = buckets - 1;
  }

  /**
   * Records `v`: its bucket (found from its bits, no logarithm: `histogramBucketIndex` of
   * `@mmstats/format` inlined with the parameters precomputed, measured 2 ns cheaper per call;
   * kinds.test.ts checks they agree), `count`, `sum`, `min` and `max`, as one seqlocked
   * write. Zero and negative values go to the underflow bucket, values from `2^maxExp` to the
   * overflow bucket; NaN, ±Infinity (which would make `sum` infinite for good) and non-numbers
   * are ignored and counted (spec/files.md#bad-values).
   */
  observe(v: number): void {
    if (!isFiniteNumber(v)) {
      this.rejections.reject(v, TAKES.number);
      return;
    }
    scratch[0] = v;
    const high = scratchWords[1]!;
    const biased = (high >>> 20) & 0x7ff;
    let bucket = 0;
    // Negative values (and −0) and subnormals stay in bucket 0.
    if (high >= 0 && biased !== 0) {
      const e = biased - 1023;
      if (e >= this.#maxExp) bucket = this.#overflow;
      else if (e >= this.#minExp) bucket = 1 + ((e - this.#minExp) << this.#k) + ((high & 0xfffff) >>> this.#shift);
    }
    const f64 = this.f64;
    const w = this.w;
    const seq = this.seq;
    Atomics.store(this.i32, this.s, seq + 1);
    const count = f64[w + 1]!;
    f64[w + 1] = count + 1;
    f64[w + 2]! += v;
    if (count === 0) {
      f64[w + 3] = v;
      f64[w + 4] = v;
    } else {
      if (v < f64[w + 3]!) f64[w + 3] = v;
      if (v > f64[w + 4]!) f64[w + 4] = v;
    }
    f64[w + 5 + bucket]! += 1;
    const next = (seq + 2) | 0;
    this.seq = next;
    Atomics.store(this.i32, this.s, next);
  }

  /** Values recorded. */
  get count(): number {
    return this.f64[this.w + 1]!;
  }
  /** Their sum. */
  get sum(): number {
    return this.f64[this.w + 2]!;
  }
  /** The smallest recorded value, `undefined` before the first. */
  get min(): number | undefined {
    return this.count === 0 ? undefined : this.f64[this.w + 3]!;
  }
  /** The largest recorded value, `undefined` before the first. */
  get max(): number | undefined {
    return this.count === 0 ? undefined : this.f64[this.w + 4]!;
  }
}

/**
 * A v2 `exphistogram` (`histogram({ encoding: 'exponential' })`): base-2 exponential buckets,
 * OpenTelemetry's and Prometheus' native ones (spec/format-v2.md#enc-exphistogram), a zero
 * bucket, count, sum, min and max. Percentiles are within `(2^(2^−scale) − 1) / 2` relative
 * error; the scale starts at `params.scale` and drops, in place, when the values span more
 * than `params.buckets` buckets of a sign (spec/format-v2.md#exp-downscale).
 */
export class ExpHistogramV2 extends RecordHandle {
  /** Slots per sign, the starting scale and the zero threshold. */
  readonly params: ExpHistogramParams;
  readonly #n: number;
  // The value area's scale, zero threshold and offsets, kept here: this handle is the only one
  // that changes them, and reading them from the mapping next to the sequence store was
  // measured to cost ~10 ns an update. Refreshed after each bind and each re-base or downscale.
  #scale = 0;
  #zeroThreshold = 0;
  #positiveOffset = 0;
  #negativeOffset = 0;
  #positiveSlots = 0;
  #negativeSlots = 0;

  /** @internal */
  constructor(label: string, params: ExpHistogramParams, kind: 'histogram' | 'timer' = 'histogram') {
    super(label, kind, 72 + 16 * params.buckets);
    this.params = { buckets: params.buckets, scale: params.scale, zeroThreshold: params.zeroThreshold };
    this.#n = params.buckets;
  }

  /** The starting scale and zero threshold, in a fresh value area (the file's record has them from its plan). */
  protected override initialize(): void {
    this.f64[this.w + EXP_HISTOGRAM_WORDS.zeroThreshold] = this.params.zeroThreshold;
    this.i32[2 * (this.w + EXP_HISTOGRAM_WORDS.scale)] = this.params.scale;
  }

  /** @internal */
  override [bindV2](target: V2StatsBytes, valueOffset: number, record: V2RecordLayout | undefined, how: BindHow): void {
    super[bindV2](target, valueOffset, record, how);
    this.#refresh();
  }

  #refresh(): void {
    const W = EXP_HISTOGRAM_WORDS;
    this.#scale = this.i32[2 * (this.w + W.scale)]!;
    this.#zeroThreshold = this.f64[this.w + W.zeroThreshold]!;
    this.#positiveOffset = this.i32[2 * (this.w + W.offsets)]!;
    this.#negativeOffset = this.i32[2 * (this.w + W.offsets) + 1]!;
    this.#positiveSlots = this.w + W.slots;
    this.#negativeSlots = this.w + W.slots + this.#n;
  }

  /**
   * Records `v` as one seqlocked write: its bucket (from its bits and a small table, no
   * logarithm: `expBucketIndex` of `@mmstats/format` at the kept scale) and its slot, found
   * before the write begins, as the log-linear histogram does; then `count`, `sum`, `min`,
   * `max` and the slot's count. A value whose bucket has no slot takes the format's
   * `recordExpHistogram`, which re-bases or downscales in place (spec/format-v2.md#exp-downscale).
   * The common path is written out here rather than calling `recordExpHistogram`: measured
   * 5 ns cheaper (`pnpm bench writer`), and the form of the min/max tests matters to V8's
   * inlining (an if/else, or a shared helper, cost 3–4 ns more). The two sequence stores are
   * inlined too. NaN, ±Infinity and non-numbers are ignored and counted (spec/files.md#bad-values).
   */
  observe(v: number): void {
    if (!isFiniteNumber(v)) {
      this.rejections.reject(v, TAKES.number);
      return;
    }
    const negative = v < 0;
    const m = negative ? -v : v;
    const f64 = this.f64;
    const w = this.w;
    let at = w + 6;
    if (m > this.#zeroThreshold) {
      const slot = expBucketIndex(m, this.#scale) - (negative ? this.#negativeOffset : this.#positiveOffset);
      at = slot >>> 0 < this.#n ? (negative ? this.#negativeSlots : this.#positiveSlots) + slot : -1;
    }
    const i32 = this.i32;
    const seq = this.seq;
    Atomics.store(i32, this.s, seq + 1);
    if (at >= 0) {
      const count = f64[w + 1]!;
      f64[w + 1] = count + 1;
      f64[w + 2]! += v;
      if (count === 0 || v < f64[w + 3]!) f64[w + 3] = v;
      if (count === 0 || v > f64[w + 4]!) f64[w + 4] = v;
      f64[at]! += 1;
    } else {
      recordExpHistogram(f64, i32, w, this.#n, v, expBucketIndex(m, this.#scale), negative ? this.#negativeOffset : this.#positiveOffset);
    }
    const next = (seq + 2) | 0;
    this.seq = next;
    Atomics.store(i32, this.s, next);
    if (at < 0) this.#refresh();
  }

  /** The scale now: the starting one until values needed a wider range. */
  get scale(): number {
    return this.#scale;
  }
  /** Values recorded. */
  get count(): number {
    return this.f64[this.w + EXP_HISTOGRAM_WORDS.count]!;
  }
  /** Their sum. */
  get sum(): number {
    return this.f64[this.w + EXP_HISTOGRAM_WORDS.sum]!;
  }
}

/**
 * A v2 `window`: counts and sums of the values added in each of the last `slots` intervals of
 * `slotMs` milliseconds (spec/format-v2.md#enc-window), from which readers compute rates
 * (values per second) and recent means with their own clock, without the writer's help.
 */
export class WindowV2 extends RecordHandle {
  /** `N`: how many slots. */
  readonly slots: number;
  /** `w`: each slot's width in milliseconds. */
  readonly slotMs: number;
  readonly #clock: Clock;

  /** @internal */
  constructor(label: string, slots: number, slotMs: number, clock: Clock) {
    super(label, 'window', 8 + 24 * slots);
    this.slots = slots;
    this.slotMs = slotMs;
    this.#clock = clock;
  }

  /**
   * Adds `value` at time `nowSeconds` (Unix seconds; default: the field's clock, `Date.now()`),
   * resetting the slot first when it still counts an older interval; one seqlocked write.
   * A `value` or `nowSeconds` that is NaN, ±Infinity or not a number is ignored and counted.
   */
  add(value: number, nowSeconds: number = this.#clock()): void {
    if (!isFiniteNumber(value)) {
      this.rejections.reject(value, TAKES.number);
      return;
    }
    if (!isFiniteNumber(nowSeconds)) {
      this.rejections.reject(nowSeconds, TAKES.number);
      return;
    }
    // The same arithmetic as windowPosition() of @mmstats/format, so slot starts compare exactly.
    const n = this.slots;
    const width = this.slotMs;
    const s = Math.floor((nowSeconds * 1000) / width);
    const start = (s * width) / 1000;
    const slot = this.w + 1 + 3 * (((s % n) + n) % n);
    const f64 = this.f64;
    this.begin();
    if (f64[slot] !== start) {
      f64[slot] = start;
      f64[slot + 1] = 0;
      f64[slot + 2] = 0;
    }
    f64[slot + 1]! += 1;
    f64[slot + 2]! += value;
    this.end();
  }

  /** Rate and mean over the window at `nowSeconds` (default: the field's clock), as a reader computes them. */
  read(nowSeconds: number = this.#clock()): WindowStats {
    const f64 = this.f64;
    const slots = Array.from({ length: this.slots }, (_, i) => {
      const at = this.w + 1 + 3 * i;
      return { start: f64[at]!, count: f64[at + 1]!, sum: f64[at + 2]! };
    });
    return windowStats({ slotMillis: this.slotMs, slots }, nowSeconds);
  }
}

/** The default clock of windows: `Date.now()` in Unix seconds (readers use the same clock). */
export const unixSeconds: Clock = () => Date.now() / 1000;
