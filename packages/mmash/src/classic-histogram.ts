/**
 * mmstats histograms as Prometheus classic histograms: a fixed `le` set per bucket scheme, so
 * that `rate()` and `histogram_quantile()` work across scrapes and files.
 *
 * @module
 */
import { DEFAULT_HISTOGRAM_PARAMS, isHistogramValue, type DistributionValue, type ExpHistogramValue, type HistogramParams } from '@mmstats/format';
import { sampleText, type ExpositionBytes } from './exposition-bytes.js';

/** The most `le` values (besides `+Inf`) a histogram gets; wider schemes use every m-th power of two. */
export const MAX_LE_BOUNDS = 128;

/** A bucket scheme's `le` bounds and, for each, how many stored buckets lie below it. */
interface LeSet {
  /** The bounds as exposed, but `+Inf`. */
  readonly labels: readonly string[];
  /** The bounds but `+Inf`, as numbers. */
  readonly values: readonly number[];
  /** The bounds' exponents (`values[b]` is `2^exponents[b]`), ascending. */
  readonly exponents: readonly number[];
  /** Index of the first stored bucket at or above each bound. */
  readonly ends: readonly number[];
}
const leSets = new Map<string, LeSet>();

/**
 * The `le` bounds mmash exposes for histograms with `params`: every power of two from
 * `2^min_exp` to `2^max_exp` (where the log-linear buckets of spec/format-v2.md#enc-histogram
 * have exact edges), then `+Inf`. The set depends only on the parameters, so it is the same at
 * every scrape and across files, as `rate()` and `histogram_quantile()` need. When the range
 * has more than {@link MAX_LE_BOUNDS} powers of two, every m-th is used (m the smallest
 * that fits, counted from `2^min_exp`; `2^max_exp` always included). The default scheme
 * (`2^−30` to `2^34`) gets 65 bounds plus `+Inf`.
 *
 * A bucket `le="2^e"` counts the values below `2^e` (the stored buckets' lower edges are
 * inclusive), where Prometheus means "at most": they differ only for values exactly equal to
 * a power of two.
 *
 * @returns the bounds as exposed (JavaScript's shortest round-trip form, e.g. `0.0009765625`, `1`, `1024`, `+Inf` last)
 */
export function histogramLeSet(params: HistogramParams): string[] {
  return [...leSetOf(params).labels, '+Inf'];
}

function leSetOf(params: HistogramParams): LeSet {
  const key = `${params.k},${params.minExp},${params.maxExp}`;
  let set = leSets.get(key);
  if (set === undefined) {
    const span = params.maxExp - params.minExp;
    const stride = Math.max(1, Math.ceil(span / (MAX_LE_BOUNDS - 1)));
    const labels: string[] = [];
    const values: number[] = [];
    const exponents: number[] = [];
    const ends: number[] = [];
    for (let e = params.minExp; ; e += stride) {
      if (e > params.maxExp) e = params.maxExp;
      values.push(2 ** e);
      exponents.push(e);
      labels.push(sampleText(2 ** e));
      // Bucket 1 + (e − min_exp) × 2^k is the first whose lower edge is 2^e.
      ends.push(1 + (e - params.minExp) * 2 ** params.k);
      if (e === params.maxExp) break;
    }
    set = { labels, values, exponents, ends };
    if (leSets.size >= 1000) leSets.clear();
    leSets.set(key, set);
  }
  return set;
}

/** A histogram's classic buckets, as {@link classicBuckets} gives them. */
export interface ClassicBuckets {
  /** The `le` bounds but `+Inf`, as exposed in text (`0.0009765625`, `1`, `1024`). */
  readonly labels: readonly string[];
  /** The same bounds as numbers. */
  readonly bounds: readonly number[];
  /** The values at most each bound, cumulative; `counts[b]` for `bounds[b]` (a scratch array: read it before the next call). */
  readonly counts: Float64Array;
}

/** The scratch `counts` of {@link classicBuckets}: every `le` set has at most `MAX_LE_BOUNDS` bounds but `+Inf`. */
const scratchCounts = new Float64Array(MAX_LE_BOUNDS);

/**
 * The classic buckets of one histogram series: the bounds of {@link histogramLeSet} (but
 * `+Inf`, whose count is the histogram's `count`) and the cumulative count at each. An
 * exponential histogram (spec/format-v2.md#enc-exphistogram) gets the `le` set of the default
 * log-linear scheme, every power of two from 2^−30 to 2^34, whatever its scale, so that the
 * set stays the same while its scale drops and across files; see {@link expCumulativeCounts}.
 */
export function classicBuckets(histogram: DistributionValue): ClassicBuckets {
  const counts = scratchCounts;
  if (isHistogramValue(histogram)) {
    const { labels, values, ends } = leSetOf(histogram.params);
    const buckets = histogram.buckets;
    let running = 0;
    let i = 0;
    for (let b = 0; b < ends.length; b++) {
      const end = Math.min(ends[b]!, buckets.length);
      for (; i < end; i++) running += buckets[i]!;
      counts[b] = running;
    }
    return { labels, bounds: values, counts };
  }
  const { labels, values, exponents } = leSetOf(DEFAULT_HISTOGRAM_PARAMS);
  return { labels, bounds: values, counts: expCumulativeCounts(histogram, exponents, counts) };
}

/**
 * Writes the samples of one histogram series into `out`: its cumulative `_bucket` lines (the
 * bounds of {@link classicBuckets}, then `+Inf`), `_sum` and `_count`.
 *
 * @param labelText - the series' labels, rendered, without braces
 */
export function writeHistogramSamples(out: ExpositionBytes, name: string, labelText: string, histogram: DistributionValue): void {
  const head = `${name}_bucket{${labelText},le="`;
  const { labels, counts } = classicBuckets(histogram);
  for (let b = 0; b < labels.length; b++) {
    out.text(`${head}${labels[b]!}"} `);
    out.sample(counts[b]!);
    out.text('\n');
  }
  out.text(`${head}+Inf"} `);
  out.sample(histogram.count);
  out.text(`\n${name}_sum{${labelText}} `);
  out.sample(histogram.sum);
  out.text(`\n${name}_count{${labelText}} `);
  out.sample(histogram.count);
  out.text('\n');
}

/**
 * The values of an exponential histogram at most `2^e` for each `e` of `exponents` (ascending),
 * in one pass over its buckets: every negative one, the zero bucket, and the positive buckets
 * `i` whose upper edge `b^(i+1)` is at most `2^e`, i.e. `i ≤ ⌊e × 2^scale⌋ − 1`. Exact at
 * scales 0 and above, where every power of two is a bucket edge (and the buckets,
 * `(b^i, b^(i+1)]`, include their upper edge as `le` does); below 0 a bucket that straddles
 * `2^e` is left to the next bound.
 *
 * @param counts - where the count at `2^exponents[b]` goes, at `b` (default: a new array)
 * @returns `counts`
 */
export function expCumulativeCounts(histogram: ExpHistogramValue, exponents: readonly number[], counts = new Float64Array(exponents.length)): Float64Array {
  let running = histogram.zeroCount;
  for (const c of histogram.negative.counts) running += c;
  const { offset, counts: positive } = histogram.positive;
  const perExponent = 2 ** histogram.scale;
  let j = 0;
  for (let b = 0; b < exponents.length; b++) {
    const last = Math.floor(exponents[b]! * perExponent) - 1;
    for (; j < positive.length && offset + j <= last; j++) running += positive[j]!;
    counts[b] = running;
  }
  return counts;
}
