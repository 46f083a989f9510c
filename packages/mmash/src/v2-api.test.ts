// The JSON API on format v2: the v2 fixtures served beside the Python (v1) ones, the JSON form
// of every v2 encoding (spec/expected-json.md#v2) with percentiles, means and window rates,
// `/stats/?detail=1`, and `/merged/` by the records' own merge rules, on fixtures and on live
// writers.
import { dirname, join } from 'node:path';
import test from 'ava';
import { validFixtures, validV2Fixtures, type JsonData } from '@mmstats/fixtures';
import type { RunningMmash } from './server.js';
import { getJson, startTestMmash, startWriter, tempDir } from './test-support.test.util.js';

const python = validFixtures('v1/python-0.8.0');
const pythonDir = dirname(python[0]!.path);
const allKinds = validV2Fixtures('v2/ts').find((f) => f.name === 'all-kinds')!;
const stuck = validV2Fixtures('v2/edge').find((f) => f.name === 'stuck-seq')!;
let mmash: RunningMmash;

test.before(async () => {
  mmash = await startTestMmash({ targets: [`${pythonDir}/*.mmstats`, allKinds.path, stuck.path] });
});
test.after.always(async () => {
  await mmash?.close();
});

type Json = Record<string, JsonData>;

/** Within the histogram error bound of spec/format-v2.md#enc-histogram at k = 4 (3.125 %). */
function near(actual: unknown, expected: number, relative = 2 ** -5): boolean {
  return typeof actual === 'number' && Math.abs(actual - expected) <= relative * Math.abs(expected);
}

test('v1 and v2 files side by side: /files/ and /stats/ list both', async (t) => {
  const files = (await getJson(mmash.url, '/files/')).body as { files: string[] };
  t.true(files.files.includes(allKinds.path));
  t.true(files.files.includes(python[0]!.path));
  const stats = ((await getJson(mmash.url, '/stats/')).body as { stats: string[] }).stats;
  t.true(stats.includes('request.duration'));
  t.true(stats.includes('worker.jobs.done'));
});

test('every v2 value in the JSON form of spec/expected-json.md#v2, plus what readers compute', async (t) => {
  for (const record of allKinds.json.records) {
    const { body } = await getJson(mmash.url, `/stats/${encodeURIComponent(record.label)}?exact=1&glob=all-kinds.mmstats`);
    const values = (body as Record<string, JsonData[]>)[record.label]!;
    // all-kinds has one record per label.
    t.is(values.length, 1, record.label);
    const value = values[0]!;
    if (record.encoding === 'histogram') {
      const { percentiles, ...rest } = value as Json;
      t.deepEqual(rest, record.value as Json, record.label);
      t.deepEqual(Object.keys(percentiles as Json), ['p50', 'p90', 'p99'], record.label);
    } else if (record.encoding === 'window') {
      const { window, ...rest } = value as Json;
      t.deepEqual(rest, record.value as Json, record.label);
      t.deepEqual(Object.keys(window as Json), ['rate', 'mean', 'count', 'sum', 'elapsed'], record.label);
    } else if (record.encoding === 'average') {
      const { mean, ...rest } = value as Json;
      t.deepEqual(rest, record.value as Json, record.label);
      t.is(mean, 21, record.label);
    } else {
      t.deepEqual(value, record.value!, record.label);
    }
  }
  // request.duration holds 0.001, 0.002 and 0.25 s.
  const duration = (await getJson(mmash.url, '/stats/request.duration?exact=1&percentiles=0.3,0.5,1')).body as Record<string, Json[]>;
  const p = duration['request.duration']![0]!['percentiles'] as Json;
  t.deepEqual(Object.keys(p), ['p30', 'p50', 'p100']);
  t.true(near(p['p30'], 0.001), String(p['p30']));
  t.true(near(p['p50'], 0.002), String(p['p50']));
  t.is(p['p100'], 0.25);
  // A value that never settled (MMSTATS-E014) is left out; the file's other values are there.
  t.deepEqual((await getJson(mmash.url, '/stats/latency.avg?glob=stuck-seq.mmstats')).body, {});
  t.deepEqual((await getJson(mmash.url, '/stats/requests?exact=1&glob=stuck-seq.mmstats')).body, { requests: [3] });
});

test('bad percentiles get a 400', async (t) => {
  for (const bad of ['0', '1.5', 'abc', '0.5,', '-0.1', Array.from({ length: 21 }, () => '0.5').join(',')]) {
    const { status, body } = await getJson(mmash.url, `/stats/x?percentiles=${bad}`);
    t.is(status, 400, bad);
    t.regex((body as { error: string }).error, /percentiles/, bad);
  }
  t.is((await getJson(mmash.url, '/merged/x?perfile=maybe')).status, 400);
  t.is((await getJson(mmash.url, '/stats/?detail=maybe')).status, 400);
});

test('/stats/?detail=1 lists label, dims, kind, unit, help, merge rule, type, versions and files', async (t) => {
  const { body } = await getJson(mmash.url, '/stats/?detail=1');
  const stats = (body as { stats: Json[] }).stats;
  t.deepEqual(
    stats.find((s) => s['label'] === 'request.duration'),
    { label: 'request.duration', dims: { route: '/api/é' }, kind: 'timer', unit: 'seconds', help: allKinds.json.records.find((r) => r.label === 'request.duration')!.help, merge: 'sum', type: 'histogram', versions: [2], files: 1 },
  );
  t.like(stats.find((s) => s['label'] === 'worker.jobs.done'), { dims: {}, kind: 'counter', unit: '', help: '', merge: 'sum', type: 'Q', versions: [1], files: 3 });
  const labels = stats.map((s) => s['label'] as string);
  t.deepEqual(labels, [...labels].sort());
});

test('/merged/ merges by the records own rules and says why when it does not', async (t) => {
  const { body } = await getJson(mmash.url, '/merged/worker.jobs.done?exact=1&perfile=1');
  const [done] = (body as { merged: Json[] }).merged;
  t.like(done, { label: 'worker.jobs.done', kind: 'counter', merge: 'sum', value: 60, files: 3, errors: [] });
  t.is((done!['perFile'] as Json[]).length, 3);
  const state = (await getJson(mmash.url, '/merged/state?exact=1')).body as { merged: Json[] };
  t.like(state.merged[0], { value: null, notMerged: 'merge rule none', files: 1 });
  t.is(state.merged[0]!['perFile'], undefined);
  const stuckOne = (await getJson(mmash.url, '/merged/latency.avg')).body as { merged: Json[] };
  t.like(stuckOne.merged[0], { value: null, files: 0 });
  t.is((stuckOne.merged[0]!['errors'] as Json[])[0]!['code'], 'MMSTATS-E014');
});

test('live v2 writers: /merged/ sums counters per dimension, merges histograms and windows; Python aggregators beside it', async (t) => {
  const { dir, cleanup } = tempDir();
  const writers = await Promise.all(['a', 'b', 'old'].map((name) => startWriter(dir, name, 0, name === 'old' ? 1 : 2)));
  const live = await startTestMmash({ targets: [join(dir, '*.mmstats')] });
  t.teardown(async () => {
    await live.close();
    await Promise.all(writers.map((w) => w.stop()));
    cleanup();
  });
  await writers[0]!.step(2);
  await writers[1]!.step(40);
  await writers[2]!.step(100);

  const merged = ((await getJson(live.url, '/merged/app.')).body as { merged: Json[] }).merged;
  const find = (label: string, dims: Json = {}): Json => merged.find((m) => m['label'] === label && JSON.stringify(m['dims']) === JSON.stringify(dims))!;
  // v1 and v2 counters of one label merge (the v1 one is a buffered Q: a counter).
  t.like(find('app.ticks'), { kind: 'counter', merge: 'sum', value: 142, files: 3 });
  t.like(find('app.requests', { status: '2xx' }), { unit: 'requests', value: 42, files: 2 });
  t.like(find('app.requests', { status: '5xx' }), { value: 0, files: 2 });
  const latency = find('app.latency');
  t.like(latency, { kind: 'timer', unit: 'seconds', files: 2 });
  const value = latency['value'] as Json;
  t.like(value, { count: 2, min: 0.002, max: 0.04 });
  t.true(near(value['sum'] as number, 0.042, 1e-12));
  const p = value['percentiles'] as Json;
  t.true(near(p['p50'], 0.002), String(p['p50']));
  t.true(near(p['p99'], 0.04), String(p['p99']));
  const recent = find('app.recent')['value'] as Json;
  t.like(recent['window'], { count: 2, sum: 42, mean: 21 });
  t.like(find('app.load')['value'], { sum: 42, count: 2, mean: 21 });
  t.like(find('app.state'), { value: null, notMerged: 'merge rule none', files: 3 });

  // Python's aggregators still work, and skip the composite values (one gives the first).
  t.deepEqual((await getJson(live.url, '/stats/app.ticks?aggr=sum')).body, { 'app.ticks': 142 });
  t.deepEqual((await getJson(live.url, '/stats/app.latency?aggr=sum')).body, { 'app.latency': null });
  const one = (await getJson(live.url, '/stats/app.latency?aggr=one')).body as Record<string, Json>;
  t.like(one['app.latency'], { count: 1, sum: 0.002 });
  // Two records with one label (and different dims) in one file: both values are listed.
  t.deepEqual((await getJson(live.url, '/stats/app.requests')).body, { 'app.requests': [2, 0, 40, 0] });
});
