/**
 * The resource's attributes in a stats file: one text `info` record, label `target`, merged by
 * `last` (every worker of a service has the same), the attributes as its dimensions
 * (spec/files.md#otel-resource); mmash exposes it as `target_info`, the series OpenTelemetry's
 * Prometheus exporter gives the resource.
 *
 * @module
 */
import type { Attributes } from '@opentelemetry/api';
import { dimensionText, type Dims } from './series-cache.js';

/** The label of the resource record (spec/files.md#otel-resource). */
export const RESOURCE_LABEL = 'target';

/** The attribute that names the service, the resource record's value. */
export const SERVICE_NAME = 'service.name';

/**
 * The resource attributes a provider writes when given none, as OpenTelemetry's SDK defaults
 * them: `service.name` from `$OTEL_SERVICE_NAME`, else `unknown_service:<argv0>`; the pairs of
 * `$OTEL_RESOURCE_ATTRIBUTES` (`key=value,key=value`, percent-decoded); `telemetry.sdk.*`.
 */
export function defaultResource(env: NodeJS.ProcessEnv = process.env): Attributes {
  const fromEnv: Record<string, string> = {};
  for (const pair of (env.OTEL_RESOURCE_ATTRIBUTES ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    try {
      fromEnv[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      // A malformed escape: the SDK drops the pair too.
    }
  }
  return {
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': '@mmstats/otel',
    ...fromEnv,
    [SERVICE_NAME]: env.OTEL_SERVICE_NAME || fromEnv[SERVICE_NAME] || `unknown_service:${process.argv0}`,
  };
}

/** The dimensions of the resource record: each attribute as text (arrays as JSON); `undefined` and `null` dropped. */
export function resourceDims(attributes: Attributes): Dims {
  const dims: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    const text = dimensionText(value);
    if (text !== undefined) dims[key] = text;
  }
  return dims;
}
