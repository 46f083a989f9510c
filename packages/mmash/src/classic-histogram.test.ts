// Exponential histograms as classic `le` buckets: cumulative counts at powers of two.
import test from 'ava';
import type { ExpHistogramValue } from '@mmstats/format';
import { classicBuckets, expCumulativeCounts } from './classic-histogram.js';

// At scale 1 (base √2): buckets i hold (2^(i/2), 2^((i+1)/2)]; -5 and two zeros below every bound.
const exp: ExpHistogramValue = {
  scale: 1, zeroThreshold: 0, zeroCount: 2, count: 10, sum: 0, min: -5, max: 30,
  positive: { offset: -3, counts: [1, 0, 2, 1, 0, 0, 1, 0, 0, 1, 1] }, negative: { offset: 4, counts: [1] },
};

/** The count at `2^e`, bucket by bucket: what the one pass must give for every bound. */
function countAt(histogram: ExpHistogramValue, e: number): number {
  const { negative, positive, scale } = histogram;
  let count = histogram.zeroCount;
  for (let j = 0; j < negative.counts.length; j++) count += negative.counts[j]!;
  for (let j = 0; j < positive.counts.length; j++) if (2 ** ((positive.offset + j + 1) / 2 ** scale) <= 2 ** e) count += positive.counts[j]!;
  return count;
}

test('the cumulative counts at any ascending exponents, steps of 1 or not, are those bound by bound', (t) => {
  for (const exponents of [[-3, -2, -1, 0, 1, 2, 3, 4], [-4, -1, 2, 6], [0], []]) {
    t.deepEqual([...expCumulativeCounts(exp, exponents)], exponents.map((e) => countAt(exp, e)), String(exponents));
  }
});

test("an exponential histogram's classic buckets are the counts at the default set's bounds", (t) => {
  const { bounds, counts } = classicBuckets(exp);
  t.is(bounds.length, 65);
  t.deepEqual([...counts.subarray(0, bounds.length)], bounds.map((bound) => countAt(exp, Math.log2(bound))));
});
