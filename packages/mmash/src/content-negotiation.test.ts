// Choosing /metrics' format from Accept: protobuf for a Prometheus that asks for native
// histograms, OpenMetrics when preferred, the text format for everyone else.
import test from 'ava';
import { join } from 'node:path';
import { counter, defineModel } from '@mmstats/writer';
import { decodeMetricFamilies } from './client-model.test.util.js';
import { METRICS_CONTENT_TYPES, negotiateMetricsFormat, parseAccept, type MetricsFormat } from './content-negotiation.js';
import { startTestMmash, tempDir } from './test-support.test.util.js';

/** What Prometheus 2.42 sends with --enable-feature=native-histograms (scrapeAcceptHeaderWithProtobuf). */
const PROMETHEUS_NATIVE =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

test('Prometheus with native histograms gets protobuf, with the Content-Type it parses as protobuf', (t) => {
  t.is(negotiateMetricsFormat(PROMETHEUS_NATIVE), 'protobuf');
  t.is(METRICS_CONTENT_TYPES.protobuf, 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited');
  t.is(negotiateMetricsFormat('Application/Vnd.Google.Protobuf; Proto="io.prometheus.client.MetricFamily"; Encoding=delimited'), 'protobuf');
});

test('protobuf only when named with its proto and delimited encoding, and preferred', (t) => {
  const PROTOBUF = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily';
  const cases: [accept: string, format: MetricsFormat, why: string][] = [
    ['application/vnd.google.protobuf', 'prometheus-text', 'no proto'],
    [`${PROTOBUF};encoding=text`, 'prometheus-text', 'not delimited'],
    ['application/vnd.google.protobuf;proto=other.Message;encoding=delimited', 'prometheus-text', 'another message'],
    [`${PROTOBUF};encoding=delimited;q=0`, 'prometheus-text', 'refused'],
    [`${PROTOBUF};encoding=delimited;q=0.5,text/plain;q=0.5`, 'prometheus-text', 'a tie keeps the text format'],
    [`${PROTOBUF};encoding=delimited;q=0.4,application/openmetrics-text;q=0.6`, 'openmetrics', 'OpenMetrics preferred'],
    ['*/*', 'prometheus-text', 'wildcards never select protobuf'],
    ['application/*', 'prometheus-text', 'nor do partial ones'],
  ];
  for (const [accept, format, why] of cases) t.is(negotiateMetricsFormat(accept), format, why);
});

test('what the text formats got before, they still get', (t) => {
  // Prometheus 2.42 without native histograms.
  t.is(negotiateMetricsFormat('application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'), 'openmetrics');
  t.is(negotiateMetricsFormat(undefined), 'prometheus-text');
  t.is(negotiateMetricsFormat(''), 'prometheus-text');
  t.is(negotiateMetricsFormat('text/html,application/xhtml+xml,*/*;q=0.8'), 'prometheus-text');
  t.is(negotiateMetricsFormat(',,;;=,'), 'prometheus-text');
});

test('Accept parsing: quoted values keep their commas and semicolons; a q that is no qvalue counts as 0', (t) => {
  t.deepEqual(
    parseAccept('a/b;x="1,2;3";q=0.5, c/d ;q=1.000,e/f;q=1.5,g/h;q=0.1234,i/j;q=abc,nope'),
    [
      { type: 'a/b', params: new Map([['x', '1,2;3']]), q: 0.5 },
      { type: 'c/d', params: new Map(), q: 1 },
      { type: 'e/f', params: new Map(), q: 0 },
      { type: 'g/h', params: new Map(), q: 0 },
      { type: 'i/j', params: new Map(), q: 0 },
    ],
  );
  t.deepEqual(parseAccept('a/b;x="say \\"hi\\""'), [{ type: 'a/b', params: new Map([['x', 'say "hi"']]), q: 1 }]);
  // Linear time on a long hostile header.
  const started = performance.now();
  t.is(parseAccept(`a/b;x="${'\\,'.repeat(100_000)}`).length, 1);
  t.is(parseAccept(';'.repeat(200_000)).length, 0);
  t.true(performance.now() - started < 2000);
});

test('the server answers each scraper in its format, with the Content-Type it names', async (t) => {
  const { dir, cleanup } = tempDir();
  const stats = defineModel({ jobs: counter() }, { name: 'web' }).open({ path: dir, filename: 'web.mmstats', labelPrefix: 'app.' });
  stats.jobs.incr(3);
  const mmash = await startTestMmash({ targets: [join(dir, '*.mmstats')] });
  t.teardown(async () => {
    await mmash.close();
    cleanup();
  });
  const scrape = (accept?: string): Promise<Response> => fetch(`${mmash.url}metrics`, { headers: accept === undefined ? {} : { accept } });
  const native = await scrape(PROMETHEUS_NATIVE);
  t.is(native.headers.get('content-type'), 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited');
  t.is(native.headers.get('vary'), 'Accept');
  const families = decodeMetricFamilies(new Uint8Array(await native.arrayBuffer()));
  t.like(families.find((f) => f.name === 'app_jobs_total'), { type: 'COUNTER', metric: [{ label: [{ name: 'service', value: 'web' }], counter: { value: 3 } }] });
  const text = await scrape();
  t.is(text.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  t.regex(await text.text(), /^app_jobs_total\{service="web"\} 3$/m);
});
