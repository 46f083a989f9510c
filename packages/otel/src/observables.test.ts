import { spawnSync } from 'node:child_process';
import test from 'ava';
import type { ObservableResult } from '@opentelemetry/api';
import { MmstatsMeterProvider } from './meter-provider.js';
import { field, merged, statsDir } from './test-support.test.util.js';

test('observable callbacks run on the timer and set their records', async (t) => {
  const dir = statsDir(t);
  const provider = new MmstatsMeterProvider({ collectIntervalMs: 20, file: { path: dir } });
  const meter = provider.getMeter('jobs');
  let done = 0;
  const completed = meter.createObservableCounter('jobs.completed');
  const queued = meter.createObservableUpDownCounter('jobs.queued');
  const load = meter.createObservableGauge('jobs.load', { unit: '1' });
  completed.addCallback((result) => result.observe(++done, { queue: 'mail' }));
  meter.addBatchObservableCallback(
    (batch) => {
      batch.observe(queued, 4);
      batch.observe(load, 0.75);
    },
    [queued, load],
  );
  // Nothing calls collect(): only the timer runs the callbacks.
  for (const deadline = Date.now() + 10_000; done < 3 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
  const fields = merged(dir);
  t.true(done >= 3, `ran ${done} times`);
  t.like(field(fields, 'jobs.completed', { queue: 'mail' }), { kind: 'counter' });
  t.true((field(fields, 'jobs.completed', { queue: 'mail' })!.value as number) >= 3);
  t.like(field(fields, 'jobs.queued'), { kind: 'gauge', merge: 'sum', value: 4 });
  t.like(field(fields, 'jobs.load'), { kind: 'gauge', merge: 'last', unit: 'ratio', value: 0.75 });
  await provider.shutdown();
});

test('a batch callback observes only the instruments it was registered with; removed callbacks stop', async (t) => {
  const dir = statsDir(t);
  const provider = new MmstatsMeterProvider({ collectIntervalMs: 0, file: { path: dir } });
  const meter = provider.getMeter('m');
  const mine = meter.createObservableGauge('mine');
  const other = meter.createObservableGauge('other');
  let runs = 0;
  const callback = (result: ObservableResult): void => result.observe(++runs);
  mine.addCallback(callback);
  meter.addBatchObservableCallback((batch) => batch.observe(other, 1), [mine]);
  await provider.collect();
  mine.removeCallback(callback);
  await provider.collect();
  t.is(runs, 1);
  t.is(field(merged(dir), 'mine')!.value, 1);
  t.is(field(merged(dir), 'other'), undefined, 'no record: nothing was observed into it');
});

test('a callback that throws or rejects is reported once and never reaches the application', async (t) => {
  const dir = statsDir(t);
  const provider = new MmstatsMeterProvider({ collectIntervalMs: 0, file: { path: dir } });
  const meter = provider.getMeter('m');
  const warnings: string[] = [];
  const listen = (w: Error & { code?: string }): number => warnings.push(`${w.code}: ${w.message}`);
  process.on('warning', listen);
  t.teardown(() => process.off('warning', listen));
  meter.createObservableGauge('sync').addCallback(() => {
    throw new Error('sensor gone');
  });
  meter.createObservableGauge('async').addCallback(() => Promise.reject(new Error('timeout')));
  const fine = meter.createObservableGauge('fine');
  fine.addCallback((result) => result.observe(2));
  for (let i = 0; i < 3; i++) await t.notThrowsAsync(provider.collect());
  await new Promise((resolve) => setImmediate(resolve));
  t.is(warnings.filter((w) => w.includes('sensor gone')).length, 1);
  t.is(warnings.filter((w) => w.includes('timeout')).length, 1);
  t.true(warnings.every((w) => w.startsWith('MMSTATS-W204')));
  t.is(field(merged(dir), 'fine')!.value, 2);
});

test('the callbacks\' timer does not keep the process alive', (t) => {
  const dir = statsDir(t);
  const script = `
    import { MmstatsMeterProvider } from ${JSON.stringify(new URL('./index.js', import.meta.url).href)};
    const provider = new MmstatsMeterProvider({ file: { path: ${JSON.stringify(dir)} } });
    provider.getMeter('m').createObservableGauge('g').addCallback((r) => r.observe(1));
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000, encoding: 'utf8' });
  t.is(child.status, 0, child.stderr);
});
