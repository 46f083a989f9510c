import test from 'ava';
import type { TopRow } from './model.js';
import { nextSortColumn, rowFilter, sortRows } from './order.js';

const row = (name: string, value: TopRow['value'], rate: number | null = null, source = ''): TopRow => ({ key: name + source, source, name, kind: 'gauge', unit: '', value, rate, p50: null, p90: null, p99: null, history: [] });
const names = (rows: readonly TopRow[]) => rows.map((r) => r.name + (r.source === '' ? '' : `@${r.source}`));

test('sorting by a number puts rows without one last, in either direction; ties go by name', (t) => {
  const rows = [row('b', 2, 5), row('a', 10n, null), row('c', 'text', 5), row('d', null, 1)];
  t.deepEqual(names(sortRows(rows, 'value', false)), ['b', 'a', 'c', 'd'], 'numbers and bigints together, then text, then none');
  t.deepEqual(names(sortRows(rows, 'value', true)), ['c', 'a', 'b', 'd']);
  t.deepEqual(names(sortRows(rows, 'rate', true)), ['b', 'c', 'd', 'a']);
  t.deepEqual(names(sortRows(rows, 'name', true)), ['d', 'c', 'b', 'a']);
});

test('the sort column steps through the columns of the view, wrapping around', (t) => {
  t.is(nextSortColumn('name', 'merged', 1), 'value', 'the merged view has no source column');
  t.is(nextSortColumn('name', 'worker', 1), 'source');
  t.is(nextSortColumn('name', 'merged', -1), 'p99');
  t.is(nextSortColumn('source', 'merged', 1), 'value');
});

test('a pattern is a substring ignoring case, or with a wildcard a glob of the whole name or source', (t) => {
  const rows = [row('http.requests', 1), row('http.latency', 1, null, 'pid 42'), row('db.Requests', 1)];
  t.deepEqual(names(rows.filter(rowFilter('requests'))), ['http.requests', 'db.Requests']);
  t.deepEqual(names(rows.filter(rowFilter('http.*'))), ['http.requests', 'http.latency@pid 42']);
  t.deepEqual(names(rows.filter(rowFilter('*42'))), ['http.latency@pid 42'], 'a source matches too');
  t.deepEqual(names(rows.filter(rowFilter('[z-a]*'))), [], 'a reversed set matches nothing');
  t.is(rows.filter(rowFilter('')).length, 3);
});

test('a hostile pattern takes linear time, where a regular expression would backtrack for ages', (t) => {
  const name = `${'a'.repeat(5000)}b`;
  const started = performance.now();
  t.false(rowFilter(`${'*a'.repeat(50)}c`)(row(name, 1)));
  t.true(performance.now() - started < 2000);
});
