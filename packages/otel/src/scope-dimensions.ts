/**
 * The dimensions that name an instrument's meter, in their own module so that the producer, a
 * reader, loads them without the writer.
 *
 * @module
 */

/** The dimensions OpenTelemetry's Prometheus exporter adds for the meter (spec/files.md#otel-records). */
export const SCOPE_NAME_DIMENSION = 'otel.scope.name';
/** The meter's version, when it has one. */
export const SCOPE_VERSION_DIMENSION = 'otel.scope.version';
