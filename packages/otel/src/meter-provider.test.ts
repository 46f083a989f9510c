import test, { type ExecutionContext } from 'ava';
import { ValueType } from '@opentelemetry/api';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isExpHistogramValue, isHistogramValue, readStats, serviceOf } from '@mmstats/reader';
import { StatsFileV2 } from '@mmstats/writer';
import { MmstatsMeterProvider } from './meter-provider.js';
import { field, merged, statsDir } from './test-support.test.util.js';

function provider(t: ExecutionContext, options: ConstructorParameters<typeof MmstatsMeterProvider>[0] = {}): { dir: string; provider: MmstatsMeterProvider } {
  const dir = statsDir(t);
  return { dir, provider: new MmstatsMeterProvider({ collectIntervalMs: 0, ...options, file: { path: dir, ...options.file } }) };
}

test('a counter with and without attributes writes one counter record per attribute set', (t) => {
  const { dir, provider: p } = provider(t);
  const requests = p.getMeter('shop', '1.2.0').createCounter('http.requests', { unit: '{request}', description: 'requests served' });
  requests.add(1);
  requests.add(2, { route: '/cart', method: 'GET' });
  requests.add(3, { method: 'GET', route: '/cart' });
  const fields = merged(dir).filter((f) => f.label === 'http.requests');
  t.is(fields.length, 2, 'the two orders of one set are one record');
  t.like(fields.find((f) => f.dims.route === undefined), { value: 1, dims: { 'otel.scope.name': 'shop', 'otel.scope.version': '1.2.0' } });
  t.like(field(fields, 'http.requests', { route: '/cart' }), { kind: 'counter', value: 5, help: 'requests served', unit: '' });
  t.deepEqual(field(fields, 'http.requests', { route: '/cart' })!.dims, { method: 'GET', route: '/cart', 'otel.scope.name': 'shop', 'otel.scope.version': '1.2.0' });
});

test('values OpenTelemetry drops are dropped, never thrown', (t) => {
  const { dir, provider: p } = provider(t);
  const meter = p.getMeter('m');
  const c = meter.createCounter('c');
  const h = meter.createHistogram('h');
  const g = meter.createGauge('g');
  t.notThrows(() => {
    c.add(-1);
    c.add(Number.NaN);
    c.add(4);
    h.record(-2);
    h.record(Number.NaN);
    h.record(0.5);
    g.record(Number.POSITIVE_INFINITY);
    g.record(7);
  });
  const fields = merged(dir);
  t.is(field(fields, 'c')!.value, 4);
  const hist = field(fields, 'h')!.value;
  t.true(isExpHistogramValue(hist) && hist.count === 1 && hist.sum === 0.5);
  t.is(field(fields, 'g')!.value, 7);
});

test('units become Prometheus words; gauges merge by last, up-down counters by sum', (t) => {
  const { dir, provider: p } = provider(t);
  const meter = p.getMeter('m');
  meter.createUpDownCounter('queue.depth', { unit: '{job}' }).add(-3);
  meter.createGauge('cpu.utilization', { unit: '1' }).record(0.25);
  meter.createHistogram('rpc.duration', { unit: 's' }).record(0.01);
  const fields = merged(dir);
  t.like(field(fields, 'queue.depth'), { kind: 'gauge', merge: 'sum', unit: '', value: -3 });
  t.like(field(fields, 'cpu.utilization'), { kind: 'gauge', merge: 'last', unit: 'ratio', value: 0.25 });
  t.like(field(fields, 'rpc.duration'), { kind: 'histogram', unit: 'seconds' });
});

test('histograms are exponential unless the advice gives boundaries; then log-linear around them', (t) => {
  const { dir, provider: p } = provider(t);
  const meter = p.getMeter('m');
  meter.createHistogram('db.duration', { unit: 's' }).record(0.003);
  meter.createHistogram('http.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.005, 0.01, 0.1, 1, 10] } }).record(0.003);
  const fields = merged(dir);
  const exponential = field(fields, 'db.duration')!.value;
  t.true(isExpHistogramValue(exponential) && exponential.scale === 8 && exponential.count === 1);
  const logLinear = field(fields, 'http.duration')!.value;
  // 2^⌊log2 0.005⌋ = 2^−8 up to past 10: 2^4.
  t.true(isHistogramValue(logLinear) && logLinear.count === 1);
  t.deepEqual(isHistogramValue(logLinear) && logLinear.params, { k: 4, minExp: -8, maxExp: 4 });
});

test('INT instruments truncate as the SDK does', (t) => {
  const { dir, provider: p } = provider(t);
  p.getMeter('m').createCounter('bytes', { valueType: ValueType.INT }).add(2.9);
  t.is(field(merged(dir), 'bytes')!.value, 2);
});

test('the same instrument is returned for the same name, and meters by name and version', (t) => {
  const { provider: p } = provider(t);
  const meter = p.getMeter('m');
  t.is(meter.createCounter('x'), meter.createCounter('X'));
  t.is(p.getMeter('m'), meter);
  t.not(p.getMeter('m', '2'), meter);
});

test('the resource is the target record, its attributes the dimensions', (t) => {
  const { dir } = provider(t, { resource: { 'service.name': 'checkout', 'deployment.environment.name': 'prod', 'host.cores': 4 } });
  t.like(field(merged(dir), 'target'), { kind: 'info', dims: { 'service.name': 'checkout', 'deployment.environment.name': 'prod', 'host.cores': '4' } });
});

test("a service name that cannot be part of a file name ('..') leaves the file unnamed instead of failing the app", (t) => {
  const { dir, provider: p } = provider(t, { resource: { 'service.name': '..' } });
  p.getMeter('m').createCounter('c').add(1);
  t.is(field(merged(dir), 'c')!.value, 1);
  const [file] = readdirSync(dir);
  t.is(serviceOf(readStats(join(dir, file!))), undefined);
  // A usable name is the file's service.
  const { dir: named } = provider(t, { resource: { 'service.name': 'checkout' } });
  t.is(serviceOf(readStats(join(named, readdirSync(named)[0]!))), 'checkout');
});

test('past the cardinality limit, attribute sets share the overflow record', (t) => {
  const { dir, provider: p } = provider(t, { file: { cardinalityLimit: 2 } });
  const c = p.getMeter('m').createCounter('hits');
  for (let i = 0; i < 5; i++) c.add(1, { user: `u${i}` });
  const fields = merged(dir);
  t.is(fields.filter((f) => f.label === 'hits').length, 3);
  t.is(field(fields, 'hits', { 'otel.metric.overflow': 'true' })!.value, 3);
});

test('an attribute set the file refuses is dropped with one warning', async (t) => {
  const { dir, provider: p } = provider(t);
  const warnings: Error[] = [];
  const listen = (w: Error): number => warnings.push(w);
  process.on('warning', listen);
  const c = p.getMeter('m').createCounter('c');
  t.notThrows(() => {
    c.add(1, { '': 'empty keys are refused by the format' });
    c.add(1, { '': 'again' });
  });
  c.add(1, { ok: 'yes' });
  await new Promise((resolve) => setImmediate(resolve));
  process.off('warning', listen);
  t.is(warnings.filter((w) => (w as Error & { code?: string }).code === 'MMSTATS-W204' && w.message.includes('instrument "c"')).length, 1);
  t.is(field(merged(dir), 'c', { ok: 'yes' })!.value, 1);
});

test('a file that cannot be made leaves the provider working in memory, with one warning', async (t) => {
  const warnings: string[] = [];
  const listen = (w: Error & { code?: string }): number => warnings.push(`${w.code}: ${w.message}`);
  process.on('warning', listen);
  t.teardown(() => process.off('warning', listen));
  const dir = statsDir(t);
  writeFileSync(`${dir}/file`, '');
  const p = new MmstatsMeterProvider({ collectIntervalMs: 0, file: { path: `${dir}/file` }, resource: { '': 'an empty key' } });
  t.notThrows(() => p.getMeter('m').createCounter('c').add(1));
  await new Promise((resolve) => setImmediate(resolve));
  t.true(p.stats instanceof StatsFileV2 && p.stats.inMemory);
  t.true(warnings.some((w) => w.startsWith('MMSTATS-W204') && w.includes('resource record')), warnings.join('\n'));
});

test('the resource\'s service.name names the file\'s service, so readers merge it with the service\'s others', (t) => {
  const service = (p: MmstatsMeterProvider): unknown => readStats((p.stats as StatsFileV2).path).fields.find((f) => f.label === 'mmstats.service')?.value;
  t.is(service(provider(t, { resource: { 'service.name': 'checkout' } }).provider), 'checkout');
  t.is(service(provider(t, { resource: { 'service.name': 'unknown_service:node' } }).provider), undefined);
  t.is(service(provider(t, { resource: { 'service.name': 'a/b' } }).provider), undefined, 'a name the writer refuses is not given');
});
