import test from 'ava';
import { readFileSync } from 'node:fs';
import { counter, defineModel, double, StatsBuilder, uint } from './index.js';
import { readBack, tempDir } from './test-support.test.util.js';

// The README's example, verbatim apart from the file location (a temp dir for the test).
test('the README example works and a reader sees its values', (t) => {
  const path = tempDir(t);
  const WebStats = defineModel({
    status2xx: counter({ label: 'status.2XX' }),
    status3xx: counter({ label: 'status.3XX' }),
    status4xx: counter({ label: 'status.4XX' }),
    status5xx: counter({ label: 'status.5XX' }),
    lastHit: double({ label: 'timers.last_hit' }),
  });

  const stats = WebStats.open({ labelPrefix: 'web.stats.', path });

  function handleRequest(status: number): void {
    if (status < 300) stats.status2xx.incr();
    else if (status < 400) stats.status3xx.incr();
    else if (status < 500) stats.status4xx.incr();
    else stats.status5xx.incr();
    stats.lastHit.value = Date.now() / 1000;
  }

  handleRequest(200);

  const read = readBack(stats.path);
  t.is(read.get('web.stats.status.2XX'), 1n);
  t.is(read.get('web.stats.status.5XX'), 0n);
  t.true(Math.abs((read.get('web.stats.timers.last_hit') as number) - Date.now() / 1000) < 5);
  t.is(read.get('web.stats.sys.pid'), process.pid);
});

test('the README’s procedural example works', (t) => {
  const builder = new StatsBuilder({ labelPrefix: 'queues.' });
  const depth = builder.add('mail.depth', uint());
  const file = builder.open({ path: tempDir(t) });
  depth.value = 12;
  t.is(readBack(file.path).get('queues.mail.depth'), 12);
});

test('the README’s example code is the code this test runs', (t) => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const source = readFileSync(new URL('../src/readme.test.ts', import.meta.url), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  const body = example.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('import'));
  for (const line of body) {
    const inTest = line.replace("open({ labelPrefix: 'web.stats.' })", "open({ labelPrefix: 'web.stats.', path })");
    t.true(source.includes(inTest), `README line not exercised by this test: ${line}`);
  }
});
