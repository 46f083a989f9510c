import test from 'ava';
import { planV1Layout, type Value } from '@mmstats/format';
import { inferV1Kind, type HistogramValue, type StatsField, type StatsSnapshot } from '@mmstats/reader';
import { parseColumn, showOf, type PolledColumn } from './field-kinds.js';
import { Tally, type FileReading } from './tally.js';

function v1Field(label: string, type: string, value: Value): StatsField {
  const planned = planV1Layout([{ label, type, buffered: true }]);
  if (!planned.ok) throw planned.error;
  const layout = planned.value.fields[0]!;
  const kind = inferV1Kind(layout);
  return { version: 1, label, kind, unit: '', help: '', dims: {}, merge: kind === 'text' ? 'none' : 'sum', type, value, layout };
}

function v2Field(label: string, kind: string, type: string, value: StatsField['value'], dims: Record<string, string> = {}): StatsField {
  const layout = { encodingName: type, params: type === 'histogram' ? [0, 0, 4] : [0, 0, 0] } as never;
  return { version: 2, label, kind, unit: '', help: '', dims, merge: 'sum', type, value: value as never, layout };
}

function reading(id: string, fields: StatsField[]): FileReading {
  const snapshot: StatsSnapshot = { path: id, version: fields[0]?.version ?? 1, notices: [], fields };
  return { id, snapshot };
}

function columns(readings: readonly FileReading[], ...names: string[]): PolledColumn[] {
  return names.map((name) => {
    const column = parseColumn(name, 'app.');
    const field = readings.flatMap((r) => r.snapshot.fields).find((f) => f.label === column.label);
    return { ...column, show: field === undefined ? undefined : showOf(column, field) };
  });
}

const worker = (id: string, requests: Value, workers: Value = 1) => reading(id, [v1Field('app.requests', 'Q', requests), v1Field('app.workers', 'I', workers)]);

test('totals are sums over files; the first tick has no change, later ticks the growth', (t) => {
  const tally = new Tally();
  const first = [worker('a', 10n), worker('b', 100n)];
  const cols = columns(first, 'requests', 'workers');
  t.deepEqual(tally.add(first, cols), [
    { total: 110n, change: null },
    { total: 2, change: null },
  ]);
  t.deepEqual(tally.add([worker('a', 15n), worker('b', 130n)], cols), [
    { total: 145n, change: 35n },
    { total: 2, change: null },
  ]);
});

test('a file that joins adds to the total but not to the change; one that leaves takes nothing away', (t) => {
  const tally = new Tally();
  const cols = columns([worker('a', 0n)], 'requests');
  tally.add([worker('a', 10n), worker('b', 100n)], cols);
  const [requests] = tally.add([worker('a', 12n), worker('c', 1000n)], cols);
  t.deepEqual(requests, { total: 1012n, change: 2n });
  const [next] = tally.add([worker('a', 13n), worker('c', 1005n)], cols);
  t.deepEqual(next, { total: 1018n, change: 6n });
});

test('a counter that went down was reset: it counts from zero', (t) => {
  const tally = new Tally();
  const cols = columns([worker('a', 0n)], 'requests');
  tally.add([worker('a', 500n)], cols);
  t.deepEqual(tally.add([worker('a', 7n)], cols)[0], { total: 7n, change: 7n });
});

test('no file has the label: no total, and a change of 0 once ticking', (t) => {
  const tally = new Tally();
  const cols = columns([worker('a', 0n)], 'requests', 'nothing');
  const empty = reading('x', []);
  t.deepEqual(tally.add([empty], cols), [{ total: null, change: null }, { total: null, change: null }]);
  t.deepEqual(tally.add([empty], cols), [{ total: null, change: 0 }, { total: null, change: null }]);
});

test("strings show the first file's value", (t) => {
  const tally = new Tally();
  const files = [reading('a', [v1Field('app.host', '16s', 'alpha')]), reading('b', [v1Field('app.host', '16s', 'beta')])];
  t.deepEqual(tally.add(files, columns(files, 'host')), [{ total: 'alpha', change: null }]);
});

test('v2: counters of several dimensions and files add up record by record; a v1 Q and a v2 f64 counter merge', (t) => {
  const tally = new Tally();
  const at = (a200: number, a500: number, b: bigint) => [
    reading('a', [v2Field('app.requests', 'counter', 'f64', a200, { status: '200' }), v2Field('app.requests', 'counter', 'f64', a500, { status: '500' })]),
    reading('b', [v1Field('app.requests', 'Q', b)]),
  ];
  const cols = columns(at(0, 0, 0n), 'requests', 'requests{status=500}');
  t.deepEqual(tally.add(at(10, 1, 5n), cols), [{ total: 16, change: null }, { total: 1, change: null }]);
  t.deepEqual(tally.add(at(15, 3, 6n), cols), [{ total: 24, change: 8 }, { total: 3, change: 2 }]);
});

test('v2: histograms merge over files before the percentile; :count is a counter', (t) => {
  // k = 0, buckets of powers of two from 2^0 to 2^4: values 1.5 (bucket 1) and 12 (bucket 4).
  const hist = (low: number, high: number): HistogramValue => {
    const buckets = new Float64Array(6);
    buckets[1] = low;
    buckets[4] = high;
    return { params: { k: 0, minExp: 0, maxExp: 4 }, count: low + high, sum: low * 1.5 + high * 12, min: low > 0 ? 1.5 : 12, max: high > 0 ? 12 : 1.5, buckets };
  };
  const files = (a: HistogramValue, b: HistogramValue) => [reading('a', [v2Field('app.lat', 'timer', 'histogram', a)]), reading('b', [v2Field('app.lat', 'timer', 'histogram', b)])];
  const first = files(hist(98, 0), hist(0, 2));
  const cols = columns(first, 'lat:p50', 'lat', 'lat:count', 'lat:max', 'lat:mean');
  const [p50, p99, count, max, mean] = tally.call(new Tally(), first, cols);
  t.is(p50!.total, 1.5, 'bucket [1, 2) midpoint');
  t.is(p99!.total, 12, 'bucket [8, 16) midpoint 12, clamped to max 12: only the merged histogram has the tail');
  t.deepEqual(count, { total: 100, change: null });
  t.is(max!.total, 12);
  t.is(mean!.total, (98 * 1.5 + 2 * 12) / 100);
  const tally2 = new Tally();
  tally2.add(first, cols);
  t.deepEqual(tally2.add(files(hist(100, 0), hist(0, 5)), cols)[2], { total: 105, change: 5 });
});

test('v2: after the first tick, percentiles, sum and mean are those of the interval, from the buckets’ growth', (t) => {
  // k = 0 from 2^0 to 2^4: 1.5 is in bucket 1 ([1, 2)), 12 in bucket 4 ([8, 16)).
  const hist = (low: number, high: number): HistogramValue => {
    const buckets = new Float64Array(6);
    buckets[1] = low;
    buckets[4] = high;
    return { params: { k: 0, minExp: 0, maxExp: 4 }, count: low + high, sum: low * 1.5 + high * 12, min: 1.5, max: 12, buckets };
  };
  const files = (a: HistogramValue, b?: HistogramValue) => [
    reading('a', [v2Field('app.lat', 'timer', 'histogram', a)]),
    ...(b === undefined ? [] : [reading('b', [v2Field('app.lat', 'timer', 'histogram', b)])]),
  ];
  const tally = new Tally();
  const start = files(hist(1000, 0), hist(1000, 0));
  const cols = columns(start, 'lat', 'lat:p50', 'lat:sum', 'lat:mean', 'lat:max', 'lat:count');
  // Since start (the first line): 2000 fast values, no tail.
  t.deepEqual(tally.add(start, cols).map((c) => c.total), [1.5, 1.5, 3000, 1.5, 12, 2000]);
  // This interval, a slow one: 10 values of 12 in file a, 10 fast ones in b. Since start the
  // p99 would still be 1.5 (20 slow of 2020); over the interval half are slow.
  const slow = tally.add(files(hist(1000, 10), hist(1010, 0)), cols);
  t.deepEqual(slow.map((c) => c.total), [12, 1.5, 10 * 12 + 10 * 1.5, (10 * 12 + 10 * 1.5) / 20, 12, 2020]);
  t.is(slow[5]!.change, 20, ':count stays a counter: its change is the interval’s count');
  // A quiet interval: nothing recorded, so there is no percentile and no mean.
  t.deepEqual(tally.add(files(hist(1000, 10), hist(1010, 0)), cols).map((c) => c.total), [null, null, 0, null, 12, 2020]);
  // File b restarted (count went down: counted from zero, 3 fast values); a new file c adds nothing this tick.
  const after = tally.add([...files(hist(1000, 10), hist(3, 0)), reading('c', [v2Field('app.lat', 'timer', 'histogram', hist(0, 50))])], cols);
  t.deepEqual(after.slice(0, 4).map((c) => c.total), [1.5, 1.5, 4.5, 1.5]);
});

function tally(this: Tally, readings: FileReading[], cols: PolledColumn[]) {
  return this.add(readings, cols);
}
