import test from 'ava';
import type { Value } from '@mmstats/format';
import { Tally, type TallyColumn } from './tally.js';

const columns: TallyColumn[] = [
  { label: 'app.requests', kind: 'counter' },
  { label: 'app.workers', kind: 'gauge' },
];

function reading(id: string, requests: Value, workers: Value = 1) {
  return { id, values: new Map<string, Value>([['app.requests', requests], ['app.workers', workers]]) };
}

test('totals are sums over files; the first tick has no change, later ticks the growth', (t) => {
  const tally = new Tally();
  t.deepEqual(tally.add([reading('a', 10n), reading('b', 100n)], columns), [
    { total: 110n, change: null },
    { total: 2, change: null },
  ]);
  t.deepEqual(tally.add([reading('a', 15n), reading('b', 130n)], columns), [
    { total: 145n, change: 35n },
    { total: 2, change: null },
  ]);
});

test('a file that joins adds to the total but not to the change; one that leaves takes nothing away', (t) => {
  const tally = new Tally();
  tally.add([reading('a', 10n), reading('b', 100n)], columns);
  // c joins with 1000 already counted; b leaves with its 100.
  const [requests] = tally.add([reading('a', 12n), reading('c', 1000n)], columns);
  t.deepEqual(requests, { total: 1012n, change: 2n });
  const [next] = tally.add([reading('a', 13n), reading('c', 1005n)], columns);
  t.deepEqual(next, { total: 1018n, change: 6n });
});

test('a counter that went down was reset: it counts from zero', (t) => {
  const tally = new Tally();
  tally.add([reading('a', 500n)], columns);
  t.deepEqual(tally.add([reading('a', 7n)], columns)[0], { total: 7n, change: 7n });
});

test('no file has the label: no total, and a change of 0 once ticking', (t) => {
  const tally = new Tally();
  const empty = { id: 'x', values: new Map<string, Value>() };
  t.deepEqual(tally.add([empty], columns), [{ total: null, change: null }, { total: null, change: null }]);
  t.deepEqual(tally.add([empty], columns), [{ total: null, change: 0 }, { total: null, change: null }]);
});

test('strings show the first file\'s value; numbers and bigints mix into a float sum', (t) => {
  const tally = new Tally();
  const text = [{ label: 'host', kind: 'gauge' as const }];
  const result = tally.add([{ id: 'a', values: new Map([['host', 'alpha']]) }, { id: 'b', values: new Map([['host', 'beta']]) }], text);
  t.deepEqual(result, [{ total: 'alpha', change: null }]);
  const mixed = [{ label: 'n', kind: 'counter' as const }];
  const tally2 = new Tally();
  tally2.add([{ id: 'a', values: new Map<string, Value>([['n', 1.5]]) }, { id: 'b', values: new Map<string, Value>([['n', 2n]]) }], mixed);
  t.deepEqual(tally2.add([{ id: 'a', values: new Map<string, Value>([['n', 2.5]]) }, { id: 'b', values: new Map<string, Value>([['n', 4n]]) }], mixed), [{ total: 6.5, change: 3 }]);
});
