// The JSON API on files that are being written: values are never stale, files come and go,
// and a file replaced in place is re-parsed.
import { copyFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { validFixtures } from '@mmstats/fixtures';
import { getJson, startTestMmash, startWriter, tempDir, waitFor } from './test-support.test.util.js';

const everyAggregator = test.macro(async (t, format: 1 | 2) => {
  const { dir, cleanup } = tempDir();
  const writers = await Promise.all(['a', 'b', 'c'].map((name) => startWriter(dir, name, 0, format)));
  const mmash = await startTestMmash({ targets: [join(dir, '*.mmstats')] });
  t.teardown(async () => {
    await mmash.close();
    await Promise.all(writers.map((w) => w.stop()));
    cleanup();
  });
  // a stays at 0, so the nonzero aggregators differ from the plain ones.
  await writers[1]!.step(5);
  await writers[2]!.step(7);

  const files = (await getJson(mmash.url, '/files/')).body as { files: string[]; gone: unknown[] };
  t.deepEqual(files.files, writers.map((w) => w.path).sort());
  t.deepEqual(files.gone, [], 'the writers are running');
  t.deepEqual((await getJson(mmash.url, '/stats/app.ticks')).body, { 'app.ticks': [0, 5, 7] });
  const expected = { avg: 4, one: 0, max: 7, min: 0, sum: 12, 'nonzero-min': 5, 'nonzero-avg': 6 };
  for (const [aggr, value] of Object.entries(expected)) {
    t.deepEqual((await getJson(mmash.url, `/stats/app.ticks?aggr=${aggr}`)).body, { 'app.ticks': value }, aggr);
  }
  t.deepEqual((await getJson(mmash.url, '/stats/app.state?aggr=one')).body, { 'app.state': 'running' });

  // No caching of values: each write is visible to the very next request.
  for (let i = 1; i <= 5; i++) {
    const now = await writers[0]!.step(1000);
    t.deepEqual((await getJson(mmash.url, '/stats/app.ticks?aggr=max')).body, { 'app.ticks': now });
  }

  // Each file says its writer's pid (v1: the sys.pid field; v2: the header), and /metrics labels its series with it.
  if (format === 1) {
    const pids = (await getJson(mmash.url, '/stats/app.sys.pid')).body as Record<string, number[]>;
    t.deepEqual(pids['app.sys.pid'], writers.map((w) => ({ path: w.path, pid: w.pid })).sort((x, y) => (x.path < y.path ? -1 : 1)).map((w) => w.pid));
  }
  const metrics = await (await fetch(new URL('/metrics?series=file', mmash.url))).text();
  for (const w of writers) t.true(metrics.includes(`{pid="${w.pid}",file="${w.path}"} `), `${w.path}\n${metrics}`);
});

test('every aggregator over three live v2 writers, and values follow every write', everyAggregator, 2);
test('every aggregator over three live v1 writers (format: 1), and values follow every write', everyAggregator, 1);

test('a writer that goes away disappears; a new one appears', async (t) => {
  const { dir, cleanup } = tempDir();
  const first = await startWriter(dir, 'first');
  const mmash = await startTestMmash({ targets: [dir] });
  const writers = [first];
  t.teardown(async () => {
    await mmash.close();
    await Promise.all(writers.map((w) => w.stop()));
    cleanup();
  });
  t.deepEqual(((await getJson(mmash.url, '/files/')).body as { files: string[] }).files, [first.path]);
  await first.stop();
  t.deepEqual(((await getJson(mmash.url, '/files/')).body as { files: string[] }).files, []);
  const second = await startWriter(dir, 'second');
  writers.push(second);
  await second.step(3);
  const ticks = await waitFor('the new writer', async () => {
    const body = (await getJson(mmash.url, '/stats/app.ticks')).body as Record<string, number[]>;
    return body['app.ticks']?.[0] === 3 ? body['app.ticks'] : undefined;
  });
  t.deepEqual(ticks, [3], 'only the new writer counts');
  t.deepEqual(((await getJson(mmash.url, '/files/')).body as { files: string[] }).files, [second.path]);
});

test('a file replaced in place is parsed again (new layout, new values)', async (t) => {
  const { dir, cleanup } = tempDir();
  t.teardown(cleanup);
  const [thread0, webstats] = ['thread-0', 'webstats'].map((name) => validFixtures('v1/python-0.8.0').find((f) => f.name === name)!);
  const path = join(dir, 'app.mmstats');
  copyFileSync(thread0!.path, path);
  const mmash = await startTestMmash({ targets: [dir] });
  t.teardown(() => mmash.close());
  t.deepEqual((await getJson(mmash.url, '/stats/worker.jobs.done')).body, { 'worker.jobs.done': [10] });
  // As a writer restarting under the same name would: a new file renamed over the old one.
  copyFileSync(webstats!.path, join(dir, 'next.tmp'));
  renameSync(join(dir, 'next.tmp'), path);
  t.deepEqual((await getJson(mmash.url, '/stats/worker.jobs.done')).body, {});
  const status = webstats!.fields.find((f) => f.label === 'web.stats.status.2XX')!.value;
  t.deepEqual((await getJson(mmash.url, '/stats/web.stats.status.2XX')).body, { 'web.stats.status.2XX': [status] });
});

test('/events streams the chosen stats, per file and combined', async (t) => {
  const { dir, cleanup } = tempDir();
  const writers = await Promise.all(['a', 'b'].map((name) => startWriter(dir, name)));
  const mmash = await startTestMmash({ targets: [dir] });
  t.teardown(async () => {
    await mmash.close();
    await Promise.all(writers.map((w) => w.stop()));
    cleanup();
  });
  await writers[0]!.step(2);
  await writers[1]!.step(40);
  const controller = new AbortController();
  const response = await fetch(new URL('/events?stat=app.ticks&stat=app.state&stat=app.latency&stat=app.recent&stat=app.load&stat=app.requests&aggr=sum&interval=100', mmash.url), { signal: controller.signal });
  t.is(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const events: Array<{ t: number; files: string[]; stats: Record<string, { kind: string; recordKind: string; unit: string; files: Record<string, unknown>; aggr: unknown }> }> = [];
  while (events.length < 3) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      if (data) events.push(JSON.parse(data.slice(6)));
    }
    if (events.length === 1) await writers[0]!.step(100);
  }
  controller.abort();
  t.deepEqual(events[0]!.stats['app.ticks'], {
    kind: 'number',
    recordKind: 'counter',
    unit: '',
    files: Object.fromEntries(writers.map((w, i) => [w.path, [2, 40][i]])),
    aggr: 42,
  });
  t.deepEqual(events[0]!.stats['app.state']!.kind, 'string');
  // Histograms as their percentiles, per file and merged; windows as rates; averages as means.
  const latency = events[0]!.stats['app.latency']!;
  t.like(latency, { kind: 'histogram', recordKind: 'timer', unit: 'seconds' });
  t.deepEqual(Object.keys(latency.files[writers[0]!.path] as object), ['count', 'sum', 'p50', 'p90', 'p99']);
  t.like(latency.aggr as object, { count: 2, p99: 0.04 });
  t.like(events[0]!.stats['app.recent'], { kind: 'window', unit: 'seconds' });
  t.like(events[0]!.stats['app.recent']!.aggr as object, { count: 2, mean: 21 });
  t.like(events[0]!.stats['app.load'], { kind: 'average', aggr: { count: 2, sum: 42, mean: 21 } });
  // A label with dimensions: one entry per file and set of dimensions.
  t.deepEqual(Object.keys(events[0]!.stats['app.requests']!.files).sort(), writers.flatMap((w) => [`${w.path} {status=2xx}`, `${w.path} {status=5xx}`]).sort());
  t.is(events.at(-1)!.stats['app.ticks']!.aggr, 142);
  t.true(events[2]!.t > events[0]!.t);
});
