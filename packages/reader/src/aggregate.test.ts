import test from 'ava';
import { validFixtures } from '@mmstats/fixtures';
import { aggregate, collectValues, isAggregator } from './aggregate.js';
import { readStats } from './read-stats.js';

const threads = validFixtures('v1/python-0.8.0')
  .filter((f) => f.name.startsWith('thread-'))
  .map((f) => readStats(f.path));

test('the values of a label are collected from every file, labels sorted', (t) => {
  const values = collectValues(threads, { prefix: 'worker.jobs' });
  t.deepEqual([...values.keys()], ['worker.jobs.done']);
  t.deepEqual(values.get('worker.jobs.done'), [10n, 20n, 30n]);
  t.deepEqual([...collectValues(threads, { prefix: 'worker.' }).keys()].slice(0, 3), ['worker.busy', 'worker.jobs.done', 'worker.org.python.version']);
});

test('exact selects the whole label only (Python mmash also matched it as a prefix)', (t) => {
  t.deepEqual([...collectValues(threads, { prefix: 'worker.sys.pid', exact: true }).keys()], ['worker.sys.pid']);
  t.is(collectValues(threads, { prefix: 'worker.sys', exact: true }).size, 0);
});

test('each aggregator over the three threads of the Python fixtures', (t) => {
  const done = collectValues(threads, { prefix: 'worker.jobs.done', exact: true }).get('worker.jobs.done')!;
  t.is(aggregate(done, 'sum'), 60n);
  t.is(aggregate(done, 'avg'), 20);
  t.is(aggregate(done, 'min'), 10n);
  t.is(aggregate(done, 'max'), 30n);
  t.is(aggregate(done, 'one'), 10n);
  const busy = collectValues(threads, { prefix: 'worker.busy' }).get('worker.busy')!;
  t.is(aggregate(busy, 'sum'), 2);
  t.is(aggregate(busy, 'nonzero-min'), 1);
});

test('nonzero aggregators ignore zeros; numeric aggregators ignore strings', (t) => {
  t.is(aggregate([0, 4, 0, 2], 'nonzero-min'), 2);
  t.is(aggregate([0, 4, 0, 2], 'nonzero-avg'), 3);
  t.is(aggregate([0, 0], 'nonzero-avg'), null);
  t.is(aggregate(['a', 'b'], 'sum'), null);
  t.is(aggregate(['a', 'b'], 'one'), 'a');
  t.is(aggregate([1.5, 2n], 'sum'), 3.5);
  t.is(aggregate([2n ** 63n, 2n ** 63n], 'sum'), 2n ** 64n);
});

test('aggregator names are checked', (t) => {
  t.true(isAggregator('nonzero-avg'));
  t.false(isAggregator('median'));
});
