/**
 * The timing methods every timer has, in both formats (`start()`/`stop()`, the scoped
 * `time(fn)`, `record(seconds)`, `last`), written once over the field class that keeps the
 * durations: v1 `TimerField` (a moving average), v2 `TimerV2` and `ExpTimerV2` (histograms).
 *
 * @module
 */
import { Stopwatch, type Clock } from './stopwatch.js';

/** A field class a timer can be made of. (`any[]`: what TypeScript requires of a mixin's base constructor.) */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FieldClass = abstract new (...args: any[]) => object;

/** The method a timer's constructor starts its stopwatch with (a symbol: not part of the package's API). */
export const startTiming = Symbol('startTiming');

/**
 * The timing methods of every timer over the field class that holds its durations: each
 * duration measured goes to `keep` (a v2 histogram's `observe`, a
 * v1 moving average's `add`).
 */
export function timing<F extends FieldClass>(Field: F, keep: (field: InstanceType<F>, seconds: number) => void) {
  abstract class Timed extends Field {
    #watch!: Stopwatch;

    /** @internal Starts the stopwatch on `clock`: the subclass's constructor calls it, once. */
    [startTiming](clock: Clock): void {
      this.#watch = new Stopwatch(clock, (seconds) => keep(this as InstanceType<F>, seconds));
    }

    /** Starts timing (a second `start()` restarts it). */
    start(): void {
      this.#watch.start();
    }

    /** Stops timing, keeps the duration and returns it in seconds (0 without a running `start()`). */
    stop(): number {
      return this.#watch.stop();
    }

    /**
     * Runs `fn` and keeps how long it took, also when it throws; a promise is timed until it
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

