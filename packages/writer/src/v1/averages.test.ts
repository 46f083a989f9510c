import test from 'ava';
import { average, defineModel, movingAverage, timer } from '../index.js';
import { readBack, tempDir } from '../common/test-support.test.util.js';

// A clock the test moves by hand, in seconds.
let now = 0;
const Latency = defineModel(
  {
    mean: average(),
    recent: movingAverage({ size: 3 }),
    request: timer({ size: 2, clock: () => now }),
  },
  { system: false, format: 1 },
);

test('average publishes the mean of everything added', (t) => {
  const stats = Latency.open({ path: tempDir(t) });
  for (const x of [1, 2, 4.5]) stats.mean.add(x);
  t.is(stats.mean.value, 2.5);
  t.is(readBack(stats.path).get('mean'), 2.5);
});

test('movingAverage publishes the mean of the last `size` values', (t) => {
  const stats = Latency.open({ path: tempDir(t) });
  stats.recent.add(3);
  t.is(stats.recent.value, 3); // not full yet: the mean of what came
  stats.recent.add(6);
  stats.recent.add(9);
  t.is(stats.recent.value, 6);
  stats.recent.add(30); // 3 drops out
  t.is(stats.recent.value, 15);
  t.is(readBack(stats.path).get('recent'), 15);
});

test('timer: start/stop record a duration, last tells the latest one', (t) => {
  const stats = Latency.open({ path: tempDir(t) });
  now = 10;
  stats.request.start();
  now = 10.5;
  t.is(stats.request.last, 0.5); // still running: elapsed so far
  t.is(stats.request.stop(), 0.5);
  t.is(stats.request.value, 0.5);
  t.is(stats.request.stop(), 0); // nothing running
  t.is(readBack(stats.path).get('request'), 0.5);
});

test('timer.time(fn) times a function, also when it throws or returns a promise', async (t) => {
  const stats = Latency.open({ path: tempDir(t) });
  now = 0;
  const result = stats.request.time(() => {
    now += 1;
    return 'done';
  });
  t.is(result, 'done');
  t.is(stats.request.last, 1);
  t.throws(() =>
    stats.request.time(() => {
      now += 3;
      throw new Error('boom');
    }),
  );
  t.is(stats.request.last, 3);
  t.is(stats.request.value, 2); // window of 2: (1 + 3) / 2
  const slow = stats.request.time(async () => {
    await Promise.resolve();
    now += 5;
    return 42;
  });
  t.is(await slow, 42);
  t.is(stats.request.last, 5);
  t.is(readBack(stats.path).get('request'), 4);
});
