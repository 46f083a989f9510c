import test from 'ava';
import { AggregationTemporality, DataPointType, type ExponentialHistogramMetricData, type HistogramMetricData, InMemoryMetricExporter, MeterProvider, type MetricData, PeriodicExportingMetricReader, type SumMetricData } from '@opentelemetry/sdk-metrics';
import { expBucketIndex, histogramQuantile } from '@mmstats/format';
import { MmstatsMeterProvider } from './meter-provider.js';
import { exponentialHistogramPoint, histogramPoint, MmstatsMetricProducer } from './producer.js';
import { statsDir } from './test-support.test.util.js';

/** Two "processes" (two providers, two files) of one service in `dir`, each counting and timing. */
function twoWorkers(dir: string): void {
  for (const [name, n] of [['a', 3], ['b', 4]] as const) {
    const provider = new MmstatsMeterProvider({ collectIntervalMs: 0, file: { path: dir, filename: `${name}.mmstats` }, resource: { 'service.name': 'shop', 'service.version': '2' } });
    const meter = provider.getMeter('shop.http', '1.0.0');
    const requests = meter.createCounter('http.requests', { unit: '{request}', description: 'requests' });
    const latency = meter.createHistogram('http.duration', { unit: 's' });
    const sizes = meter.createHistogram('http.body.size', { unit: 'By', advice: { explicitBucketBoundaries: [100, 1000, 10_000] } });
    const inFlight = meter.createUpDownCounter('http.in_flight');
    for (let i = 0; i < n; i++) {
      requests.add(1, { route: '/cart' });
      latency.record(0.01 * (i + 1), { route: '/cart' });
      sizes.record(1000 * (i + 1));
    }
    inFlight.add(1);
  }
}

function metric(metrics: readonly MetricData[], name: string): MetricData {
  const found = metrics.find((m) => m.descriptor.name === name);
  if (found === undefined) throw new Error(`no metric ${name}`);
  return found;
}

test('collect() merges the files of every process into OpenTelemetry metrics', async (t) => {
  const dir = statsDir(t);
  twoWorkers(dir);
  const { resourceMetrics, errors } = await new MmstatsMetricProducer({ paths: [dir] }).collect();
  t.deepEqual(errors, []);
  t.like(resourceMetrics.resource.attributes, { 'service.name': 'shop', 'service.version': '2' });
  const [scope] = resourceMetrics.scopeMetrics;
  t.deepEqual(scope!.scope, { name: 'shop.http', version: '1.0.0' });
  const requests = metric(scope!.metrics, 'http.requests') as SumMetricData;
  t.like(requests, { dataPointType: DataPointType.SUM, isMonotonic: true, aggregationTemporality: AggregationTemporality.CUMULATIVE, descriptor: { unit: '', description: 'requests' } });
  t.deepEqual(requests.dataPoints.map((p) => [p.attributes, p.value]), [[{ route: '/cart' }, 7]]);
  const inFlight = metric(scope!.metrics, 'http.in_flight') as SumMetricData;
  t.like(inFlight, { isMonotonic: false, dataPoints: [{ value: 2 }] });
  // No advice: exponential, started at scale 8 and downscaled to 6 for the two octaves from
  // 0.01 to 0.04 in 160 slots; each value in its OpenTelemetry bucket at that scale.
  const latency = metric(scope!.metrics, 'http.duration') as ExponentialHistogramMetricData;
  t.like(latency, { dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM, descriptor: { unit: 's' } });
  const exponential = latency.dataPoints[0]!.value;
  t.like(exponential, { count: 7, scale: 6, zeroCount: 0, min: 0.01, max: 0.04, negative: { offset: 0, bucketCounts: [] } });
  t.is(Math.round(exponential.sum! * 1000), 10 * (1 + 2 + 3) + 10 * (1 + 2 + 3 + 4));
  const values = [1, 2, 3, 1, 2, 3, 4].map((i) => 0.01 * i);
  const { offset, bucketCounts } = exponential.positive;
  t.is(offset, expBucketIndex(0.01, 6));
  t.deepEqual(
    bucketCounts.flatMap((c, j) => new Array<number>(c).fill(offset + j)),
    values.map((v) => expBucketIndex(v, 6)).sort((a, b) => a - b),
  );
  // Advice with boundaries: an explicit-bucket histogram.
  const sizes = metric(scope!.metrics, 'http.body.size') as HistogramMetricData;
  t.like(sizes, { dataPointType: DataPointType.HISTOGRAM, descriptor: { unit: 'By' } });
  const point = sizes.dataPoints[0]!.value;
  t.like(point, { count: 7, sum: 1000 * (1 + 2 + 3 + 1 + 2 + 3 + 4) });
  t.is(point.buckets.counts.reduce((a, b) => a + b, 0), 7);
  t.is(point.buckets.counts.length, point.buckets.boundaries.length + 1);
});

test('exponentialHistogramPoint keeps scale, zero count and each side\'s buckets, trimmed to the non-empty ones', (t) => {
  const value = {
    scale: 3,
    zeroThreshold: 0,
    zeroCount: 2,
    count: 6,
    sum: -1.5,
    min: -3,
    max: 1.5,
    positive: { offset: -4, counts: Float64Array.of(0, 0, 1, 0, 2, 0) },
    negative: { offset: 10, counts: Float64Array.of(1, 0, 0) },
  };
  t.deepEqual(exponentialHistogramPoint(value), {
    count: 6,
    sum: -1.5,
    scale: 3,
    zeroCount: 2,
    min: -3,
    max: 1.5,
    positive: { offset: -2, bucketCounts: [1, 0, 2] },
    negative: { offset: 10, bucketCounts: [1] },
  });
  const empty = exponentialHistogramPoint({ ...value, count: 0, zeroCount: 0, positive: { offset: 5, counts: new Float64Array(4) }, negative: { offset: 0, counts: new Float64Array(0) } });
  t.deepEqual([empty.positive, 'min' in empty], [{ offset: 0, bucketCounts: [] }, false]);
});

test('histogramPoint keeps every bucket: the explicit buckets hold what the log-linear ones held', (t) => {
  const params = { k: 2, minExp: -2, maxExp: 2 };
  // Buckets: underflow, 16 log-linear ones (4 per octave), overflow.
  const buckets = new Array<number>(18).fill(0);
  buckets[9] = 2; // 1 + (0 − minExp) × 4: [1, 1.25)
  buckets[11] = 1; // [1.5, 1.75)
  const value = { params, count: 3, sum: 3.7, min: 1, max: 1.6, buckets };
  const point = histogramPoint(value);
  t.deepEqual(point.buckets.boundaries, [1, 1.25, 1.5, 1.75]);
  t.deepEqual(point.buckets.counts, [0, 2, 0, 1, 0]);
  t.like(point, { count: 3, sum: 3.7, min: 1, max: 1.6 });
  t.deepEqual(histogramPoint({ ...value, count: 0, buckets: new Array<number>(18).fill(0) }).buckets, { boundaries: [], counts: [0] });
  t.true(histogramQuantile(value, 0.5)! < 1.25);
});

test('an SDK reader (2.x) collects the producer beside its own instruments', async (t) => {
  const dir = statsDir(t);
  twoWorkers(dir);
  const producer = new MmstatsMetricProducer({ paths: [dir] });
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000, metricProducers: [producer] });
  const provider = new MeterProvider({ resource: await producer.resource(), readers: [reader] });
  await reader.forceFlush();
  const [exported] = exporter.getMetrics();
  t.is(exported!.resource.attributes['service.name'], 'shop');
  const requests = exported!.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === 'http.requests');
  t.is(requests?.dataPoints[0]?.value, 7);
  await provider.shutdown();
});

// The SDK's 3.x line needs Node >= 22.15: on an older Node this test is skipped (not failed).
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const sdk3Runs = major > 22 || (major === 22 && minor >= 15);

(sdk3Runs ? test : test.skip)('an SDK 3.x reader collects the producer too (Node >= 22.15)', async (t) => {
  const sdk3 = await import('sdk-metrics-3');
  const dir = statsDir(t);
  twoWorkers(dir);
  const exporter = new sdk3.InMemoryMetricExporter(sdk3.AggregationTemporality.CUMULATIVE);
  const reader = new sdk3.PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000, metricProducers: [new MmstatsMetricProducer({ paths: [dir] }) as never] });
  const provider = new sdk3.MeterProvider({ readers: [reader] });
  await reader.forceFlush();
  const requests = exporter.getMetrics()[0]!.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === 'http.requests');
  t.is(requests?.dataPoints[0]?.value, 7);
  await provider.shutdown();
});
