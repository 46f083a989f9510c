import test from 'ava';
import { readFileSync } from 'node:fs';
import { histogramQuantile, windowStats, type HistogramValue, type WindowValue } from '@mmstats/format';
import { counter, defineModel, gauge, histogram, StatsBuilder, timer, window } from './index.js';
import { readBack, readV2, tempDir } from './common/test-support.test.util.js';

// The README's example, verbatim apart from the file location (a temp dir for the test).
test('the README example works and a reader sees its values', (t) => {
  const path = tempDir(t);
  const WebStats = defineModel({
    requests: counter({ label: 'http.requests', unit: 'requests', help: 'requests served' }),
    errors: counter({ label: 'http.requests', unit: 'requests', dims: { status: '5xx' } }),
    inFlight: gauge({ label: 'http.in_flight', unit: 'requests' }),
    latency: timer({ label: 'http.duration', help: 'time to answer' }),
    responseSize: histogram({ label: 'http.response.size', unit: 'bytes' }),
    recent: window({ label: 'http.recent', slots: 60, slotMs: 1000 }),
  });

  const stats = WebStats.open({ labelPrefix: 'web.', path });

  function handleRequest(status: number, bytes: number, seconds: number): void {
    stats.requests.incr();
    if (status >= 500) stats.errors.incr();
    stats.responseSize.observe(bytes);
    stats.latency.record(seconds);
    stats.recent.add(seconds);
  }

  stats.inFlight.inc();
  handleRequest(200, 5120, 0.012);
  stats.inFlight.dec();

  handleRequest(503, 10, 0.5);
  const { values, records } = readV2(stats.path);
  t.is(values.get('web.http.requests'), 2);
  t.is(values.get('web.http.requests{status=5xx}'), 1);
  t.is(values.get('web.http.in_flight'), 0);
  const latency = values.get('web.http.duration') as HistogramValue;
  t.is(latency.count, 2);
  t.true(Math.abs(histogramQuantile(latency, 0.5)! - 0.012) <= 0.012 / 32);
  t.like(windowStats(values.get('web.http.recent') as WindowValue, Date.now() / 1000), { count: 2, sum: 0.512 });
  t.is(records.find((r) => r.label === 'web.http.duration')!.unit, 'seconds');
});

test('the README’s v1 example writes a Python-compatible file', (t) => {
  const ForPython = defineModel({ hits: counter(), load: gauge() }, { format: 1 });
  const v1 = ForPython.open({ path: tempDir(t) });
  v1.hits.incr();
  t.is(readFileSync(v1.path)[0], 0x01);
  t.is(readBack(v1.path).get('hits'), 1n);
  t.is(readBack(v1.path).get('sys.pid'), process.pid);
});

test('the README’s procedural example works', (t) => {
  const builder = new StatsBuilder({ labelPrefix: 'queues.' });
  const depth = builder.add('mail.depth', gauge());
  const file = builder.open({ path: tempDir(t) });
  depth.value = 12;
  const late = builder.add('sms.depth', gauge());
  late.value = 3;
  const { values } = readV2(file.path);
  t.is(values.get('queues.mail.depth'), 12);
  t.is(values.get('queues.sms.depth'), 3);
});

test('the README’s cardinality example folds the sets past the limit into one record', (t) => {
  const Http = defineModel({ home: counter({ label: 'http.requests', dims: { route: '/' } }) }, { system: false });
  const stats = Http.open({ cardinalityLimit: 2, path: tempDir(t) });
  const users = stats.add('users', counter({ label: 'http.requests', dims: { route: '/users' } }));
  const past = stats.add('u1', counter({ label: 'http.requests', dims: { route: '/users/1' } }));
  const pastToo = stats.add('u2', counter({ label: 'http.requests', dims: { route: '/users/2' } }));
  users.incr();
  past.incr();
  pastToo.incr(); // the same record as `past`: http.requests{otel.metric.overflow=true} is 2
  const { values } = readV2(stats.path);
  t.is(values.get('http.requests{route=/users}'), 1);
  t.is(values.get('http.requests{otel.metric.overflow=true}'), 2);
  t.is(values.get('mmstats.cardinality_overflow{label=http.requests}'), 2);
  stats.remove();
});

test('the README’s example code is the code this test runs', (t) => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const source = readFileSync(new URL('../src/readme.test.ts', import.meta.url), 'utf8');
  const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  t.is(examples.length, 4);
  for (const example of examples) {
    const body = example.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('import'));
    for (const line of body) {
      const inTest = line
        .replace("open({ labelPrefix: 'web.' })", "open({ labelPrefix: 'web.', path })")
        .replace('ForPython.open()', 'ForPython.open({ path: tempDir(t) })')
        .replace('builder.open()', 'builder.open({ path: tempDir(t) })')
        .replace('Http.open({ cardinalityLimit: 2 })', 'Http.open({ cardinalityLimit: 2, path: tempDir(t) })');
      t.true(source.includes(inTest.trim()), `README line not exercised by this test: ${line}`);
    }
  }
});
