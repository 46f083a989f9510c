/**
 * A Meter of `@opentelemetry/api` whose instruments write mmstats records
 * (spec/files.md#otel-records): each instrument is a label, each attribute set a record added at
 * run time under the file's cardinality limit.
 *
 * @module
 */
import {
  type Attributes,
  type BatchObservableCallback,
  type Counter,
  type Gauge,
  type Histogram,
  type Meter,
  type MetricOptions,
  type Observable,
  type ObservableCounter,
  type ObservableGauge,
  type ObservableUpDownCounter,
  type UpDownCounter,
  ValueType,
} from '@opentelemetry/api';
import { prometheusUnit } from '@mmstats/format';
import { counter, type FieldDef, gauge } from '@mmstats/writer';
import { addRecord, type StatsTarget } from '@mmstats/writer/runtime';
import { NO_RECORD, warnDropped } from './dropped.js';
import { histogramRecord } from './histogram-encoding.js';
import { MmstatsCounter, MmstatsGauge, MmstatsHistogram, MmstatsUpDownCounter } from './instruments.js';
import { type CallbackRunner, MmstatsObservable, type ValueHandle } from './observables.js';
import { SCOPE_NAME_DIMENSION, SCOPE_VERSION_DIMENSION } from './scope-dimensions.js';
import { type Dims, SeriesCache } from './series-cache.js';


/** What a meter shares with its provider. */
export interface MeterContext {
  /** Where the records go. */
  readonly target: StatsTarget;
  /** Runs the observable callbacks. */
  readonly callbacks: CallbackRunner;
  /** Attribute sets remembered per instrument at most (see `SeriesCache`). */
  readonly seriesLimit: number;
}

type Kind = 'counter' | 'upDownCounter' | 'histogram' | 'gauge' | 'observableCounter' | 'observableUpDownCounter' | 'observableGauge';

/**
 * A meter: its instruments' records carry `otel.scope.name` (and `otel.scope.version`) as
 * dimensions, so two libraries' instruments of one name stay apart. An instrument asked for
 * twice (same name, case aside, and kind) is the same instrument.
 */
export class MmstatsMeter implements Meter {
  readonly #context: MeterContext;
  readonly #scope: Dims;
  readonly #instruments = new Map<string, unknown>();

  /** @internal */
  constructor(context: MeterContext, name: string, version: string | undefined) {
    this.#context = context;
    this.#scope = version ? { [SCOPE_NAME_DIMENSION]: name, [SCOPE_VERSION_DIMENSION]: version } : { [SCOPE_NAME_DIMENSION]: name };
  }

  /** A Counter: a `counter` record per attribute set. */
  createCounter<A extends Attributes = Attributes>(name: string, options?: MetricOptions): Counter<A> {
    return this.#instrument('counter', name, () => new MmstatsCounter(this.#series(name, (dims) => counter({ ...describe(options), dims })), isInteger(options)));
  }

  /** An UpDownCounter: a `gauge` record merged by `sum` per attribute set. */
  createUpDownCounter<A extends Attributes = Attributes>(name: string, options?: MetricOptions): UpDownCounter<A> {
    return this.#instrument('upDownCounter', name, () => new MmstatsUpDownCounter(this.#series(name, (dims) => gauge({ ...describe(options), dims })), isInteger(options)));
  }

  /** A Histogram: a `histogram` record per attribute set (`histogramRecord`). */
  createHistogram<A extends Attributes = Attributes>(name: string, options?: MetricOptions): Histogram<A> {
    const { unit, help } = describe(options);
    const boundaries = options?.advice?.explicitBucketBoundaries;
    return this.#instrument('histogram', name, () => new MmstatsHistogram(this.#series(name, (dims) => histogramRecord({ unit, help, boundaries, dims })), isInteger(options)));
  }

  /** A Gauge: a `gauge` record merged by `last` per attribute set. */
  createGauge<A extends Attributes = Attributes>(name: string, options?: MetricOptions): Gauge<A> {
    return this.#instrument('gauge', name, () => new MmstatsGauge(this.#series(name, (dims) => gauge({ ...describe(options, true), dims, merge: 'last' })), isInteger(options)));
  }

  /** An ObservableCounter: its callbacks' cumulative counts set a `counter` record per attribute set. */
  createObservableCounter<A extends Attributes = Attributes>(name: string, options?: MetricOptions): ObservableCounter<A> {
    return this.#instrument('observableCounter', name, () => this.#observable(name, (dims) => counter({ ...describe(options), dims })));
  }

  /** An ObservableUpDownCounter: its callbacks' levels set a `gauge` record merged by `sum` per attribute set. */
  createObservableUpDownCounter<A extends Attributes = Attributes>(name: string, options?: MetricOptions): ObservableUpDownCounter<A> {
    return this.#instrument('observableUpDownCounter', name, () => this.#observable(name, (dims) => gauge({ ...describe(options), dims })));
  }

  /** An ObservableGauge: its callbacks' values set a `gauge` record merged by `last` per attribute set. */
  createObservableGauge<A extends Attributes = Attributes>(name: string, options?: MetricOptions): ObservableGauge<A> {
    return this.#instrument('observableGauge', name, () => this.#observable(name, (dims) => gauge({ ...describe(options, true), dims, merge: 'last' })));
  }

  /** Runs `callback` at every collection; it observes into `observables` (instruments of this provider) only. */
  addBatchObservableCallback<A extends Attributes = Attributes>(callback: BatchObservableCallback<A>, observables: Observable<A>[]): void {
    this.#context.callbacks.addBatch(callback as BatchObservableCallback, observables as Observable[]);
  }

  /** Stops running `callback` registered with the same `observables`. */
  removeBatchObservableCallback<A extends Attributes = Attributes>(callback: BatchObservableCallback<A>, observables: Observable<A>[]): void {
    this.#context.callbacks.removeBatch(callback as BatchObservableCallback, observables as Observable[]);
  }

  #instrument<I>(kind: Kind, name: string, make: () => I): I {
    const key = `${kind}\u0000${name.toLowerCase()}`;
    let instrument = this.#instruments.get(key) as I | undefined;
    if (instrument === undefined) this.#instruments.set(key, (instrument = make()));
    return instrument;
  }

  #observable(name: string, record: (dims: Dims) => FieldDef<ValueHandle, unknown>): MmstatsObservable {
    return new MmstatsObservable(this.#series(name, record), this.#context.callbacks);
  }

  /** The series of instrument `name`, each attribute set's record made by `record`; a set that cannot be a record is dropped with one warning. */
  #series<H>(name: string, record: (dims: Dims) => FieldDef<H, unknown>): SeriesCache<H> {
    const { target, seriesLimit } = this.#context;
    const about = {};
    const make = (dims: Dims): H => {
      try {
        return addRecord(target, name, record(dims));
      } catch (error) {
        warnDropped(about, `instrument ${JSON.stringify(name)}: an attribute set`, error);
        return NO_RECORD as H;
      }
    };
    return new SeriesCache(make, this.#scope, seriesLimit);
  }
}

/** The unit (a Prometheus word, spec/files.md#otel-records) and help of an instrument's records. */
function describe(options: MetricOptions | undefined, gauge = false): { unit: string; help: string } {
  return { unit: prometheusUnit(options?.unit ?? '', { gauge }), help: options?.description ?? '' };
}

function isInteger(options: MetricOptions | undefined): boolean {
  return options?.valueType === ValueType.INT;
}
