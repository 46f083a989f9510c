import test from 'ava';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readStats, type StatsSnapshot } from '@mmstats/reader';
import type { HistogramValue } from '@mmstats/format';
import { StatsBuilder } from '../index.js';
import { readV2, tempDir } from '../common/test-support.test.util.js';
import { instrumentHttpServer } from './index.js';

/** A server with a few routes, listening on 127.0.0.1; closed when the test ends. */
async function serve(t: { teardown(fn: () => void): void }): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/hang') return; // never answered: the client gives up
    const send = (status: number) => res.writeHead(status, { 'content-type': 'text/plain' }).end(`${status}\n`);
    if (url === '/ok') send(200);
    else if (url === '/moved') send(301);
    else if (url === '/boom') send(500);
    else if (url === '/slow') setTimeout(() => send(200), 60);
    else send(404);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function requests(snapshot: StatsSnapshot): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of snapshot.fields) if (f.label === 'http.server.requests') counts.set(`${f.dims['method']} ${f.dims['status']}`, f.value as number);
  return counts;
}

/** Polls until `done` holds (the server counts a request when its response closes, just after the client has it). */
async function until(done: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await sleep(10);
}

test('counts requests by method and status class, in flight, and their latency', async (t) => {
  const dir = tempDir(t);
  const { server, url } = await serve(t);
  const stats = new StatsBuilder().open({ path: dir });
  t.teardown(() => stats.remove());
  const http = instrumentHttpServer(server, { stats });

  const calls: Array<[string, string]> = [
    ['GET', '/ok'], ['GET', '/ok'], ['GET', '/ok'], ['POST', '/ok'], ['POST', '/ok'], ['DELETE', '/moved'],
    ['GET', '/missing'], ['GET', '/boom'], ['GET', '/slow'], ['PROPFIND', '/ok'], ['HEAD', '/ok'],
  ];
  for (const [method, path] of calls) {
    const response = await fetch(url + path, { method, redirect: 'manual' });
    await response.arrayBuffer();
  }
  const read = () => readStats(stats.path);
  await until(() => [...requests(read()).values()].reduce((a, b) => a + b, 0) === calls.length);
  const snapshot = read();
  t.deepEqual(
    Object.fromEntries(requests(snapshot)),
    { 'GET 2xx': 4, 'POST 2xx': 2, 'DELETE 3xx': 1, 'GET 4xx': 1, 'GET 5xx': 1, '_OTHER 2xx': 1, 'HEAD 2xx': 1 },
  );
  const counter = snapshot.fields.find((f) => f.label === 'http.server.requests')!;
  t.is(counter.kind, 'counter');
  t.is(counter.unit, 'requests');
  const duration = snapshot.fields.find((f) => f.label === 'http.server.request.duration')!;
  t.is(duration.kind, 'timer');
  t.is(duration.unit, 'seconds');
  const h = duration.value as HistogramValue;
  t.is(h.count, calls.length);
  t.true(h.max >= 0.055 && h.max < 5, `slowest ${h.max}`);
  t.true(h.min > 0 && h.min < 0.05, `fastest ${h.min}`);
  t.is(snapshot.fields.find((f) => f.label === 'http.server.active_requests')!.value, 0);
  t.is(http.active.value, 0);
});

test('a request in flight shows in the gauge; one the client abandons is counted as aborted', async (t) => {
  const dir = tempDir(t);
  const { server, url } = await serve(t);
  const http = instrumentHttpServer(server, { file: { path: dir } });
  t.teardown(() => http.stop());
  const path = (http.stats as { path: string }).path;
  t.regex(basename(path), /\.http\.mmstats$/);

  const abort = new AbortController();
  const pending = fetch(`${url}/hang`, { signal: abort.signal }).catch(() => 'aborted');
  await until(() => http.active.value === 1);
  t.is(readStats(path).fields.find((f) => f.label === 'http.server.active_requests')!.value, 1);
  abort.abort();
  t.is(await pending, 'aborted');
  await until(() => requests(readStats(path)).get('GET aborted') === 1);
  t.is(requests(readStats(path)).get('GET aborted'), 1);
  t.is(http.active.value, 0);
  // Nothing in flight: stop() closes the file of its own at once, and leaves it for readers.
  t.false(readV2(path).header.closed);
  http.stop();
  t.true(readV2(path).header.closed);
  t.is(requests(readStats(path)).get('GET aborted'), 1);
});

test('stop() stops counting; two servers share a file with their own dims', async (t) => {
  const dir = tempDir(t);
  const a = await serve(t);
  const b = await serve(t);
  const stats = new StatsBuilder().open({ path: dir });
  t.teardown(() => stats.remove());
  const ha = instrumentHttpServer(a.server, { stats, dims: { server: 'a' } });
  instrumentHttpServer(b.server, { stats, dims: { server: 'b' } });
  await (await fetch(`${a.url}/ok`)).arrayBuffer();
  await (await fetch(`${b.url}/ok`)).arrayBuffer();
  await until(() => ha.duration.count === 1);
  ha.stop();
  ha.stop();
  await (await fetch(`${a.url}/ok`)).arrayBuffer();
  await sleep(50);
  const counted = readStats(stats.path).fields.filter((f) => f.label === 'http.server.requests').map((f) => `${f.dims['server']}:${f.value}`);
  t.deepEqual(counted.sort(), ['a:1', 'b:1']);
  t.is(ha.duration.count, 1);
  // A file given is never closed by stop().
  t.false(readV2(stats.path).header.closed);
  t.false(stats.inMemory);
});
