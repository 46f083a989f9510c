/**
 * `@mmstats/otel/producer`: the stats files of every process of a service, merged, as
 * OpenTelemetry metrics, for any exporter of `@opentelemetry/sdk-metrics` (OTLP included) to
 * ship from a sidecar, never from the application:
 *
 * ```ts
 * import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
 * import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
 * import { MmstatsMetricProducer } from '@mmstats/otel/producer';
 *
 * const producer = new MmstatsMetricProducer({ paths: ['/run/shop'] });
 * const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), metricProducers: [producer] });
 * new MeterProvider({ resource: await producer.resource(), readers: [reader] });
 * ```
 *
 * @module
 */
import { type Attributes, type HrTime, ValueType } from '@opentelemetry/api';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type CollectionResult,
  type DataPoint,
  DataPointType,
  type ExponentialHistogram,
  type Histogram,
  type MetricData,
  type MetricProducer,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { bucketBounds, type ExpBuckets, type ExpHistogramValue, type HistogramValue, isExpHistogramValue, isHistogramValue, ucumUnit } from '@mmstats/format';
import { type FindOptions, findStatsFiles, type MergedField, mergeSnapshots, scanStats, type StatsSnapshot } from '@mmstats/reader';
import { SCOPE_NAME_DIMENSION, SCOPE_VERSION_DIMENSION } from './scope-dimensions.js';
import { RESOURCE_LABEL } from './resource.js';

/** Options of {@link MmstatsMetricProducer}. */
export interface MmstatsMetricProducerOptions {
  /** Files, directories and globs to read at each collection (`findStatsFiles` of `@mmstats/reader`). Default: none, which means `$MMSTATS_GLOB`, `$MMSTATS_PATH` or this user's default stats directories. */
  readonly paths?: readonly string[];
  /** How `paths` are resolved and the defaults found (`FindOptions`). */
  readonly find?: FindOptions;
  /** Resource attributes put over those the files' `target` records give (spec/files.md#otel-resource). Default: none. */
  readonly resource?: Attributes;
}

/** The scope name of records that name none (written by mmstats' own API rather than through a meter). */
export const DEFAULT_SCOPE_NAME = 'mmstats';

/**
 * A `MetricProducer` of `@opentelemetry/sdk-metrics` (2.x and 3.x) that reads mmstats files:
 * at each `collect()` it finds the files, reads them, merges every label and dimension set over
 * the files by its merge rule (`mergeSnapshots`), and gives each as OpenTelemetry data
 * (spec/files.md#otel-kinds): `counter` → monotonic cumulative Sum; `gauge` merged by `sum` →
 * non-monotonic cumulative Sum; other numeric gauges and `info` → Gauge; `exphistogram` records →
 * ExponentialHistogram ({@link exponentialHistogramPoint}); log-linear `histogram` and `timer`
 * → explicit-bucket Histogram ({@link histogramPoint}). `otel.scope.name` and
 * `otel.scope.version` dimensions give the instrumentation scope; units go back to UCUM
 * (`ucumUnit`). Text, averages and windows have no OpenTelemetry form and are left out.
 *
 * Values are cumulative since the earliest `created` of the files merged; a worker whose file
 * goes (`removeOnExit`, `mmstats clean`) takes its counts with it, which an OpenTelemetry backend
 * sees as a reset. Unreadable files are reported in `errors` and skipped.
 */
export class MmstatsMetricProducer implements MetricProducer {
  readonly #options: MmstatsMetricProducerOptions;

  /** @param options - see {@link MmstatsMetricProducerOptions} */
  constructor(options: MmstatsMetricProducerOptions = {}) {
    this.#options = options;
  }

  /** Reads and merges the files now. */
  async collect(): Promise<CollectionResult> {
    const { snapshots, errors } = await this.#read();
    const fields = mergeSnapshots(snapshots);
    return { resourceMetrics: { resource: this.#resource(fields), scopeMetrics: scopeMetrics(fields, snapshots) }, errors };
  }

  /**
   * The resource of the files, for the SDK's `MeterProvider` (an SDK reader keeps its provider's
   * resource, not a producer's): the first `target` record's dimensions, under `options.resource`.
   */
  async resource(): Promise<Resource> {
    const { snapshots } = await this.#read();
    return this.#resource(mergeSnapshots(snapshots));
  }

  async #read(): Promise<{ snapshots: StatsSnapshot[]; errors: unknown[] }> {
    const paths = await findStatsFiles(this.#options.paths ?? [], this.#options.find);
    const snapshots: StatsSnapshot[] = [];
    const errors: unknown[] = [];
    for (const result of scanStats(paths)) {
      if (result.ok) snapshots.push(result.snapshot);
      else errors.push(result.error);
    }
    return { snapshots, errors };
  }

  #resource(fields: readonly MergedField[]): Resource {
    const target = fields.find((f) => f.label === RESOURCE_LABEL && f.kind === 'info');
    return resourceFromAttributes({ ...target?.dims, ...this.#options.resource });
  }
}

/** What a record becomes: its data point type and, for a Sum, whether it only grows. */
function pointTypeOf(field: MergedField): { type: DataPointType; monotonic?: boolean } | undefined {
  if (field.value === undefined || field.label === RESOURCE_LABEL) return undefined;
  if (isHistogramValue(field.value)) return { type: DataPointType.HISTOGRAM };
  if (isExpHistogramValue(field.value)) return { type: DataPointType.EXPONENTIAL_HISTOGRAM };
  if (typeof field.value !== 'number' && typeof field.value !== 'bigint') return undefined;
  if (field.kind === 'counter') return { type: DataPointType.SUM, monotonic: true };
  if (field.kind === 'gauge' && field.merge === 'sum') return { type: DataPointType.SUM, monotonic: false };
  return { type: DataPointType.GAUGE };
}

/** The merged fields as metrics, one per scope, label and type, each attribute set a data point. */
function scopeMetrics(fields: readonly MergedField[], snapshots: readonly StatsSnapshot[]): ScopeMetrics[] {
  const created = new Map(snapshots.map((s) => [s.path, s.header?.created ?? Date.now() / 1000]));
  const endTime = hrTime(Date.now() / 1000);
  const scopes = new Map<string, { scope: ScopeMetrics['scope']; metrics: Map<string, MetricData> }>();
  for (const field of fields) {
    const pointType = pointTypeOf(field);
    if (pointType === undefined) continue;
    const { [SCOPE_NAME_DIMENSION]: scopeName, [SCOPE_VERSION_DIMENSION]: scopeVersion, ...attributes } = field.dims;
    const scopeKey = JSON.stringify([scopeName, scopeVersion]);
    let scope = scopes.get(scopeKey);
    if (scope === undefined) {
      scope = { scope: scopeName === undefined ? { name: DEFAULT_SCOPE_NAME } : scopeVersion === undefined ? { name: scopeName } : { name: scopeName, version: scopeVersion }, metrics: new Map() };
      scopes.set(scopeKey, scope);
    }
    const start = Math.min(...field.perFile.map((f) => created.get(f.path)!));
    const point = { startTime: hrTime(start), endTime, attributes };
    const key = `${pointType.type}\u0000${field.label}`;
    let metric = scope.metrics.get(key);
    if (metric === undefined) {
      metric = newMetric(field, pointType);
      scope.metrics.set(key, metric);
    }
    if (metric.dataPointType === DataPointType.HISTOGRAM) (metric.dataPoints as DataPoint<Histogram>[]).push({ ...point, value: histogramPoint(field.value as HistogramValue) });
    else if (metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) (metric.dataPoints as DataPoint<ExponentialHistogram>[]).push({ ...point, value: exponentialHistogramPoint(field.value as ExpHistogramValue) });
    else (metric.dataPoints as DataPoint<number>[]).push({ ...point, value: Number(field.value) });
  }
  return [...scopes.values()].map(({ scope, metrics }) => ({ scope, metrics: [...metrics.values()] }));
}

function newMetric(field: MergedField, pointType: { type: DataPointType; monotonic?: boolean }): MetricData {
  const descriptor = { name: field.label, description: field.help, unit: ucumUnit(field.unit), valueType: ValueType.DOUBLE };
  const aggregationTemporality = AggregationTemporality.CUMULATIVE;
  switch (pointType.type) {
    case DataPointType.HISTOGRAM:
      return { descriptor, aggregationTemporality, dataPointType: DataPointType.HISTOGRAM, dataPoints: [] };
    case DataPointType.EXPONENTIAL_HISTOGRAM:
      return { descriptor, aggregationTemporality, dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM, dataPoints: [] };
    case DataPointType.SUM:
      return { descriptor, aggregationTemporality, dataPointType: DataPointType.SUM, isMonotonic: pointType.monotonic!, dataPoints: [] };
    default:
      return { descriptor, aggregationTemporality, dataPointType: DataPointType.GAUGE, dataPoints: [] };
  }
}

/**
 * A (merged) log-linear histogram as an OpenTelemetry explicit-bucket histogram, without loss:
 * the boundaries are the edges of its buckets from the lowest non-empty one to the highest, so
 * the buckets below and above (all empty) fold into the first and last explicit buckets. One
 * difference stays: a log-linear bucket holds its lower edge (`[lower, upper)`,
 * spec/format-v2.md#enc-histogram), an explicit one its upper (`(lower, upper]`), which matters
 * only for values exactly on an edge.
 */
export function histogramPoint(value: HistogramValue): Histogram {
  const { buckets, params } = value;
  let first = -1;
  let last = -1;
  for (let i = 0; i < buckets.length; i++) {
    if (buckets[i]! === 0) continue;
    if (first < 0) first = i;
    last = i;
  }
  const boundaries: number[] = [];
  const counts: number[] = [];
  if (first > 0) {
    boundaries.push(bucketBounds(first, params).lower);
    counts.push(0);
  }
  if (first >= 0) {
    for (let i = first; i <= last; i++) {
      counts.push(buckets[i]!);
      const { upper } = bucketBounds(i, params);
      if (upper !== Infinity) boundaries.push(upper);
    }
  }
  if (counts.length === boundaries.length) counts.push(0);
  const point: Histogram = { buckets: { boundaries, counts }, count: value.count, sum: value.sum };
  return value.count > 0 ? { ...point, min: value.min, max: value.max } : point;
}

/**
 * A (merged) exponential histogram as OpenTelemetry's ExponentialHistogram, without loss: the
 * same scale, zero count and bucket counts, and the same offsets, since the encoding's bucket
 * index is OpenTelemetry's (bucket `i` holds `b^i < v ≤ b^(i+1)`,
 * spec/format-v2.md#enc-exphistogram). Each side is trimmed to its non-empty buckets. The zero
 * threshold has no place in the SDK's data point (OTLP's `zero_threshold` is left 0).
 */
export function exponentialHistogramPoint(value: ExpHistogramValue): ExponentialHistogram {
  const point: ExponentialHistogram = {
    count: value.count,
    sum: value.sum,
    scale: value.scale,
    zeroCount: value.zeroCount,
    positive: trimmedBuckets(value.positive),
    negative: trimmedBuckets(value.negative),
  };
  return value.count > 0 ? { ...point, min: value.min, max: value.max } : point;
}

/** A side's counts from its first non-empty bucket to its last, as OpenTelemetry's offset and counts. */
function trimmedBuckets(side: ExpBuckets): { offset: number; bucketCounts: number[] } {
  const counts = Array.from(side.counts);
  let first = 0;
  let end = counts.length;
  while (first < end && counts[first] === 0) first++;
  while (end > first && counts[end - 1] === 0) end--;
  return first === end ? { offset: 0, bucketCounts: [] } : { offset: side.offset + first, bucketCounts: counts.slice(first, end) };
}

function hrTime(seconds: number): HrTime {
  const whole = Math.floor(seconds);
  return [whole, Math.round((seconds - whole) * 1e9)];
}
