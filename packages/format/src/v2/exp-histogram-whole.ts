/**
 * Storing an exponential histogram whole, as a cleaner writes the merged value of dead writers
 * into an archive (spec/files.md#archive-exphistogram): the record parameters that hold the
 * value, and the seqlocked store of every field at once. A writer's updates go through
 * `observeV2ExpHistogram` instead.
 *
 * @module
 */
import { EXP_HISTOGRAM_WORDS, V2_EXP_HISTOGRAM_LIMITS, mergeExpHistograms, validExpHistogramState, type ExpBuckets, type ExpHistogramParams, type ExpHistogramValue } from './exp-histogram.js';
import type { V2RecordLayout } from './records.js';
import { beginV2Write, endV2Write } from './seqlock.js';
import type { V2StatsBytes } from './views.js';

/** An `exphistogram` value and the record parameters that hold it, from {@link fitExpHistogram}. */
export interface FittedExpHistogram {
  /** Slots per sign, the value's scale and zero threshold: an `exponential` record spec. */
  readonly params: ExpHistogramParams;
  /** The value, downscaled when its buckets did not fit 4096 slots; else the value given. */
  readonly value: ExpHistogramValue;
}

/**
 * The record that holds `value` whole (spec/files.md#archive-exphistogram): `n` is the larger
 * of `minBuckets` and the widest side's span (its lowest to its highest non-empty bucket).
 * When that span is over 4096 (the limit of `n`), the value is first downscaled by the
 * smallest `d ≥ 1` that brings both sides within 4096 (`(hi >> d) − (lo >> d) + 1`, as
 * spec/format-v2.md#exp-downscale), the only case where the value changes: its counts stay,
 * in coarser buckets.
 *
 * @param minBuckets - the fewest slots to use, 132 to 4096 (an archive passes the largest `n`
 *   of the records it merged)
 * @throws RangeError for `minBuckets` outside 132…4096, a scale or zero threshold no record can
 *   hold, or buckets no downscaling to scale −4 brings within 4096 (no file's value has such)
 */
export function fitExpHistogram(value: ExpHistogramValue, minBuckets: number): FittedExpHistogram {
  const L = V2_EXP_HISTOGRAM_LIMITS;
  if (!(Number.isInteger(minBuckets) && minBuckets >= L.minBuckets && minBuckets <= L.maxBuckets)) throw new RangeError(`an exphistogram has ${L.minBuckets} to ${L.maxBuckets} slots per sign, not ${minBuckets}`);
  if (!validExpHistogramState(value.scale, value.zeroThreshold)) throw new RangeError(`no exphistogram record holds scale ${value.scale} with zero threshold ${value.zeroThreshold}`);
  const ranges = [nonEmptyRange(value.positive), nonEmptyRange(value.negative)];
  let d = 0;
  while (Math.max(...ranges.map((r) => spanAfter(r, d))) > L.maxBuckets) d++;
  // Unreachable from values read from files: at scale −4 every finite magnitude is in 132 buckets.
  if (value.scale - d < L.minScale) throw new RangeError(`buckets ${JSON.stringify(ranges)} span more than ${L.maxBuckets} even at scale ${L.minScale}`);
  // Merging with an empty histogram `d` scales coarser is downscaling by `d` (spec "Merging").
  const fitted = d === 0 ? value : mergeExpHistograms([value, { ...EMPTY, scale: value.scale - d, zeroThreshold: value.zeroThreshold }])!;
  const buckets = Math.max(minBuckets, ...ranges.map((r) => spanAfter(r, d)));
  return { params: { buckets, scale: fitted.scale, zeroThreshold: fitted.zeroThreshold }, value: fitted };
}

const EMPTY: ExpHistogramValue = { scale: 0, zeroThreshold: 0, zeroCount: 0, count: 0, sum: 0, min: 0, max: 0, positive: { offset: 0, counts: [] }, negative: { offset: 0, counts: [] } };

/** The lowest and highest bucket index with a count, `undefined` when none has. */
function nonEmptyRange(buckets: ExpBuckets): readonly [number, number] | undefined {
  let lo: number | undefined;
  let hi = 0;
  buckets.counts.forEach((c, j) => {
    if (c === 0) return;
    lo ??= buckets.offset + j;
    hi = buckets.offset + j;
  });
  return lo === undefined ? undefined : [lo, hi];
}

function spanAfter(range: readonly [number, number] | undefined, d: number): number {
  return range === undefined ? 0 : (range[1] >> d) - (range[0] >> d) + 1;
}

/**
 * Sets a whole `exphistogram` value (spec/format-v2.md#enc-exphistogram) under the seqlock, as
 * one change readers see whole: `count`, `sum`, `min`, `max`, `zero_count`, `scale`, and on
 * each side the non-empty buckets centred in the `n` slots, `offset = lo − ⌊(n − span) / 2⌋`
 * as a re-base places them (spec/files.md#archive-exphistogram); an empty side gets offset 0.
 * For files written in one go (a cleaner's archive), not for a writer's updates. The zero
 * threshold is the record's, written before publication (`planV2Record`'s `exponential`).
 *
 * @throws TypeError when the record is no `exphistogram`; RangeError when `value` has another
 *   zero threshold than the record, a scale out of range, or a side whose buckets span more
 *   than the record's `n` (see {@link fitExpHistogram})
 */
export function writeV2ExpHistogram(file: V2StatsBytes, record: V2RecordLayout, value: ExpHistogramValue): void {
  const shown = JSON.stringify(record.label);
  if (record.encodingName !== 'exphistogram') throw new TypeError(`record ${shown} is not an exphistogram (${record.encodingName})`);
  const W = EXP_HISTOGRAM_WORDS;
  const n = record.params[0];
  const w = record.valueOffset >> 3;
  const { f64, i32 } = file;
  if (value.zeroThreshold !== f64[w + W.zeroThreshold]) throw new RangeError(`record ${shown} has zero threshold ${f64[w + W.zeroThreshold]}, the value ${value.zeroThreshold}`);
  if (!validExpHistogramState(value.scale, value.zeroThreshold)) throw new RangeError(`record ${shown}: scale ${value.scale} out of range`);
  const sides = [value.positive, value.negative].map((buckets) => {
    const range = nonEmptyRange(buckets);
    const span = spanAfter(range, 0);
    if (span > n) throw new RangeError(`record ${shown} has ${n} slots per sign, the value's buckets span ${span}`);
    return { buckets, offset: range === undefined ? 0 : range[0] - Math.floor((n - span) / 2) };
  });
  const s = beginV2Write(file, record.valueOffset);
  f64[w + W.count] = value.count;
  f64[w + W.sum] = value.sum;
  f64[w + W.min] = value.min;
  f64[w + W.max] = value.max;
  f64[w + W.zeroCount] = value.zeroCount;
  i32[2 * (w + W.scale)] = value.scale;
  sides.forEach(({ buckets, offset }, side) => {
    const at = w + W.slots + side * n;
    i32[2 * (w + W.offsets) + side] = offset;
    f64.fill(0, at, at + n);
    buckets.counts.forEach((c, j) => {
      if (c !== 0) f64[at + buckets.offset + j - offset] = c;
    });
  });
  endV2Write(file, record.valueOffset, s);
}
