/**
 * v2 timers: histograms of durations in seconds, of either encoding, with a stopwatch
 * (`start()`/`stop()`, the scoped `time(fn)`, `record(seconds)`). The timing methods are
 * written once ({@link timing}) over the histogram handle they feed.
 *
 * @module
 */
import type { ExpHistogramParams, HistogramParams } from '@mmstats/format';
import { Stopwatch, type Clock } from '../common/stopwatch.js';
import { ExpHistogramV2, HistogramV2 } from './composites.js';

/**
 * A histogram handle class a timer can be made of: anything that records a value with
 * `observe`. (`any[]`: what TypeScript requires of a mixin's base constructor.)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Observing = abstract new (...args: any[]) => {
  /** Records a value: the histogram's update, under its seqlock. */
  observe(value: number): void;
};

/**
 * The timing methods over a histogram handle class: each duration measured goes to its
 * `observe`, timed by the subclass's `clock`.
 */
function timing<H extends Observing>(Histogram: H) {
  abstract class Timed extends Histogram {
    /** The clock this timer reads, in seconds. */
    abstract readonly clock: Clock;
    #stopwatch: Stopwatch | undefined;

    // Made at first use: the subclass's `clock` is set after this class's constructor ran.
    get #watch(): Stopwatch {
      return (this.#stopwatch ??= new Stopwatch(this.clock, (seconds) => this.observe(seconds)));
    }

    /** Starts timing (a second `start()` restarts it). */
    start(): void {
      this.#watch.start();
    }

    /** Stops timing, records the duration and returns it in seconds (0 without a running `start()`). */
    stop(): number {
      return this.#watch.stop();
    }

    /**
     * Runs `fn` and records how long it took, also when it throws; a promise is timed until it
     * settles. Overlapping calls are fine.
     *
     * @returns what `fn` returns
     */
    time<T>(fn: () => T): T {
      return this.#watch.time(fn);
    }

    /** Records a duration measured elsewhere, in seconds. */
    record(seconds: number): void {
      this.#watch.record(seconds);
    }

    /** The latest duration in seconds: the running one while timing, else the last recorded (0 before any). */
    get last(): number {
      return this.#watch.last;
    }
  }
  return Timed;
}

/**
 * A v2 `timer` (`timer()`): a log-linear histogram of durations in seconds (unit `seconds`
 * unless set otherwise), with `start()`/`stop()`, the scoped `time(fn)` (also for async
 * functions) and `record(seconds)`.
 */
export class TimerV2 extends timing(HistogramV2) {
  /** The clock this timer reads, in seconds. */
  readonly clock: Clock;

  /** @internal */
  constructor(label: string, params: HistogramParams, clock: Clock) {
    super(label, params, 'timer');
    this.clock = clock;
  }
}

/**
 * A v2 `timer` of the `exphistogram` encoding (`timer({ encoding: 'exponential' })`): durations
 * in OpenTelemetry's and Prometheus' native base-2 buckets (spec/format-v2.md#enc-exphistogram),
 * with the same timing methods as {@link TimerV2}.
 */
export class ExpTimerV2 extends timing(ExpHistogramV2) {
  /** The clock this timer reads, in seconds. */
  readonly clock: Clock;

  /** @internal */
  constructor(label: string, params: ExpHistogramParams, clock: Clock) {
    super(label, params, 'timer');
    this.clock = clock;
  }
}
