import test from 'ava';
import { readStats, serviceOf } from '@mmstats/reader';
import { counter, defineModel, double, osThreadId, uint, MmstatsError, ErrorCodes } from './index.js';
import { readBack, tempDir } from './common/test-support.test.util.js';

const Jobs = defineModel({ done: counter(), load: double({ label: 'load.avg' }) }, { format: 1 });

test('labels default to the property name, and labelPrefix goes in front of every label', (t) => {
  const stats = Jobs.open({ path: tempDir(t), labelPrefix: 'worker.' });
  const labels = readStats(stats.path).fields.map((f) => f.label);
  t.deepEqual(labels.slice(0, 2), ['worker.done', 'worker.load.avg']);
});

test('the default model adds the sys.* fields, resolved for this instance', (t) => {
  const before = Date.now() / 1000;
  const stats = Jobs.open({ path: tempDir(t) });
  const read = readBack(stats.path);
  t.is(read.get('sys.pid'), process.pid);
  t.is(read.get('sys.tid'), BigInt(osThreadId()));
  t.is(read.get('sys.uid'), BigInt(process.getuid!()));
  t.is(read.get('sys.gid'), BigInt(process.getgid!()));
  t.is(read.get('org.nodejs.version'), process.version);
  const created = read.get('sys.created') as number;
  t.true(created >= before - 0.001 && created <= Date.now() / 1000 + 0.001);
});

test('system: false gives a bare model, like Python’s BaseMmStats', (t) => {
  const Bare = defineModel({ done: counter() }, { system: false, format: 1 });
  const stats = Bare.open({ path: tempDir(t) });
  t.deepEqual([...readBack(stats.path).keys()], ['done']);
});

test('each open() is its own file with its own values', (t) => {
  const dir = tempDir(t);
  const a = Jobs.open({ path: dir, filename: 'a.mmstats' });
  const b = Jobs.open({ path: dir, filename: 'b.mmstats' });
  a.done.incr(3);
  b.done.incr();
  t.is(readBack(a.path).get('done'), 3n);
  t.is(readBack(b.path).get('done'), 1n);
});

test('a second open of the same file in this process is refused, not clobbered', (t) => {
  const dir = tempDir(t);
  const first = Jobs.open({ path: dir, filename: 'same.mmstats' });
  first.done.incr();
  const error = t.throws(() => Jobs.open({ path: dir, filename: 'same.mmstats' }), { instanceOf: MmstatsError });
  t.is(error.code, ErrorCodes.FILE_IN_USE);
  t.is(readBack(first.path).get('done'), 1n);
  first.remove();
  t.notThrows(() => Jobs.open({ path: dir, filename: 'same.mmstats' }).remove());
});

test('property names the stats object uses itself are refused; duplicate labels too', (t) => {
  // @ts-expect-error `path` is reserved: the type says so before the run does.
  const reserved = t.throws(() => defineModel({ path: counter() }), { instanceOf: MmstatsError });
  t.is(reserved.code, ErrorCodes.INVALID_FIELD);
  const Twice = defineModel({ a: uint({ label: 'x' }), b: uint({ label: 'x' }) }, { system: false, format: 1 });
  const duplicate = t.throws(() => Twice.open({ path: tempDir(t) }), { instanceOf: MmstatsError });
  t.regex(duplicate.message, /two fields have the label "x"/);
});

test('handles are fully typed from the definitions', (t) => {
  const stats = Jobs.open({ path: tempDir(t) });
  stats.done.incr();
  const load: number = stats.load.value;
  // @ts-expect-error a double has no incr()
  t.throws(() => stats.load.incr());
  t.is(load, 0);
});

test('a v2 file given a service name says it in mmstats.service, without the label prefix; readers group by it', (t) => {
  const Api = defineModel({ requests: counter() }, { name: 'api' });
  const named = Api.open({ path: tempDir(t), labelPrefix: 'web.' });
  const unnamed = defineModel({ requests: counter() }).open({ path: tempDir(t) });
  t.is(readBack(named.path).get('mmstats.service'), 'api');
  t.is(serviceOf(readStats(named.path)), 'api');
  t.is(serviceOf(readStats(unnamed.path)), undefined, 'no name: the unnamed service, and no record');
  t.false(readBack(unnamed.path).has('mmstats.service'));
});
