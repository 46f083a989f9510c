/**
 * Timing for the timer fields of both formats (v1 `TimerField`, a moving average of
 * durations; v2 `TimerV2`, a histogram of them): start/stop, a scoped `time(fn)`, and the
 * latest duration. Where a duration goes is the field's business: the stopwatch hands each
 * one to `record`.
 *
 * @module
 */

/** A clock in seconds; only differences between its readings are used. */
export type Clock = () => number;

/** The default clock: `performance.now()` in seconds (monotonic, sub-microsecond). */
export const monotonicSeconds: Clock = () => performance.now() / 1000;

/** Start/stop timing that reports each measured duration, in seconds, to `record`. */
export class Stopwatch {
  readonly #clock: Clock;
  readonly #record: (seconds: number) => void;
  #started = NaN;
  #last = 0;

  /**
   * @param clock - where time comes from
   * @param record - called with every duration measured or recorded
   */
  constructor(clock: Clock, record: (seconds: number) => void) {
    this.#clock = clock;
    this.#record = record;
  }

  /** Starts timing (a second `start()` restarts it). */
  start(): void {
    this.#started = this.#clock();
  }

  /** Stops timing, records the duration and returns it in seconds; without a running `start()`, does nothing and returns 0. */
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
    this.#record(seconds);
  }

  /** The latest duration in seconds: the running one while timing, else the last recorded (0 before any). */
  get last(): number {
    return Number.isNaN(this.#started) ? this.#last : this.#clock() - this.#started;
  }
}
