/**
 * Fields that publish a mean: `Average` (all values so far), `MovingAverage` (the last N)
 * and `Timer` (a moving average of elapsed seconds). Each is a double-buffered `d`; the
 * running state (count, total, window) stays in the writer, as in Python's mmstats.
 *
 * @module
 */
import { MovingMean } from '../common/moving-mean.js';
import { TAKES, isFiniteNumber } from '../common/rejected-values.js';
import type { Clock } from '../common/stopwatch.js';
import { startTiming, timing } from '../common/timing.js';
import { DoubleField } from './scalars.js';

/**
 * The mean of every value added so far, like Python's `AverageField`. `value = x` overwrites
 * what readers see without touching the running total.
 */
export class AverageField extends DoubleField {
  #count = 0;
  #total = 0;

  /** Adds a value and publishes the new mean (total / count); NaN, ±Infinity or a non-number is ignored and counted. */
  add(value: number): void {
    if (!isFiniteNumber(value)) {
      this.rejections.reject(value, TAKES.number);
      return;
    }
    this.#count += 1;
    this.#total += value;
    this.value = this.#total / this.#count;
  }
}

/**
 * The mean of the last `size` values, like Python's `MovingAverageField`; until `size` values
 * have come it is the mean of those seen. The window sum is kept running (O(1) per add) and
 * recomputed from the window each time it wraps, so rounding never drifts.
 */
export class MovingAverageField extends DoubleField {
  readonly #mean: MovingMean;

  /** @internal */
  constructor(label: string, size: number) {
    super(label);
    this.#mean = new MovingMean(size);
  }

  /** How many values the window holds. */
  get size(): number {
    return this.#mean.size;
  }

  /** Adds a value, dropping the oldest once the window is full, and publishes the mean; NaN, ±Infinity or a non-number is ignored and counted. */
  add(value: number): void {
    if (!isFiniteNumber(value)) {
      this.rejections.reject(value, TAKES.number);
      return;
    }
    this.value = this.#mean.push(value);
  }
}

/**
 * Times code and publishes the moving average of the durations in seconds, like Python's
 * `TimerField`: `start()`/`stop()`, the scoped `time(fn)` (also for async functions), and
 * `last`, the latest duration.
 */
export class TimerField extends timing(MovingAverageField, (average, seconds) => average.add(seconds)) {
  /** @internal */
  constructor(label: string, size: number, clock: Clock) {
    super(label, size);
    this[startTiming](clock);
  }
}
