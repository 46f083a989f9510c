// The protobuf answer of /metrics (MetricsRenderer with format 'protobuf'), decoded with
// protobufjs from client_model's metrics.proto: the same families, names, help, labels and
// values as the text format, exponential histograms as native histograms besides.
import test, { type ExecutionContext } from 'ava';
import { readStats } from '@mmstats/reader';
import { average, counter, defineModel, gauge, histogram, string, timer, window } from '@mmstats/writer';
import type { ExpHistogramValue, HistogramValue, WindowValue } from '@mmstats/format';
import type { StatsSnapshot } from '@mmstats/reader';
import { decodeMetricFamilies, type DecodedFamily, type DecodedLabel } from './client-model.test.util.js';
import { escapeLabelValue, sampleText } from './exposition-bytes.js';
import { snapshotV2 } from './hand-made-snapshots.test.util.js';
import { MetricsRenderer } from './metrics.js';
import { tempDir } from './test-support.test.util.js';

const LOG_LINEAR: HistogramValue = { params: { k: 0, minExp: -2, maxExp: 2 }, count: 5, sum: 7.2, min: 0.1, max: 5, buckets: [1, 2, 0, 1, 0, 1] };
const WINDOW: WindowValue = { slotMillis: 1000, slots: [{ start: 999, count: 1, sum: 0.25 }, { start: 1000, count: 2, sum: 0.5 }] };
/** -1, 0, 0.3, 1 and 3 at scale 0: 0.3 in our bucket -2 (0.25, 0.5], 1 in -1 (0.5, 1], 3 in 1 (2, 4]; -1 in negative bucket -1. */
const EXP: ExpHistogramValue = { scale: 0, zeroThreshold: 0, zeroCount: 1, count: 5, sum: 3.3, min: -1, max: 3, positive: { offset: -2, counts: [1, 1, 0, 1] }, negative: { offset: -1, counts: [1] } };

/** Two files with every kind of record, names that collide, dimensions, quotes and newlines in labels. */
function files(): StatsSnapshot[] {
  return [
    snapshotV2('/s/a "1".mmstats', 7, [
      { label: 'http.requests', kind: 'counter', unit: 'requests', help: 'requests served', dims: { status: '2xx' }, value: 5 },
      { label: 'http.requests', kind: 'counter', unit: 'requests', help: 'requests served', dims: { status: '5xx' }, value: 1 },
      { label: 'queue.depth', kind: 'gauge', dims: { 'queue name': 'mail "out"\nbox' }, value: 3 },
      { label: 'http.duration', kind: 'timer', unit: 'seconds', help: 'time to answer', value: LOG_LINEAR },
      { label: 'rpc.time', kind: 'histogram', unit: 'seconds', value: EXP },
      { label: 'job.load', kind: 'average', value: { sum: 6, count: 3 } },
      { label: 'http.recent', kind: 'window', unit: 'seconds', help: 'recent', value: WINDOW },
      { label: 'app.version', kind: 'text', value: '1.2' },
      { label: 'app.version', kind: 'text', dims: { part: 'x' }, value: '1.2' },
      { label: 'big', kind: 'counter', value: 18446744073709551615n },
      { label: 'x', kind: 'counter', value: 2 },
      { label: 'x', kind: 'text', value: 'hi' },
    ]),
    snapshotV2('/s/b.mmstats', 8, [
      { label: 'http.requests', kind: 'counter', unit: 'requests', help: 'requests served', dims: { status: '2xx' }, value: 9 },
      { label: 'rpc.time', kind: 'histogram', unit: 'seconds', value: { ...EXP, scale: 3, positive: { offset: 10, counts: [2, 0, 0, 0, 1] } } },
      { label: 'queue-depth', kind: 'gauge', value: 4 },
    ]),
  ];
}

const Api = defineModel(
  {
    requests: counter({ unit: 'requests', help: 'requests served', dims: { status: '2xx' } }),
    inFlight: gauge(),
    latency: timer(),
    payload: histogram({ unit: 'bytes', encoding: 'exponential' }),
    load: average(),
    recent: window({ unit: 'seconds' }),
    state: string({ size: 16 }),
  },
  { name: 'api' },
);

/** Three files of service api written by @mmstats/writer, each with every kind of record, and their snapshots. */
function writtenFiles(t: ExecutionContext): StatsSnapshot[] {
  const { dir, cleanup } = tempDir();
  t.teardown(cleanup);
  const paths = [2, 3, 4].map((n, i) => {
    const stats = Api.open({ path: dir, filename: `api-${i}.mmstats`, labelPrefix: 'app.' });
    stats.requests.incr(n);
    stats.inFlight.value = n;
    stats.latency.record(n / 100);
    for (let k = 1; k <= 10 * n; k++) stats.payload.observe(k * 100);
    stats.load.add(n);
    stats.recent.add(n);
    stats.state.value = 'up';
    return stats.path;
  });
  return paths.map((p) => readStats(p));
}

/** A sample's value as Prometheus stores it (a binary64), spelled as the text format does. */
const asStored = (value: string): string => sampleText(value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : Number(value));

/** The samples of a 0.0.4 text exposition, `name{labels}` (labels sorted) to value, and its HELP and TYPE lines. */
function textSamples(text: string): { samples: Map<string, string>; headers: string[] } {
  const samples = new Map<string, string>();
  const headers: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# ')) {
      headers.push(line);
      continue;
    }
    const space = line.lastIndexOf(' ');
    const series = line.slice(0, space);
    const brace = series.indexOf('{');
    const labels = brace < 0 ? [] : (series.slice(brace + 1, -1).match(/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"/g) ?? []);
    samples.set(`${brace < 0 ? series : series.slice(0, brace)}{${labels.sort().join(',')}}`, asStored(line.slice(space + 1)));
  }
  return { samples, headers };
}

/** The same samples and headers as the text format would write them, from decoded families (classic histograms only). */
function protobufSamples(families: readonly DecodedFamily[]): { samples: Map<string, string>; headers: string[] } {
  const samples = new Map<string, string>();
  const headers: string[] = [];
  const key = (name: string, labels: readonly DecodedLabel[], extra: DecodedLabel[] = []): string =>
    `${name}{${[...labels, ...extra].map((l) => `${l.name}="${escapeLabelValue(l.value)}"`).sort().join(',')}}`;
  for (const { name, help, type, metric } of families) {
    headers.push(`# HELP ${name} ${help.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'))}`, `# TYPE ${name} ${type.toLowerCase()}`);
    for (const m of metric) {
      if (m.counter !== undefined) samples.set(key(name, m.label), sampleText(m.counter.value!));
      if (m.gauge !== undefined) samples.set(key(name, m.label), sampleText(m.gauge.value!));
      if (m.summary !== undefined) {
        samples.set(key(`${name}_sum`, m.label), sampleText(m.summary.sampleSum!));
        samples.set(key(`${name}_count`, m.label), sampleText(m.summary.sampleCount!));
      }
      const h = m.histogram;
      if (h !== undefined) {
        for (const b of h.bucket) samples.set(key(`${name}_bucket`, m.label, [{ name: 'le', value: sampleText(b.upperBound!) }]), sampleText(b.cumulativeCount ?? 0));
        samples.set(key(`${name}_bucket`, m.label, [{ name: 'le', value: '+Inf' }]), sampleText(h.sampleCount ?? 0));
        samples.set(key(`${name}_sum`, m.label), sampleText(h.sampleSum!));
        samples.set(key(`${name}_count`, m.label), sampleText(h.sampleCount ?? 0));
      }
    }
  }
  return { samples, headers };
}

for (const series of ['file', 'worker', 'service'] as const) {
  test(`protobuf has every family, name, help, label and value the text format has (series=${series})`, (t) => {
    const renderer = new MetricsRenderer();
    // Merging needs the records' layouts: the service view reads files a writer wrote.
    const snapshots = series === 'service' ? writtenFiles(t) : files();
    const options = { series, readErrors: [{ code: 'MMSTATS-E104' }, { code: 'MMSTATS-E104' }] };
    const now = Date.now() / 1000;
    const text = textSamples(renderer.render(snapshots, 'prometheus-text', { ...options, now }).toString('utf8'));
    const protobuf = protobufSamples(decodeMetricFamilies(renderer.render(snapshots, 'protobuf', { ...options, now })));
    t.deepEqual([...protobuf.samples].sort(), [...text.samples].sort());
    t.deepEqual(protobuf.headers, text.headers);
    t.true(text.samples.size > 100);
  });
}

test('protobuf families: real types; counters named as their samples, strings as info gauges, 64-bit values as doubles', (t) => {
  const families = decodeMetricFamilies(new MetricsRenderer().render(files(), 'protobuf', { series: 'file', now: 1000.5 }));
  const types = Object.fromEntries(families.map((f) => [f.name, f.type]));
  t.like(types, { http_requests_total: 'COUNTER', queue_depth: 'GAUGE', http_duration_seconds: 'HISTOGRAM', rpc_time_seconds: 'HISTOGRAM', job_load: 'SUMMARY', http_recent_rate: 'GAUGE', app_version_info: 'GAUGE', x_total: 'COUNTER', x_text_info: 'GAUGE' });
  const big = families.find((f) => f.name === 'big_total')!.metric[0]!;
  t.is(big.counter!.value, 2 ** 64, "18446744073709551615 as the binary64 Prometheus reads from the text too");
  t.deepEqual(big.label, [{ name: 'pid', value: '7' }, { name: 'file', value: '/s/a "1".mmstats' }]);
  // Two records of one name and labels but different values of one string: two info series, and one for equal values.
  t.deepEqual(families.find((f) => f.name === 'app_version_info')!.metric.map((m) => m.label.at(-1)), [{ name: 'value', value: '1.2' }, { name: 'value', value: '1.2' }]);
});

test('an exponential histogram is a native histogram: schema, zero bucket, spans at our index + 1, deltas', (t) => {
  const families = decodeMetricFamilies(new MetricsRenderer().render(files(), 'protobuf', { series: 'file' }));
  const [a, b] = families.find((f) => f.name === 'rpc_time_seconds')!.metric.map((m) => m.histogram!);
  t.like(a, { schema: 0, zeroThreshold: 0, zeroCount: 1, sampleCount: 5, sampleSum: 3.3 });
  // Ours -2, -1, 1 (base 2: (0.25, 0.5], (0.5, 1], (2, 4]) are Prometheus' -1, 0, 2: one span, the zero kept.
  t.deepEqual(a!.positiveSpan, [{ offset: -1, length: 4 }]);
  t.deepEqual(a!.positiveDelta, [1, 0, -1, 1]);
  t.deepEqual(a!.negativeSpan, [{ offset: 0, length: 1 }]);
  t.deepEqual(a!.negativeDelta, [1]);
  // Three zeros between two buckets end a span: ours 10 and 14 are Prometheus' 11 and 15.
  t.like(b, { schema: 3, sampleCount: 5 });
  t.deepEqual(b!.positiveSpan, [{ offset: 11, length: 1 }, { offset: 3, length: 1 }]);
  t.deepEqual(b!.positiveDelta, [2, -1]);
  // The classic buckets of the text format are there too (Prometheus keeps one or both).
  t.is(a!.bucket.length, 65);
});

test('the compiled protobuf answer is kept across scrapes and follows the values', (t) => {
  const renderer = new MetricsRenderer();
  const first = snapshotV2('/s/a.mmstats', 7, [{ label: 'n', kind: 'counter', value: 1 }]);
  const second = { ...first, fields: [{ ...first.fields[0]!, value: 2 }] } as StatsSnapshot;
  const value = (s: StatsSnapshot): number | undefined => decodeMetricFamilies(renderer.render([s], 'protobuf', { series: 'file' }))[0]!.metric[0]!.counter!.value;
  t.is(value(first), 1);
  t.is(value(second), 2);
  t.is(decodeMetricFamilies(renderer.render([], 'protobuf', { series: 'file' })).length, 0);
});

test('a body given back is written over by the next render, protobuf or text, which is whole', (t) => {
  const big = snapshotV2('/s/big.mmstats', 9, Array.from({ length: 3000 }, (_, i) => ({ label: `c.${i}`, kind: 'counter', value: i })));
  const renderer = new MetricsRenderer();
  const fresh = (format: 'protobuf' | 'prometheus-text'): Buffer => new MetricsRenderer().render([big], format, { series: 'file' });
  const text = renderer.render([big], 'prometheus-text', { series: 'file' });
  t.true(text.length > 64 * 1024);
  renderer.recycle(text);
  const protobuf = renderer.render([big], 'protobuf', { series: 'file' });
  t.is(protobuf.buffer, text.buffer, 'the protobuf body is written into the text one');
  t.deepEqual(protobuf, fresh('protobuf'));
  t.is(decodeMetricFamilies(protobuf).length, 3000);
  renderer.recycle(protobuf);
  const again = renderer.render([big], 'prometheus-text', { series: 'file' });
  t.is(again.buffer, text.buffer, 'and the next text body into it again');
  t.deepEqual(again, fresh('prometheus-text'));
});
