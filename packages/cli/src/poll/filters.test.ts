import test from 'ava';
import { planV1Layout, type V1FieldLayout, type Value } from '@mmstats/format';
import { inferV1Kind, type StatsField } from '@mmstats/reader';
import { matchesFilters as matchesFields, parseFilter, valueIs, type PollFilter } from './filters.js';

function fields(specs: Array<[label: string, type: string]>): readonly V1FieldLayout[] {
  const planned = planV1Layout(specs.map(([label, type]) => ({ label, type, buffered: true })));
  if (!planned.ok) throw planned.error;
  return planned.value.fields;
}

const worker = fields([
  ['web.worker', 'I'],
  ['web.host', '16s'],
  ['web.requests', 'Q'],
  ['web.busy', '?'],
]);
const values: Value[] = [3, 'alpha', 12n, true];

function matchesFilters(layouts: readonly V1FieldLayout[], current: readonly Value[], filters: readonly PollFilter[]): boolean {
  const withValues = layouts.map((layout, i): StatsField => ({
    version: 1, label: layout.label, kind: inferV1Kind(layout), unit: '', help: '', dims: {}, merge: 'sum', type: layout.type, value: current[i]!, layout,
  }));
  return matchesFields(withValues, filters);
}

test('KEY=VALUE splits at the first "=" and KEY alone is a presence filter', (t) => {
  t.deepEqual(parseFilter('web.worker=3'), { key: 'web.worker', value: '3' });
  t.deepEqual(parseFilter('tag=a=b'), { key: 'tag', value: 'a=b' });
  t.deepEqual(parseFilter('web.'), { key: 'web.' });
});

test('a presence filter matches a label prefix; a value filter the exact label holding that value', (t) => {
  t.true(matchesFilters(worker, values, [parseFilter('web.req')]));
  t.false(matchesFilters(worker, values, [parseFilter('db.')]));
  t.true(matchesFilters(worker, values, [parseFilter('web.worker=3')]));
  t.false(matchesFilters(worker, values, [parseFilter('web.worker=4')]));
  // A value filter wants the whole label, not a prefix of it.
  t.false(matchesFilters(worker, values, [parseFilter('web.work=3')]));
  t.true(matchesFilters(worker, values, [parseFilter('web.host=alpha')]));
});

test('filters narrow: every one must match, and no filters match every file', (t) => {
  t.true(matchesFilters(worker, values, []));
  t.true(matchesFilters(worker, values, [parseFilter('web.worker=3'), parseFilter('web.host=alpha')]));
  t.false(matchesFilters(worker, values, [parseFilter('web.worker=3'), parseFilter('web.host=beta')]));
});

test('values compare as slurp prints them, as numbers, or for bools as true/1', (t) => {
  const [, , requests, busy] = worker.map((field) => field.valueType.kind);
  t.true(valueIs(12n, requests!, '12'));
  t.true(valueIs(18446744073709551615n, requests!, '18446744073709551615'));
  t.false(valueIs(18446744073709551615n, requests!, '18446744073709551614'));
  t.true(valueIs(true, busy!, 'True'));
  t.true(valueIs(true, busy!, '1'));
  t.false(valueIs(true, busy!, 'false'));
  const [ratio] = fields([['ratio', 'd']]).map((field) => field.valueType.kind);
  t.true(valueIs(2, ratio!, '2.0'));
  t.true(valueIs(2, ratio!, '2'));
  t.false(valueIs(2, ratio!, ''));
});


test('v2 values compare as slurp prints them; composite values match nothing', (t) => {
  t.true(valueIs(12, undefined, '12'));
  t.true(valueIs(2n ** 64n - 1n, undefined, '18446744073709551615'));
  t.true(valueIs('eu-west', undefined, 'eu-west'));
  t.false(valueIs({ sum: 1, count: 1 }, undefined, '1'));
});
