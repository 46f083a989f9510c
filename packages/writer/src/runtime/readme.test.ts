import test from 'ava';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { readStats } from '@mmstats/reader';
import { StatsBuilder } from '../index.js';
import { instrumentHttpServer } from '../http/index.js';
import { tempDir } from '../common/test-support.test.util.js';
import { collectRuntimeMetrics } from './index.js';

test('the README’s Node integrations example works', (t) => {
  const path = tempDir(t);
  const server = createServer();
  const stats = new StatsBuilder().open({ removeOnExit: true, path });
  const runtime = collectRuntimeMetrics({ stats });               // every 1 s, unref'd timer
  const http = instrumentHttpServer(server, { stats });           // a node:http (or https) server
  runtime.stop(); http.stop();
  const labels = new Set(readStats(stats.path).fields.map((f) => f.label));
  t.true(labels.has('nodejs.heap_size.used') && labels.has('http.server.request.duration'));
  stats.remove();
});

test('the README’s Node integrations example is the code the test above runs', (t) => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Node integrations'));
  const source = readFileSync(new URL('../../src/runtime/readme.test.ts', import.meta.url), 'utf8');
  const example = /```js\n([\s\S]*?)```/.exec(section)![1]!;
  for (const line of example.split('\n')) {
    if (line.trim() === '' || line.startsWith('import') || line.startsWith('//')) continue;
    const inTest = line.replace('open({ removeOnExit: true })', 'open({ removeOnExit: true, path })').replace(/ \/\/ .*$/, '').replace('// later, if ever: ', '');
    t.true(source.includes(inTest.trim()), `README line not exercised: ${line}`);
  }
});
