/**
 * The MeterProvider: what an application gives `metrics.setGlobalMeterProvider()` so that its
 * own instruments and OpenTelemetry's instrumentations write into a stats file.
 *
 * @module
 */
import type { Attributes, Meter, MeterProvider } from '@opentelemetry/api';
import { DEFAULT_CARDINALITY_LIMIT, info, isFileNamePart, type OpenOptions, type StatsFileV2 } from '@mmstats/writer';
import { addRecord, openOwnFile, type StatsTarget } from '@mmstats/writer/runtime';
import { warnDropped } from './dropped.js';
import { MmstatsMeter } from './meter.js';
import { CallbackRunner, DEFAULT_COLLECT_INTERVAL_MS } from './observables.js';
import { defaultResource, RESOURCE_LABEL, resourceDims, SERVICE_NAME } from './resource.js';

/** Options of {@link MmstatsMeterProvider}. */
export interface MmstatsMeterProviderOptions {
  /**
   * The application's own v2 stats file (an opened file or a `StatsBuilder`): the records are
   * added to it. Default: a file of the provider's own, `{CMD}-{PID}-{TID}.otel.mmstats`,
   * opened with `file`.
   */
  readonly stats?: StatsTarget;
  /**
   * `open()` options of the provider's own file (`path`, `capacity`, `cardinalityLimit`,
   * `removeOnExit`, `slot`...). Default: the writer's defaults, except `name`, the resource's
   * `service.name` (so readers merge the file with the service's others, spec/files.md#service;
   * not an `unknown_service:` one or one the writer refuses), a capacity of 1 MiB
   * (instrumentations add many records) and `degrade: true`: a file that cannot be made leaves
   * the stats in memory with one warning rather than failing the application's start, as
   * OpenTelemetry's SDK never fails it. A slot is taken per file: an application that writes a
   * file of its own with `slot` too gives the provider that file (`stats`), so that its process is
   * one worker, not two.
   */
  readonly file?: Omit<OpenOptions<2>, 'format'>;
  /**
   * The resource's attributes, written as the `target` record (spec/files.md#otel-resource).
   * Default: {@link defaultResource} (`service.name` from `$OTEL_SERVICE_NAME`, the pairs of
   * `$OTEL_RESOURCE_ATTRIBUTES`, `telemetry.sdk.*`).
   */
  readonly resource?: Attributes;
  /** How often the observable instruments' callbacks run, on an `unref`'d timer. Default: 1000 ms; 0 for only at {@link MmstatsMeterProvider.collect}. */
  readonly collectIntervalMs?: number;
}

/** The capacity of the provider's own file unless `file.capacity` says otherwise: 1 MiB. */
export const DEFAULT_OTEL_CAPACITY = 1 << 20;

/**
 * A MeterProvider of `@opentelemetry/api` that writes into an mmstats file:
 *
 * ```ts
 * import { metrics } from '@opentelemetry/api';
 * import { MmstatsMeterProvider } from '@mmstats/otel';
 *
 * metrics.setGlobalMeterProvider(new MmstatsMeterProvider({ file: { removeOnExit: true } }));
 * ```
 *
 * Every instrument call is a few stores into the mapping, in the calling thread; nothing is
 * exported from the application: readers (mmash's `/metrics`, `mmstats`, or
 * `MmstatsMetricProducer` of `@mmstats/otel/producer` in a sidecar) merge the files of every
 * process. Nothing it does on an instrument call throws into the application.
 */
export class MmstatsMeterProvider implements MeterProvider {
  /** The file the records go to: the application's, or the provider's own. */
  readonly stats: StatsTarget;
  readonly #own: StatsFileV2 | undefined;
  readonly #callbacks: CallbackRunner;
  readonly #meters = new Map<string, MmstatsMeter>();
  readonly #seriesLimit: number;

  /** @param options - see {@link MmstatsMeterProviderOptions} */
  constructor(options: MmstatsMeterProviderOptions = {}) {
    const resource = options.resource ?? defaultResource();
    const service = resource[SERVICE_NAME];
    this.#own = options.stats === undefined ? openOwnFile('otel', { capacity: DEFAULT_OTEL_CAPACITY, degrade: true, ...serviceName(service), ...options.file }) : undefined;
    this.stats = options.stats ?? this.#own!;
    this.#callbacks = new CallbackRunner(options.collectIntervalMs ?? DEFAULT_COLLECT_INTERVAL_MS);
    // Room for every set the limit gives a record, in a few orders each, and for sets that overflow.
    this.#seriesLimit = 4 * (options.file?.cardinalityLimit ?? DEFAULT_CARDINALITY_LIMIT) + 16;
    try {
      addRecord(this.stats, RESOURCE_LABEL, info({ value: typeof service === 'string' ? service : '', encoding: 'text', dims: resourceDims(resource), merge: 'last', help: 'the OpenTelemetry resource: its attributes are the dimensions' }));
    } catch (error) {
      // A resource the format cannot hold (an empty key, too many attributes) costs only its record.
      warnDropped(this, 'the resource record', error);
    }
  }

  /** The meter of instrumentation scope `name` (and `version`): the same object for the same name and version. */
  getMeter(name: string, version?: string): Meter {
    const key = `${name}\u0000${version ?? ''}`;
    let meter = this.#meters.get(key);
    if (meter === undefined) {
      meter = new MmstatsMeter({ target: this.stats, callbacks: this.#callbacks, seriesLimit: this.#seriesLimit }, name, version);
      this.#meters.set(key, meter);
    }
    return meter;
  }

  /** Runs every observable callback now; resolves when the async ones have settled. */
  collect(): Promise<void> {
    return this.#callbacks.collect();
  }

  /** The same as {@link MmstatsMeterProvider.collect}, by the SDK's name: the values are in the file already. */
  forceFlush(): Promise<void> {
    return this.collect();
  }

  /**
   * Runs the callbacks a last time, stops their timer, and closes the provider's own file
   * (`close()`: marked `CLOSED`, left for readers; a file given as `stats` is left open).
   * Instruments keep working afterwards, in memory.
   */
  async shutdown(): Promise<void> {
    await this.collect();
    this.#callbacks.stop();
    this.#own?.close();
  }
}

/** The `name` option for the service `service`: the resource's own service name, when the writer takes it (`isFileNamePart`). */
function serviceName(service: unknown): { name?: string } {
  if (typeof service !== 'string' || service.startsWith('unknown_service') || !isFileNamePart(service)) return {};
  return { name: service };
}
