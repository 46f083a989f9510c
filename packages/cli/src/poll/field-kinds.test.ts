import test from 'ava';
import { planV1Layout } from '@mmstats/format';
import { inferV1Kind, type StatsField } from '@mmstats/reader';
import { columnProblem, columnSelects, parseColumn, showOf } from './field-kinds.js';

function v1(type: string, buffered = true): StatsField {
  const planned = planV1Layout([{ label: 'app.x', type, buffered }]);
  if (!planned.ok) throw planned.error;
  const layout = planned.value.fields[0]!;
  return { version: 1, label: 'app.x', kind: inferV1Kind(layout), unit: '', help: '', dims: {}, merge: 'sum', type, value: 0, layout };
}

function v2(kind: string, type: string, unit = ''): StatsField {
  return { version: 2, label: 'app.x', kind, unit, help: '', dims: { status: '200' }, merge: 'sum', type, value: 0, layout: {} as never };
}

test('FIELDS entries: a name, dimensions in braces, a selector after the last colon', (t) => {
  t.deepEqual(parseColumn('requests', 'app.'), { name: 'requests', key: 'app.requests', label: 'app.requests', dims: {}, selector: undefined });
  t.deepEqual(parseColumn('latency:p99.9'), { name: 'latency:p99.9', key: 'latency:p99.9', label: 'latency', dims: {}, selector: 'p99.9' });
  t.deepEqual(parseColumn('req{status=500,method=GET}:count').dims, { status: '500', method: 'GET' });
  t.is(parseColumn('host:8080').label, 'host:8080', 'a colon before anything but a word is part of the name');
  t.deepEqual(parseColumn('host:port{}'), { name: 'host:port{}', key: 'host:port{}', label: 'host:port', dims: {}, selector: undefined }, 'empty braces name a label ending in :word');
  t.is(parseColumn('req{route=/a:b}').label, 'req', 'a colon inside the braces is part of a dimension');
  const column = parseColumn('x{status=200}', 'app.');
  t.true(columnSelects(column, { label: 'app.x', dims: { status: '200', method: 'GET' } }));
  t.false(columnSelects(column, { label: 'app.x', dims: { status: '500' } }));
  t.true(columnSelects(parseColumn('x', 'app.'), { label: 'app.x', dims: { status: '500' } }), 'no braces: every record of the label');
});

test("v1: the reader's inferV1Kind decides, a buffered Q or L is a counter, everything else a gauge", (t) => {
  const column = parseColumn('x', 'app.');
  t.is(showOf(column, v1('Q')).mode, 'counter');
  t.is(showOf(column, v1('L')).mode, 'counter');
  for (const [type, buffered] of [['Q', false], ['q', true], ['I', true], ['d', true], ['?', false], ['16s', false]] as const) {
    t.is(showOf(column, v1(type, buffered)).mode, 'gauge', type);
  }
});

test('--gauge and --counter override the kind, by the name as typed or by the full label', (t) => {
  const column = parseColumn('x', 'app.');
  t.is(showOf(column, v1('Q'), { gauges: ['x'] }).mode, 'gauge');
  t.is(showOf(column, v1('Q'), { gauges: ['app.x'] }).mode, 'gauge');
  t.is(showOf(column, v1('d'), { counters: ['x'] }).mode, 'counter');
  t.is(showOf(column, v1('Q'), { counters: ['x'], gauges: ['x'] }).mode, 'gauge');
  t.is(showOf(column, v2('gauge', 'f64'), { counters: ['x'] }).mode, 'counter');
});

test('v2: the record kind decides; composite kinds take selectors with a default each', (t) => {
  const plain = parseColumn('x', 'app.');
  t.deepEqual(showOf(plain, v2('counter', 'f64', 'requests')), { kind: 'counter', unit: 'requests', mode: 'counter' });
  t.is(showOf(plain, v2('gauge', 'i64')).mode, 'gauge');
  t.is(showOf(plain, v2('info', 'text')).mode, 'gauge');
  t.deepEqual(showOf(plain, v2('timer', 'histogram', 'seconds')), { kind: 'timer', unit: 'seconds', mode: 'stat', selector: 'p99' });
  t.is(showOf(plain, v2('average', 'average')).selector, 'mean');
  t.is(showOf(plain, v2('window', 'window')).selector, 'rate');
  t.deepEqual(showOf(parseColumn('x:count', 'app.'), v2('histogram', 'histogram')).mode, 'counter', 'a count shows its change');
  t.is(showOf(parseColumn('x:p50', 'app.'), v2('histogram', 'histogram')).selector, 'p50');
  t.regex(showOf(parseColumn('x:rate', 'app.'), v2('histogram', 'histogram')).problem ?? '', /has no :rate/);
  t.regex(showOf(parseColumn('x:p99', 'app.'), v2('counter', 'f64')).problem ?? '', /a counter has no :p99/);
});

test('an unknown selector is refused before polling: a word no kind has, a percentile outside (0, 100]', (t) => {
  for (const good of ['latency', 'latency:p50', 'latency:p99.9', 'latency:p100', 'x:count', 'x:rate', 'req{status=500}:sum', 'host:port{}', 'host:8080']) {
    t.is(columnProblem(good), undefined, good);
  }
  for (const [bad, selector] of [['latency:p1000', 'p1000'], ['latency:p0', 'p0'], ['latency:foo', 'foo'], ['latency:pN', 'pN'], ['req{status=500}:avg', 'avg'], ['x:P99', 'P99']]) {
    t.is(columnProblem(bad!), `${bad!}: unknown selector :${selector!} (selectors: :pN with 0 < N <= 100, :count, :mean, :max, :min, :sum, :rate)`);
  }
});
