/**
 * Fields that publish a mean: `Average` (all values so far), `MovingAverage` (the last N)
 * and `Timer` (a moving average of elapsed seconds). Each is a double-buffered `d`; the
 * running state (count, total, window) stays in the writer, as in Python's mmstats.
 *
 * @module
 */
import { DoubleField } from './scalars.js';

/**
 * The mean of every value added so far, like Python's `AverageField`. `value = x` overwrites
 * what readers see without touching the running total.
 */
export class AverageField extends DoubleField {
  #count = 0;
  #total = 0;

  /** Adds a value and publishes the new mean (total / count). */
  add(value: number): void {
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
  /** How many values the window holds. */
  readonly size: number;
  readonly #window: Float64Array;
  #next = 0;
  #seen = 0;
  #sum = 0;

  /** @internal */
  constructor(label: string, size: number) {
    super(label);
    this.size = size;
    this.#window = new Float64Array(size);
  }

  /** Adds a value, dropping the oldest once the window is full, and publishes the mean. */
  add(value: number): void {
    const window = this.#window;
    const i = this.#next;
    this.#sum += value - window[i]!;
    window[i] = value;
    if (this.#seen < this.size) this.#seen += 1;
    if (i + 1 === this.size) {
      this.#next = 0;
      let sum = 0;
      for (let k = 0; k < window.length; k++) sum += window[k]!;
      this.#sum = sum;
    } else {
      this.#next = i + 1;
    }
    this.value = this.#sum / this.#seen;
  }
}

/** A clock in seconds. */
export type Clock = () => number;

/** The default timer clock: `performance.now()` in seconds (monotonic, sub-microsecond). */
export const monotonicSeconds: Clock = () => performance.now() / 1000;

/**
 * Times code and publishes the moving average of the durations in seconds, like Python's
 * `TimerField`: `start()`/`stop()`, the scoped `time(fn)` (also for async functions), and
 * `last`, the latest duration.
 */
export class TimerField extends MovingAverageField {
  readonly #clock: Clock;
  #started = NaN;
  #last = 0;

  /** @internal */
  constructor(label: string, size: number, clock: Clock) {
    super(label, size);
    this.#clock = clock;
  }

  /** Starts timing (a second `start()` restarts it). */
  start(): void {
    this.#started = this.#clock();
  }

  /**
   * Stops timing, adds the duration to the average and returns it in seconds. Without a
   * running `start()` it does nothing and returns 0.
   */
  stop(): number {
    if (Number.isNaN(this.#started)) return 0;
    const elapsed = this.#clock() - this.#started;
    this.#started = NaN;
    this.record(elapsed);
    return elapsed;
  }

  /**
   * Runs `fn` and records how long it took, also when it throws. When `fn` returns a promise
   * the time runs until it settles. Overlapping calls are fine: each keeps its own start.
   *
   * @returns what `fn` returns
   */
  time<T>(fn: () => T): T {
    const started = this.#clock();
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.record(this.#clock() - started);
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          this.record(this.#clock() - started);
          return value;
        },
        (error: unknown) => {
          this.record(this.#clock() - started);
          throw error;
        },
      ) as T;
    }
    this.record(this.#clock() - started);
    return result;
  }

  /** Records a duration measured elsewhere, in seconds. */
  record(seconds: number): void {
    this.#last = seconds;
    this.add(seconds);
  }

  /** The latest duration in seconds: the running one while timing, else the last recorded (0 before any). */
  get last(): number {
    return Number.isNaN(this.#started) ? this.#last : this.#clock() - this.#started;
  }
}
