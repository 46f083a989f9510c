// The producer feeding the SDK's OTLP exporter (protobuf over HTTP) to a receiver in this test,
// which decodes what it gets with the OpenTelemetry protobuf definitions (opentelemetry-proto,
// compiled by protobufjs, as @opentelemetry/otlp-transformer 0.52 shipped them).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import test from 'ava';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { MmstatsMeterProvider } from './meter-provider.js';
import { MmstatsMetricProducer } from './producer.js';
import { statsDir } from './test-support.test.util.js';

interface KeyValue {
  key: string;
  value: { stringValue?: string };
}
interface NumberPoint {
  attributes?: KeyValue[];
  asDouble?: number;
}
interface HistogramPoint {
  attributes?: KeyValue[];
  count: number;
  sum: number;
  bucketCounts: number[];
  explicitBounds: number[];
}
interface ExponentialPoint {
  count: number;
  sum: number;
  scale: number;
  zeroCount: number;
  positive: { offset: number; bucketCounts: number[] };
}
interface OtlpMetric {
  name: string;
  unit?: string;
  sum?: { dataPoints: NumberPoint[]; isMonotonic?: boolean; aggregationTemporality: number };
  gauge?: { dataPoints: NumberPoint[] };
  histogram?: { dataPoints: HistogramPoint[]; aggregationTemporality: number };
  exponentialHistogram?: { dataPoints: ExponentialPoint[]; aggregationTemporality: number };
}
interface ExportRequest {
  resourceMetrics: { resource: { attributes: KeyValue[] }; scopeMetrics: { scope: { name: string; version?: string }; metrics: OtlpMetric[] }[] }[];
}
interface MessageType {
  decode(bytes: Uint8Array): object;
  toObject(message: object, options: { longs: NumberConstructor; defaults: boolean }): ExportRequest;
}
const proto = createRequire(import.meta.url)('otlp-proto-definitions/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { metrics: { v1: { ExportMetricsServiceRequest: MessageType } } } } };
};
const ExportMetricsServiceRequest = proto.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;

/** An OTLP/HTTP receiver: resolves with the first export request it gets, decoded. */
async function receiver(): Promise<{ url: string; request: Promise<ExportRequest>; close(): void }> {
  let resolve!: (request: ExportRequest) => void;
  const request = new Promise<ExportRequest>((r) => (resolve = r));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      if (req.url === '/v1/metrics' && req.headers['content-type'] === 'application/x-protobuf') {
        resolve(ExportMetricsServiceRequest.toObject(ExportMetricsServiceRequest.decode(Buffer.concat(chunks)), { longs: Number, defaults: true }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/metrics`, request, close: () => server.close() };
}

const text = (attributes: KeyValue[] | undefined): Record<string, string | undefined> => Object.fromEntries((attributes ?? []).map((a) => [a.key, a.value.stringValue]));

test('the OTLP exporter ships the merged files; the receiver decodes the values written', async (t) => {
  const dir = statsDir(t);
  for (const [name, n] of [['w1', 5], ['w2', 6]] as const) {
    const meter = new MmstatsMeterProvider({ collectIntervalMs: 0, file: { path: dir, filename: `${name}.mmstats` }, resource: { 'service.name': 'checkout' } }).getMeter('checkout', '3.1.0');
    const orders = meter.createCounter('orders.placed', { description: 'orders placed' });
    const size = meter.createHistogram('order.size', { unit: 'By', advice: { explicitBucketBoundaries: [100, 1000, 10_000] } });
    const latency = meter.createHistogram('order.duration', { unit: 's' });
    for (let i = 0; i < n; i++) {
      orders.add(1, { region: 'eu' });
      size.record(1000);
      latency.record(0.25);
    }
    meter.createGauge('queue.fill', { unit: '1' }).record(0.5);
  }
  const otlp = await receiver();
  t.teardown(() => otlp.close());
  const producer = new MmstatsMetricProducer({ paths: [dir] });
  const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: otlp.url }), exportIntervalMillis: 3_600_000, metricProducers: [producer] });
  const provider = new MeterProvider({ resource: await producer.resource(), readers: [reader] });
  t.teardown(() => provider.shutdown());
  await reader.forceFlush();
  const { resourceMetrics } = await otlp.request;

  t.is(text(resourceMetrics[0]!.resource.attributes)['service.name'], 'checkout');
  const scope = resourceMetrics.flatMap((r) => r.scopeMetrics).find((s) => s.scope.name === 'checkout')!;
  t.is(scope.scope.version, '3.1.0');
  const byName = new Map(scope.metrics.map((m) => [m.name, m]));
  const orders = byName.get('orders.placed')!;
  t.true(orders.sum!.isMonotonic);
  t.is(orders.sum!.aggregationTemporality, 2, 'AGGREGATION_TEMPORALITY_CUMULATIVE');
  t.deepEqual(orders.sum!.dataPoints.map((p) => [text(p.attributes), p.asDouble]), [[{ region: 'eu' }, 11]]);
  const size = byName.get('order.size')!;
  t.is(size.unit, 'By');
  const [point] = size.histogram!.dataPoints;
  t.is(point!.count, 11);
  t.is(point!.sum, 11_000);
  t.deepEqual(point!.bucketCounts.filter((c) => c > 0), [11]);
  // 1000 is in [2^9 (1 + 15/16), 2^10) = [992, 1024).
  const at = point!.bucketCounts.indexOf(11);
  t.deepEqual([point!.explicitBounds[at - 1], point!.explicitBounds[at]], [992, 1024]);
  // Without advice the histogram is exponential, and goes out as one: 0.25 = 2^−2 is the upper
  // edge of OpenTelemetry's bucket −2 × 2^8 − 1 at scale 8.
  const duration = byName.get('order.duration')!;
  t.is(duration.exponentialHistogram!.aggregationTemporality, 2);
  t.like(duration.exponentialHistogram!.dataPoints[0], { count: 11, sum: 2.75, scale: 8, zeroCount: 0, positive: { offset: -2 * 256 - 1, bucketCounts: [11] } });
  t.is(byName.get('queue.fill')!.unit, '1');
  t.is(byName.get('queue.fill')!.gauge!.dataPoints[0]!.asDouble, 0.5);
});
