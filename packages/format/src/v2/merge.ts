/**
 * Merging the values of one record from several v2 files (every thread and process of a
 * service) by its merge rule (spec/format-v2.md#merge). Grouping records across files is the
 * reader's (its merged snapshots).
 *
 * @module
 */
import { mergeExpHistograms, type ExpHistogramValue } from './exp-histogram.js';
import { mergeHistograms, type HistogramValue } from './histogram.js';
import type { AverageValue, V2Value } from './values.js';
import { mergeWindows, type WindowValue } from './window.js';

/**
 * Merges values of one encoding by rule `sum`, `min`, `max` or `avg`
 * (spec/format-v2.md#merge). Scalars: all-bigint lists stay bigint (exact), except `avg`,
 * which is a number. Composite values merge component-wise whatever the rule.
 *
 * @returns the merged value, or `undefined` for an empty list, histograms / windows of different
 *   parameters, or exponential histograms of different zero thresholds (different scales merge)
 */
export function mergeValues(encoding: string, rule: string, values: readonly V2Value[]): V2Value | undefined {
  if (values.length === 0) return undefined;
  switch (encoding) {
    case 'average': {
      const list = values as readonly AverageValue[];
      return { sum: list.reduce((n, v) => n + v.sum, 0), count: list.reduce((n, v) => n + v.count, 0) };
    }
    case 'histogram':
      return mergeHistograms(values as readonly HistogramValue[]);
    case 'exphistogram':
      return mergeExpHistograms(values as readonly ExpHistogramValue[]);
    case 'window':
      return mergeWindows(values as readonly WindowValue[]);
    default:
      return mergeScalars(rule, values as readonly (number | bigint)[]);
  }
}

function mergeScalars(rule: string, values: readonly (number | bigint)[]): number | bigint | undefined {
  if (values.every((v) => typeof v === 'bigint')) {
    const list = values as readonly bigint[];
    switch (rule) {
      case 'sum': return list.reduce((a, b) => a + b, 0n);
      case 'min': return list.reduce((a, b) => (b < a ? b : a));
      case 'max': return list.reduce((a, b) => (b > a ? b : a));
      case 'avg': return Number(list.reduce((a, b) => a + b, 0n)) / list.length;
    }
    return undefined;
  }
  const list = values.map(Number);
  switch (rule) {
    case 'sum': return list.reduce((a, b) => a + b, 0);
    case 'min': return Math.min(...list);
    case 'max': return Math.max(...list);
    case 'avg': return list.reduce((a, b) => a + b, 0) / list.length;
  }
  return undefined;
}
