/**
 * The asynchronous instruments of `@opentelemetry/api` (ObservableCounter,
 * ObservableUpDownCounter, ObservableGauge) and the timer that runs their callbacks.
 *
 * @module
 */
import type {
  Attributes,
  BatchObservableCallback,
  BatchObservableResult,
  Observable,
  ObservableCallback,
  ObservableCounter,
  ObservableGauge,
  ObservableResult,
  ObservableUpDownCounter,
} from '@opentelemetry/api';
import { warnDropped } from './dropped.js';
import type { SeriesCache } from './series-cache.js';

/** The default of `collectIntervalMs`: callbacks run every second. */
export const DEFAULT_COLLECT_INTERVAL_MS = 1000;

/** A handle an observation sets: a counter's or gauge's `value`. */
export interface ValueHandle {
  /** The value readers see. */
  value: number;
}

/**
 * An observable instrument: its callbacks' observations set the value of the attribute set's
 * record (a cumulative count for ObservableCounter, `counter`/`sum`; a level for
 * ObservableUpDownCounter, `gauge`/`sum`; ObservableGauge, `gauge`/`last`). NaN and ±Infinity
 * are dropped.
 */
export class MmstatsObservable implements ObservableCounter, ObservableUpDownCounter, ObservableGauge {
  readonly #series: SeriesCache<ValueHandle>;
  readonly #callbacks: CallbackRunner;
  readonly #result: ObservableResult;

  /** @internal */
  constructor(series: SeriesCache<ValueHandle>, callbacks: CallbackRunner) {
    this.#series = series;
    this.#callbacks = callbacks;
    this.#result = { observe: (value, attributes) => this.observe(value, attributes) };
  }

  /** Runs `callback` at every collection with this instrument's result (`observe(value, attributes)`). */
  addCallback(callback: ObservableCallback): void {
    this.#callbacks.add(this, callback, () => callback(this.#result));
  }

  /** Stops running `callback`. */
  removeCallback(callback: ObservableCallback): void {
    this.#callbacks.remove(this, callback);
  }

  /**
   * Sets the series of `attributes` to `value`.
   *
   * @internal
   */
  observe(value: number, attributes?: Attributes): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) return;
    try {
      this.#series.get(attributes).value = value;
    } catch {
      // A getter on the attributes that throws: the observation is lost.
    }
  }
}

/** The result a batch callback observes through: only into the instruments it was registered with, as OpenTelemetry's SDK does. */
function batchResult(observables: readonly Observable[]): BatchObservableResult {
  const allowed = new Set(observables);
  return {
    observe(observable, value, attributes) {
      if (allowed.has(observable) && observable instanceof MmstatsObservable) observable.observe(value, attributes);
    },
  };
}

/** A registered callback: whose it is, how to run it, and whether its last run is still pending. */
interface Entry {
  readonly owner: object;
  readonly callback: object;
  readonly run: () => unknown;
  pending: boolean;
}

/**
 * Runs the registered callbacks every `intervalMs` on an `unref`'d timer (it never keeps the
 * process alive), started with the first callback and stopped when none is left. A callback
 * that throws or whose promise rejects is reported once (`MMSTATS-W204`) and run again at the
 * next collection; an async callback still pending is not started again until it settles.
 */
export class CallbackRunner {
  readonly #intervalMs: number;
  #entries: Entry[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #stopped = false;

  /** @param intervalMs - between collections; 0 for none but {@link CallbackRunner.collect} */
  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** Registers `callback` of `owner` (an instrument, or the observables of a batch callback), run as `run`; again does nothing. */
  add(owner: object, callback: object, run: () => unknown): void {
    if (this.#stopped || this.#entries.some((e) => e.callback === callback && sameOwner(e.owner, owner))) return;
    this.#entries.push({ owner, callback, run, pending: false });
    if (this.#timer === undefined && this.#intervalMs > 0) {
      this.#timer = setInterval(() => void this.collect(), this.#intervalMs);
      this.#timer.unref();
    }
  }

  /** Registers a batch callback with the observables it observes (one registration per callback and list, as in OpenTelemetry's SDK). */
  addBatch(callback: BatchObservableCallback, observables: readonly Observable[]): void {
    const result = batchResult(observables);
    this.add([...observables], callback, () => callback(result));
  }

  /** Unregisters a batch callback registered with the same observables. */
  removeBatch(callback: BatchObservableCallback, observables: readonly Observable[]): void {
    this.remove(observables, callback);
  }

  /** Unregisters `callback` of `owner`. */
  remove(owner: object, callback: object): void {
    this.#entries = this.#entries.filter((e) => e.callback !== callback || !sameOwner(e.owner, owner));
    if (this.#entries.length === 0) this.#stopTimer();
  }

  /** Runs every callback not still pending; resolves when the async ones have settled. */
  async collect(): Promise<void> {
    const waits: Promise<unknown>[] = [];
    for (const entry of this.#entries) {
      const key = entry.callback;
      if (entry.pending) continue;
      let returned: unknown;
      try {
        returned = entry.run();
      } catch (error) {
        warnDropped(key, 'an observable callback threw: what it observed', error);
        continue;
      }
      if (isThenable(returned)) {
        entry.pending = true;
        waits.push(
          Promise.resolve(returned).then(
            () => (entry.pending = false),
            (error: unknown) => {
              entry.pending = false;
              warnDropped(key, 'an observable callback rejected: what it observed', error);
            },
          ),
        );
      }
    }
    await Promise.all(waits);
  }

  /** Stops the timer for good; callbacks added later are not run. */
  stop(): void {
    this.#stopped = true;
    this.#entries = [];
    this.#stopTimer();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** Whether two owners are the same: the same instrument, or lists of the same observables in the same order. */
function sameOwner(a: object, b: object): boolean {
  if (a === b) return true;
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((o, i) => o === b[i]);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
