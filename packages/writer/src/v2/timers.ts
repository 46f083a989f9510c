/**
 * v2 timers: histograms of durations in seconds, of either encoding, with a stopwatch
 * (`start()`/`stop()`, the scoped `time(fn)`, `record(seconds)`): the timing methods of
 * `common/timing.ts` over the histogram handle they feed.
 *
 * @module
 */
import type { ExpHistogramParams, HistogramParams } from '@mmstats/format';
import type { Clock } from '../common/stopwatch.js';
import { startTiming, timing } from '../common/timing.js';
import { ExpHistogramV2, HistogramV2 } from './composites.js';

/**
 * A v2 `timer` (`timer()`): a log-linear histogram of durations in seconds (unit `seconds`
 * unless set otherwise), with `start()`/`stop()`, the scoped `time(fn)` (also for async
 * functions) and `record(seconds)`.
 */
export class TimerV2 extends timing(HistogramV2, (histogram, seconds) => histogram.observe(seconds)) {
  /** @internal */
  constructor(label: string, params: HistogramParams, clock: Clock) {
    super(label, params, 'timer');
    this[startTiming](clock);
  }
}

/**
 * A v2 `timer` of the `exphistogram` encoding (`timer({ encoding: 'exponential' })`): durations
 * in OpenTelemetry's and Prometheus' native base-2 buckets (spec/format-v2.md#enc-exphistogram),
 * with the same timing methods as {@link TimerV2}.
 */
export class ExpTimerV2 extends timing(ExpHistogramV2, (histogram, seconds) => histogram.observe(seconds)) {
  /** @internal */
  constructor(label: string, params: ExpHistogramParams, clock: Clock) {
    super(label, params, 'timer');
    this[startTiming](clock);
  }
}
