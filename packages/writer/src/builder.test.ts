import test from 'ava';
import { counter, StatsBuilder, string, uint, MmstatsError } from './index.js';
import { readBack, tempDir } from './common/test-support.test.util.js';

test('the procedural API adds fields one by one, then opens them as one file', (t) => {
  const builder = new StatsBuilder({ labelPrefix: 'queues.', system: false, format: 1 });
  const depths = ['mail', 'sms'].map((name) => builder.add(`${name}.depth`, uint()));
  const errors = builder.add('errors', counter());
  const stats = builder.open({ path: tempDir(t) });
  depths[0]!.value = 12;
  depths[1]!.value = 3;
  errors.incr();
  t.deepEqual(Object.fromEntries(readBack(stats.path)), { 'queues.mail.depth': 12, 'queues.sms.depth': 3, 'queues.errors': 1n });
});

test('values set before open() are carried into the file', (t) => {
  const builder = new StatsBuilder({ system: false, format: 1 });
  const state = builder.add('state', string({ size: 8 }));
  const seen = builder.add('seen', counter());
  state.value = 'starting';
  seen.incr(5);
  const stats = builder.open({ path: tempDir(t) });
  seen.incr();
  t.deepEqual(Object.fromEntries(readBack(stats.path)), { state: 'starting', seen: 6n });
});

test('a v1 file cannot grow: add() after open() is refused', (t) => {
  const builder = new StatsBuilder({ format: 1 });
  builder.add('a', counter());
  builder.open({ path: tempDir(t) });
  t.throws(() => builder.add('b', counter()), { instanceOf: MmstatsError, message: /already open/ });
});
