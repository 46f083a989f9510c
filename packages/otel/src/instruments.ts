/**
 * The synchronous instruments of `@opentelemetry/api` (Counter, UpDownCounter, Histogram,
 * Gauge) over mmstats record handles: each call finds its attribute set's handle
 * ({@link SeriesCache}) and makes one store into the mapping.
 *
 * @module
 */
import type { Attributes, Counter, Gauge, Histogram, UpDownCounter } from '@opentelemetry/api';
import type { CounterV2, ExpHistogramV2, GaugeV2, HistogramV2 } from '@mmstats/writer';
import type { SeriesCache } from './series-cache.js';

/**
 * A Counter: `add(n)` adds to the record of the attribute set (kind `counter`, merge `sum`).
 * Negative, NaN and infinite steps are dropped (the writer counts them in
 * `mmstats.rejected_values`, spec/files.md#bad-values); nothing throws.
 */
export class MmstatsCounter implements Counter {
  readonly #series: SeriesCache<CounterV2>;
  readonly #integer: boolean;

  /** @internal */
  constructor(series: SeriesCache<CounterV2>, integer: boolean) {
    this.#series = series;
    this.#integer = integer;
  }

  /** Adds `value` (≥ 0; truncated for an `INT` instrument) to the series of `attributes`. */
  add(value: number, attributes?: Attributes): void {
    try {
      this.#series.get(attributes).incr(this.#integer ? Math.trunc(value) : value);
    } catch {
      // A getter on the attributes that throws: the update is lost, the application goes on.
    }
  }
}

/** An UpDownCounter: `add(n)` adds `n` (of either sign) to a `gauge` merged by `sum`; NaN and ±Infinity are dropped. */
export class MmstatsUpDownCounter implements UpDownCounter {
  readonly #series: SeriesCache<GaugeV2>;
  readonly #integer: boolean;

  /** @internal */
  constructor(series: SeriesCache<GaugeV2>, integer: boolean) {
    this.#series = series;
    this.#integer = integer;
  }

  /** Adds `value` (truncated for an `INT` instrument) to the series of `attributes`. */
  add(value: number, attributes?: Attributes): void {
    try {
      this.#series.get(attributes).inc(this.#integer ? Math.trunc(value) : value);
    } catch {
      // As in MmstatsCounter.add.
    }
  }
}

/**
 * A Histogram: `record(x)` adds `x` to the series' histogram, exponential unless the
 * instrument's advice gives boundaries (`histogramRecord`). Negative values are dropped, as OpenTelemetry's SDK drops them; NaN and
 * ±Infinity are dropped and counted by the writer.
 */
export class MmstatsHistogram implements Histogram {
  readonly #series: SeriesCache<HistogramV2 | ExpHistogramV2>;
  readonly #integer: boolean;

  /** @internal */
  constructor(series: SeriesCache<HistogramV2 | ExpHistogramV2>, integer: boolean) {
    this.#series = series;
    this.#integer = integer;
  }

  /** Records `value` (≥ 0; truncated for an `INT` instrument) in the series of `attributes`. */
  record(value: number, attributes?: Attributes): void {
    try {
      if (value < 0) return;
      this.#series.get(attributes).observe(this.#integer ? Math.trunc(value) : value);
    } catch {
      // As in MmstatsCounter.add.
    }
  }
}

/** A Gauge: `record(x)` sets the series' `gauge` (merged by `last`); NaN and ±Infinity are dropped. */
export class MmstatsGauge implements Gauge {
  readonly #series: SeriesCache<GaugeV2>;
  readonly #integer: boolean;

  /** @internal */
  constructor(series: SeriesCache<GaugeV2>, integer: boolean) {
    this.#series = series;
    this.#integer = integer;
  }

  /** Sets the series of `attributes` to `value` (truncated for an `INT` instrument). */
  record(value: number, attributes?: Attributes): void {
    try {
      if (!Number.isFinite(value)) return;
      this.#series.get(attributes).set(this.#integer ? Math.trunc(value) : value);
    } catch {
      // As in MmstatsCounter.add.
    }
  }
}
