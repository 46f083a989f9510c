import test from 'ava';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { mergeSnapshots, percentiles, readStats } from '@mmstats/reader';
import type { HistogramValue } from '@mmstats/format';
import { tempDir } from '../common/test-support.test.util.js';
import { getPid as get } from './cluster.test.util.js';

test('a cluster of two workers: one file each, merged by the reader into the whole service', async (t) => {
  const dir = tempDir(t);
  const primary = fork(new URL('./cluster.test.child.js', import.meta.url), [dir]);
  t.teardown(() => {
    if (primary.exitCode === null) primary.kill();
  });
  const [{ port, pids }] = (await once(primary, 'message')) as [{ port: number; pids: number[] }];

  // Connections go round-robin to the workers; keep on until both have answered.
  const served: number[] = [];
  for (let round = 0; round < 10 || (new Set(served).size < 2 && round < 200); round++) {
    served.push(...(await Promise.all([get(port, '/'), get(port, '/'), get(port, '/'), get(port, '/boom')])));
  }
  t.deepEqual([...new Set(served)].sort(), [...pids].sort());
  const total = served.length;

  const files = () => readdirSync(dir).filter((name) => name.endsWith('.mmstats')).map((name) => join(dir, name));
  t.is(files().length, 2);
  const merged = async () => {
    // Responses are counted when they close, just after the client has them.
    for (let tries = 0; tries < 500; tries++) {
      const snapshots = files().map((path) => readStats(path));
      const fields = mergeSnapshots(snapshots);
      const ok = fields.find((f) => f.label === 'http.server.requests' && f.dims['status'] === '2xx');
      const boom = fields.find((f) => f.label === 'http.server.requests' && f.dims['status'] === '5xx');
      if (ok?.value === (total * 3) / 4 && boom?.value === total / 4) return { snapshots, fields };
      await sleep(10);
    }
    throw new Error(`the merged counts never reached ${total}`);
  };
  const { snapshots, fields } = await merged();

  // Per worker: each file counts what its worker served, and the sums are the service's.
  const ok = fields.find((f) => f.label === 'http.server.requests' && f.dims['status'] === '2xx')!;
  t.is(ok.perFile.length, 2);
  for (const pid of pids) {
    const file = ok.perFile.find((p) => p.path.includes(`-${pid}-`))!;
    t.is(file.value, served.filter((p, i) => p === pid && i % 4 !== 3).length);
  }
  const duration = fields.find((f) => f.label === 'http.server.request.duration')!;
  const histogram = duration.value as HistogramValue;
  t.is(histogram.count, total);
  const perFileCounts = duration.perFile.map((p) => (p.value as HistogramValue).count);
  t.is(perFileCounts[0]! + perFileCounts[1]!, total);
  t.deepEqual(duration.percentiles, percentiles(histogram));
  t.true(duration.percentiles!['p50']! > 0 && duration.percentiles!['p99']! >= duration.percentiles!['p50']!);

  const heap = fields.find((f) => f.label === 'nodejs.heap_size.used')!;
  t.is(heap.value, snapshots.reduce((sum, s) => sum + (s.fields.find((f) => f.label === 'nodejs.heap_size.used')!.value as number), 0));
  t.is(fields.find((f) => f.label === 'nodejs.eventloop.utilization')!.merge, 'avg');

  primary.send('stop');
  await once(primary, 'exit');
});
