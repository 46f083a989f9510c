/**
 * Base-2 exponential histograms (spec/format-v2.md#enc-exphistogram): OpenTelemetry's
 * ExponentialHistogram buckets, Prometheus' native ones. At scale `s` the base is
 * `b = 2^(2^−s)` and positive bucket `i` holds `b^i < v ≤ b^(i+1)`. The writer finds a
 * bucket from a value's binary64 bits and a small table (no logarithm), and keeps every value
 * in a bucket by downscaling in place when the `n` slots of a side cannot hold the range
 * (spec/format-v2.md#exp-downscale); readers merge histograms of different scales by
 * downscaling the finer ones.
 *
 * @module
 */
import { littleEndianHost } from './views.js';

/** Limits of an `exphistogram` record (spec/format-v2.md#enc-exphistogram). */
export const V2_EXP_HISTOGRAM_LIMITS = {
  /** Fewest slots per sign: at scale −4, 132 buckets hold every finite binary64 magnitude. */
  minBuckets: 132,
  /** Most slots per sign. */
  maxBuckets: 4096,
  /** Coarsest scale (Prometheus' schema −4: base 65536). */
  minScale: -4,
  /** Finest scale (Prometheus' schema 8: base 2^(1/256)). */
  maxScale: 8,
} as const;

/**
 * What a writer chooses for an `exphistogram` record: slots per sign (`param0`), the scale it
 * starts at and the zero threshold, both written into the value area before publication.
 */
export interface ExpHistogramParams {
  /** Slots per sign, 132 to 4096 (`n`, param0). */
  readonly buckets: number;
  /** The starting scale, −4 to 8; the writer lowers it when values need more range. */
  readonly scale: number;
  /** Values with `|v| ≤ zeroThreshold` are counted in the zero bucket; finite, ≥ 0. */
  readonly zeroThreshold: number;
}

/**
 * The TypeScript writer's default (spec/format-v2.md#exp-downscale): 160 slots per sign (the
 * OpenTelemetry SDK's default size), starting at scale 8 (the finest Prometheus accepts), zero
 * threshold 0 (only zeros in the zero bucket).
 */
export const DEFAULT_EXP_HISTOGRAM_PARAMS: ExpHistogramParams = { buckets: 160, scale: 8, zeroThreshold: 0 };

/** One side's buckets: `counts[j]` counts bucket `offset + j`. */
export interface ExpBuckets {
  /** The bucket index of `counts[0]`. */
  readonly offset: number;
  /** Counts of consecutive buckets; a `Float64Array` when read from a file. */
  readonly counts: Float64Array | readonly number[];
}

/** An `exphistogram` value (spec/format-v2.md#enc-exphistogram). */
export interface ExpHistogramValue {
  /** The scale `s`: base `2^(2^−s)`. */
  readonly scale: number;
  /** The zero bucket holds `|v| ≤ zeroThreshold`. */
  readonly zeroThreshold: number;
  /** Values in the zero bucket. */
  readonly zeroCount: number;
  /** Values recorded (NaN and ±∞ never are). */
  readonly count: number;
  /** Their sum. */
  readonly sum: number;
  /** The smallest; meaningless (0) while `count` is 0. */
  readonly min: number;
  /** The largest; meaningless (0) while `count` is 0. */
  readonly max: number;
  /** Buckets of positive values. */
  readonly positive: ExpBuckets;
  /** Buckets of negative values, by the index of their magnitude. */
  readonly negative: ExpBuckets;
}

/** `true` for an `exphistogram` value. */
export function isExpHistogramValue(value: unknown): value is ExpHistogramValue {
  return typeof value === 'object' && value !== null && 'positive' in value && 'zeroCount' in value;
}

/** `true` when scale and zero threshold are what a consistent copy may hold; else the record is `MMSTATS-E013`. */
export function validExpHistogramState(scale: number, zeroThreshold: number): boolean {
  const L = V2_EXP_HISTOGRAM_LIMITS;
  return Number.isInteger(scale) && scale >= L.minScale && scale <= L.maxScale && Number.isFinite(zeroThreshold) && zeroThreshold >= 0;
}

// `r(f) = 2^f` with the square root taken `s` times (spec/format-v2.md#exp-bounds): EDGES[s][f]
// for f from 0 to 2^s (the last is 2). CELLS[s][c]: the sub-bucket whose range holds the start
// of mantissa cell c of 2^(s+1), i.e. the largest f with EDGES[s][f] below the cell's start.
const EDGES: Float64Array[] = [];
const CELLS: Uint16Array[] = [];
for (let s = 1; s <= V2_EXP_HISTOGRAM_LIMITS.maxScale; s++) {
  const edges = new Float64Array((1 << s) + 1);
  for (let f = 0; f <= 1 << s; f++) edges[f] = rootOfPowerOfTwo(f, s);
  const cells = new Uint16Array(1 << (s + 1));
  for (let c = 1, f = 0; c < cells.length; c++) {
    const start = 1 + c / cells.length;
    while (edges[f + 1]! < start) f++;
    cells[c] = f;
  }
  EDGES[s] = edges;
  CELLS[s] = cells;
}

// What the hot path reads, one cell in four adjacent words so that its loads do not wait on
// each other: the cell's sub-bucket f, then the 52 mantissa bits of the edge after it,
// EDGES[s][f + 1], as the high 20 and the low 32 (2, the last edge, gets 2^20: above every
// mantissa). Scale s's cells start at word CELL_WORDS[s].
const CELL_WORDS = new Int32Array(V2_EXP_HISTOGRAM_LIMITS.maxScale + 1);
for (let s = 2; s < CELL_WORDS.length; s++) CELL_WORDS[s] = CELL_WORDS[s - 1]! + 4 * CELLS[s - 1]!.length;
const CELL_TABLE = new Uint32Array(CELL_WORDS[CELL_WORDS.length - 1]! + 4 * CELLS[CELLS.length - 1]!.length);
{
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  const high = littleEndianHost ? 1 : 0;
  for (let s = 1; s < CELL_WORDS.length; s++) {
    CELLS[s]!.forEach((f, c) => {
      const at = CELL_WORDS[s]! + 4 * c;
      bits[0] = EDGES[s]![f + 1]!;
      const last = f + 1 === 1 << s;
      CELL_TABLE[at] = f;
      CELL_TABLE[at + 1] = last ? 1 << 20 : words[high]! & 0xfffff;
      CELL_TABLE[at + 2] = last ? 0 : words[high ^ 1]!;
    });
  }
}

/** `2^f` with the square root taken `s` times: `2^(f / 2^s)` the same in every IEEE 754 language. */
function rootOfPowerOfTwo(f: number, s: number): number {
  let r = 2 ** f;
  for (let i = 0; i < s; i++) r = Math.sqrt(r);
  return r;
}

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
const HIGH = littleEndianHost ? 1 : 0;
const LOW = HIGH ^ 1;

/**
 * The bucket index of a finite magnitude `m > 0` at scale `s` (spec/format-v2.md#enc-exphistogram):
 * the `i` with `b^i < m ≤ b^(i+1)`, from the binary64 exponent and, for `s > 0`, a table of
 * the mantissa and one comparison. Exact for powers of two.
 */
export function expBucketIndex(m: number, s: number): number {
  scratch[0] = m;
  let e = ((scratchWords[HIGH]! >>> 20) & 0x7ff) - 1023;
  if (e === -1023) {
    // Subnormal: normalise by 2^64 (exact), then take 64 off the exponent.
    scratch[0] = m * 18446744073709551616;
    e = ((scratchWords[HIGH]! >>> 20) & 0x7ff) - 1023 - 64;
  }
  const mantissa = scratchWords[HIGH]! & 0xfffff;
  const low = scratchWords[LOW]!;
  if (mantissa === 0 && low === 0) return s > 0 ? (e << s) - 1 : (e - 1) >> -s;
  if (s <= 0) return e >> -s;
  const cell = CELL_WORDS[s]! + 4 * (mantissa >>> (19 - s));
  const edgeHigh = CELL_TABLE[cell + 1]!;
  // Past the one bucket edge the cell may hold? Compared as mantissa bits: the high 20 by the
  // sign of their difference (no branch to mispredict, where half the values go either way),
  // the low 32 only in the rare case of equal high bits.
  let past = (edgeHigh - mantissa) >>> 31;
  if (mantissa === edgeHigh && low > CELL_TABLE[cell + 2]!) past = 1;
  return (e << s) + CELL_TABLE[cell]! + past;
}

/** `x × 2^k` with one rounding, also where `2^k` alone is not a binary64 number (Python's `math.ldexp`). */
function ldexp(x: number, k: number): number {
  if (k > 1023) return x * 2 ** 1023 * 2 ** (k - 1023);
  if (k < -1022) return x * 2 ** -1022 * 2 ** (k + 1022);
  return x * 2 ** k;
}

/**
 * `b^i` at scale `s`, computed as spec/format-v2.md#exp-bounds says (so every reader gets the
 * same bits): exact for `s ≤ 0`, else `2^(i >> s)` times the `s`-fold square root of
 * `2^(i mod 2^s)`. May be 0 or +∞ at the ends of the binary64 range.
 */
export function expBucketLowerBound(i: number, s: number): number {
  if (s <= 0) return ldexp(1, i * 2 ** -s);
  return ldexp(EDGES[s]![i & ((1 << s) - 1)]!, i >> s);
}

/**
 * Estimates the `q`-quantile (spec/format-v2.md#enc-exphistogram, "Percentiles"): rank
 * `⌈q × count⌉` walking the negative buckets from the most negative, the zero bucket, then the
 * positive buckets; the bucket's arithmetic midpoint (0 for the zero bucket) clamped to
 * `[min, max]`. Within `(b − 1) / 2` relative error of the exact quantile outside the zero bucket.
 *
 * @param q - the quantile, 0 < q ≤ 1
 * @returns the estimate, or `undefined` when `count` is 0 or `q` is outside (0, 1]
 */
export function expHistogramQuantile(h: ExpHistogramValue, q: number): number | undefined {
  const { count, min, max, scale } = h;
  if (!(q > 0 && q <= 1) || !(count > 0)) return undefined;
  const rank = Math.ceil(q * count);
  const clamp = (x: number): number => Math.min(max, Math.max(min, x));
  const midpoint = (i: number): number => (expBucketLowerBound(i, scale) + expBucketLowerBound(i + 1, scale)) / 2;
  let running = 0;
  const neg = h.negative;
  for (let j = neg.counts.length - 1; j >= 0; j--) {
    running += neg.counts[j]!;
    if (running >= rank) return clamp(-midpoint(neg.offset + j));
  }
  running += h.zeroCount;
  if (running >= rank) return clamp(0);
  const pos = h.positive;
  for (let j = 0; j < pos.counts.length; j++) {
    running += pos.counts[j]!;
    if (running >= rank) return clamp(midpoint(pos.offset + j));
  }
  return max;
}

/**
 * Merges exponential histograms (spec/format-v2.md#enc-exphistogram, "Merging"): at the
 * smallest scale, each bucket `j` of a finer one moved to `j >> (s − smallest)`; counts, zero
 * counts, `count` and `sum` add; min of mins and max of maxes of those that recorded something.
 * The result keeps each side's buckets from its lowest non-empty one to its highest.
 *
 * @returns the merged value, or `undefined` for an empty list or different zero thresholds
 *   (such histograms MUST NOT be merged)
 */
export function mergeExpHistograms(histograms: readonly ExpHistogramValue[]): ExpHistogramValue | undefined {
  const first = histograms[0];
  if (first === undefined || histograms.some((h) => h.zeroThreshold !== first.zeroThreshold)) return undefined;
  const scale = Math.min(...histograms.map((h) => h.scale));
  let count = 0;
  let sum = 0;
  let zeroCount = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const h of histograms) {
    count += h.count;
    sum += h.sum;
    zeroCount += h.zeroCount;
    if (h.count > 0) {
      min = Math.min(min, h.min);
      max = Math.max(max, h.max);
    }
  }
  const side = (pick: (h: ExpHistogramValue) => ExpBuckets): ExpBuckets => mergeSides(histograms.map((h) => ({ buckets: pick(h), shift: h.scale - scale })));
  return {
    scale,
    zeroThreshold: first.zeroThreshold,
    zeroCount,
    count,
    sum,
    min: count > 0 ? min : 0,
    max: count > 0 ? max : 0,
    positive: side((h) => h.positive),
    negative: side((h) => h.negative),
  };
}

/**
 * `h` at the coarser scale `scale`: each bucket `j` moved to `j >> (h.scale − scale)`, as
 * merging moves them (spec/format-v2.md#enc-exphistogram, "Merging"); each side trimmed to its
 * non-empty buckets, the other fields as they are. `h` itself at its own scale.
 *
 * @throws RangeError for a `scale` finer than `h`'s (buckets cannot be split)
 */
export function expHistogramAtScale(h: ExpHistogramValue, scale: number): ExpHistogramValue {
  const shift = h.scale - scale;
  if (shift < 0) throw new RangeError(`cannot bring a histogram of scale ${h.scale} to the finer scale ${scale}`);
  if (shift === 0) return h;
  return { ...h, scale, positive: mergeSides([{ buckets: h.positive, shift }]), negative: mergeSides([{ buckets: h.negative, shift }]) };
}

/** Buckets of several histograms, each shifted down by its `shift`, added, trimmed to the non-empty range. */
function mergeSides(sides: readonly { readonly buckets: ExpBuckets; readonly shift: number }[]): ExpBuckets {
  let lo = Infinity;
  let hi = -Infinity;
  for (const { buckets, shift } of sides) {
    buckets.counts.forEach((c, j) => {
      if (c === 0) return;
      const i = (buckets.offset + j) >> shift;
      lo = Math.min(lo, i);
      hi = Math.max(hi, i);
    });
  }
  if (lo > hi) return { offset: 0, counts: new Float64Array(0) };
  const counts = new Float64Array(hi - lo + 1);
  for (const { buckets, shift } of sides) {
    buckets.counts.forEach((c, j) => {
      if (c !== 0) counts[((buckets.offset + j) >> shift) - lo]! += c;
    });
  }
  return { offset: lo, counts };
}

/**
 * Where the parts of an `exphistogram` value area are, in 8-byte words from its start (the
 * `seq` word): `count` 1, `sum` 2, `min` 3, `max` 4, `zero_threshold` 5, `zero_count` 6;
 * `scale` is the low half of word 7, the offsets the halves of word 8; slots from word 9.
 */
export const EXP_HISTOGRAM_WORDS = {
  /** `count`. */
  count: 1,
  /** `sum`. */
  sum: 2,
  /** `min`. */
  min: 3,
  /** `max`. */
  max: 4,
  /** `zero_threshold`. */
  zeroThreshold: 5,
  /** `zero_count`. */
  zeroCount: 6,
  /** `scale`, an i32 in the word's low half. */
  scale: 7,
  /** `positive_offset` and `negative_offset`, the word's two i32 halves. */
  offsets: 8,
  /** The first slot: `n` positive, then `n` negative. */
  slots: 9,
} as const;

/** What {@link expHistogramBucketOf} returns for a value of the zero bucket (no bucket index is this large). */
export const EXP_ZERO_BUCKET = 0x7fffffff;

/**
 * The bucket finite `v` goes to in the `exphistogram` value area at word `w` of `f64` (and
 * `i32`, the same memory): {@link EXP_ZERO_BUCKET} when `|v| ≤ zero_threshold`, else the index
 * of `|v|` at the current scale. The writer calls it **before** its seqlock write: only the
 * writer changes the scale, so it may read it outside, and the work overlaps the first
 * sequence store instead of waiting behind it.
 */
export function expHistogramBucketOf(f64: Float64Array, i32: Int32Array, w: number, v: number): number {
  const m = v < 0 ? -v : v;
  // The word numbers of EXP_HISTOGRAM_WORDS as literals, here and below: a writer's hot path.
  return m <= f64[w + 5]! ? EXP_ZERO_BUCKET : expBucketIndex(m, i32[2 * (w + 7)]!);
}

/**
 * Records finite `v`, whose bucket {@link expHistogramBucketOf} found, in the value area at
 * word `w` with `n` slots per sign, **without** the sequence word: the caller brackets it with
 * the seqlock (spec/format-v2.md#seqlock). `offset` is the `positive_offset` or
 * `negative_offset` of `v`'s sign as stored (a writer may pass the one it keeps: loads from the
 * value area next to the sequence store cost more than the rest of the update). A bucket
 * outside the kept slots re-bases or downscales the value in place (spec/format-v2.md#exp-downscale).
 *
 * @returns `true` when it did so: the scale or an offset changed, and a writer that keeps them refreshes its copies
 */
export function recordExpHistogram(f64: Float64Array, i32: Int32Array, w: number, n: number, v: number, bucket: number, offset: number): boolean {
  const count = f64[w + 1]!;
  f64[w + 1] = count + 1;
  f64[w + 2]! += v;
  if (count === 0 || v < f64[w + 3]!) f64[w + 3] = v;
  if (count === 0 || v > f64[w + 4]!) f64[w + 4] = v;
  if (bucket === EXP_ZERO_BUCKET) {
    f64[w + 6]! += 1;
    return false;
  }
  const side = v > 0 ? 0 : 1;
  const slot = bucket - offset;
  if (slot >= 0 && slot < n) {
    f64[w + 9 + side * n + slot]! += 1;
    return false;
  }
  f64[w + 9 + side * n + makeRoom(f64, i32, w, n, side, bucket)]! += 1;
  return true;
}

/** The stored offset of the side of `v` (`positive_offset` for `v > 0`, else `negative_offset`). */
export function expHistogramOffsetOf(i32: Int32Array, w: number, v: number): number {
  return i32[2 * (w + 8) + (v > 0 ? 0 : 1)]!;
}

/** The rare path: re-base the side, or downscale both sides first, so that bucket `index` has a slot; returns it. */
function makeRoom(f64: Float64Array, i32: Int32Array, w: number, n: number, side: number, index: number): number {
  const W = EXP_HISTOGRAM_WORDS;
  const [lo, hi] = usedRange(f64, i32, w, n, side, index);
  let d = 0;
  while ((hi >> d) - (lo >> d) + 1 > n) d++;
  if (d > 0) {
    i32[2 * (w + W.scale)]! -= d;
    place(f64, i32, w, n, 1 - side, d, undefined);
  }
  place(f64, i32, w, n, side, d, index >> d);
  return (index >> d) - i32[2 * (w + W.offsets) + side]!;
}

/** Lowest and highest bucket with a count on `side`, together with `include`. */
function usedRange(f64: Float64Array, i32: Int32Array, w: number, n: number, side: number, include: number | undefined): [number, number] {
  const offset = i32[2 * (w + EXP_HISTOGRAM_WORDS.offsets) + side]!;
  const at = w + EXP_HISTOGRAM_WORDS.slots + side * n;
  let lo = include ?? Infinity;
  let hi = include ?? -Infinity;
  for (let j = 0; j < n; j++) {
    if (f64[at + j] === 0) continue;
    lo = Math.min(lo, offset + j);
    hi = Math.max(hi, offset + j);
  }
  return [lo, hi];
}

/**
 * Moves `side`'s counts from bucket `i` to `i >> d` and centres the non-empty range (with
 * `include`) in the `n` slots, storing the new offset. The range fits: the caller chose `d`.
 */
function place(f64: Float64Array, i32: Int32Array, w: number, n: number, side: number, d: number, include: number | undefined): void {
  const offsetAt = 2 * (w + EXP_HISTOGRAM_WORDS.offsets) + side;
  const at = w + EXP_HISTOGRAM_WORDS.slots + side * n;
  const [lo, hi] = usedRange(f64, i32, w, n, side, undefined);
  const from = i32[offsetAt]!;
  const old = f64.slice(at, at + n);
  // (`>>` of ±Infinity is 0: an empty side's range must not be shifted.)
  const empty = lo > hi;
  const newLo = Math.min(empty ? Infinity : lo >> d, include ?? Infinity);
  const newHi = Math.max(empty ? -Infinity : hi >> d, include ?? -Infinity);
  if (newLo > newHi) return; // an empty side keeps its offset
  const offset = newLo - Math.floor((n - (newHi - newLo + 1)) / 2);
  f64.fill(0, at, at + n);
  old.forEach((c, j) => {
    if (c !== 0) f64[at + ((from + j) >> d) - offset]! += c;
  });
  i32[offsetAt] = offset;
}
