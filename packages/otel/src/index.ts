/**
 * `@mmstats/otel`: OpenTelemetry metrics through mmstats. {@link MmstatsMeterProvider}
 * implements the `@opentelemetry/api` metrics API over a stats file (an instrument call is a
 * store into the mapping, no export from the application); `@mmstats/otel/producer` reads the
 * files of every process back for any OpenTelemetry exporter (spec/files.md#otel).
 *
 * @packageDocumentation
 */
export { DEFAULT_OTEL_CAPACITY, MmstatsMeterProvider } from './meter-provider.js';
export type { MmstatsMeterProviderOptions } from './meter-provider.js';
export { MmstatsMeter } from './meter.js';
export { SCOPE_NAME_DIMENSION, SCOPE_VERSION_DIMENSION } from './scope-dimensions.js';
export { MmstatsCounter, MmstatsGauge, MmstatsHistogram, MmstatsUpDownCounter } from './instruments.js';
export { DEFAULT_COLLECT_INTERVAL_MS, MmstatsObservable } from './observables.js';
export { histogramRecord } from './histogram-encoding.js';
export type { HistogramInstrument } from './histogram-encoding.js';
export { defaultResource, RESOURCE_LABEL } from './resource.js';
export { OTEL_DROPPED_WARNING } from './dropped.js';
export { prometheusUnit, ucumUnit } from '@mmstats/format';
