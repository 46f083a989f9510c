import test from 'ava';
import { expBucketIndex, type ExpHistogramValue, type HistogramValue } from '@mmstats/format';
import { defineModel, timer } from '../index.js';
import { readV2, tempDir } from '../common/test-support.test.util.js';

test('a timer of either encoding times start/stop, time(fn) and record(seconds) into its histogram', async (t) => {
  let now = 100;
  const clock = (): number => now;
  const Model = defineModel({ logLinear: timer({ clock }), exponential: timer({ clock, encoding: 'exponential', scale: 4 }) }, { system: false });
  const stats = Model.open({ path: tempDir(t) });
  for (const handle of [stats.logLinear, stats.exponential]) {
    handle.start();
    now += 0.25;
    t.is(handle.stop(), 0.25);
    t.is(handle.time(() => ((now += 0.5), 'done')), 'done');
    await handle.time(async () => {
      now += 2;
    });
    handle.record(0.125);
    t.is(handle.last, 0.125);
    t.is(handle.count, 4);
  }
  const { records, values } = readV2(stats.path);
  const described = Object.fromEntries(records.map((r) => [r.label, `${r.kindName}/${r.encodingName}/${r.unit}`]));
  t.deepEqual(described, { logLinear: 'timer/histogram/seconds', exponential: 'timer/exphistogram/seconds' });
  t.like(values.get('logLinear') as HistogramValue, { count: 4, sum: 2.875, min: 0.125, max: 2 });
  const exponential = values.get('exponential') as ExpHistogramValue;
  t.like(exponential, { scale: 4, count: 4, sum: 2.875, min: 0.125, max: 2 });
  // Each duration in its own bucket at scale 4: 1/8, 1/4, 1/2 and 2 are powers of two, upper edges of theirs.
  const filled = [...exponential.positive.counts].flatMap((c, j) => (c === 0 ? [] : [exponential.positive.offset + j]));
  t.deepEqual(filled, [0.125, 0.25, 0.5, 2].map((v) => expBucketIndex(v, 4)));
});
