// Connections (issue 10, item 12): idle connections cannot use up mmash's descriptors and keep
// real requests out, and connections that say nothing, or too little, are closed early.
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import { spawnMmash, tempDir, type MmashProcess } from './test-support.test.util.js';

/** Opens a connection to `mmash` that sends `text` (default nothing) and resolves once connected. */
function openConnection(t: ExecutionContext, mmash: MmashProcess, text = ''): Promise<Socket> {
  const { hostname, port } = new URL(mmash.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      if (text !== '') socket.write(text);
      resolve(socket);
    });
    socket.once('error', reject);
    t.teardown(() => socket.destroy());
  });
}

/** Resolves with the milliseconds until `socket` is closed by the other end, or `undefined` after `timeoutMs`. */
function closedWithin(socket: Socket, timeoutMs: number): Promise<number | undefined> {
  const start = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    socket.on('error', () => {});
    socket.resume(); // read, so that the end of the stream is seen
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(performance.now() - start);
    });
  });
}

test('thousands of idle connections do not keep a normal request out, nor take more descriptors than allowed', async (t) => {
  const { dir, cleanup } = tempDir();
  t.teardown(cleanup);
  // A descriptor limit a little above the default --max-connections (1000), so that 3000 idle
  // connections would use up every descriptor if nothing bounded them.
  const mmash = await spawnMmash(['--glob', dir, '--port', '0'], { openFiles: 1100 });
  t.teardown(() => mmash.stop());
  let opened = 0;
  for (let batch = 0; batch < 30; batch++) {
    const sockets = await Promise.allSettled(Array.from({ length: 100 }, () => openConnection(t, mmash)));
    for (const socket of sockets) if (socket.status === 'fulfilled') socket.value.on('error', () => {});
    opened += sockets.filter((s) => s.status === 'fulfilled').length;
  }
  t.true(opened >= 2900, `${opened} idle connections opened`);
  const descriptors = readdirSync(`/proc/${mmash.pid}/fd`).length;
  t.true(descriptors <= 1000 + 50, `mmash has ${descriptors} descriptors open`);
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const response = await fetch(new URL('/stats/', mmash.url), { signal: AbortSignal.timeout(10_000) });
    t.is(response.status, 200);
    await response.text();
    const ms = performance.now() - start;
    t.true(ms < 2000, `a request beside ${opened} idle connections took ${ms.toFixed(0)} ms`);
  }
});

test('a connection that sends nothing, part of a request, or nothing more after one is closed after its timeout', async (t) => {
  const { dir, cleanup } = tempDir();
  t.teardown(cleanup);
  const mmash = await spawnMmash(['--glob', dir, '--port', '0', '--request-timeout', '1', '--keep-alive-timeout', '1']);
  t.teardown(() => mmash.stop());
  const host = new URL(mmash.url).host;
  const silent = await openConnection(t, mmash);
  const partial = await openConnection(t, mmash, `GET /stats/ HTTP/1.1\r\nHost: ${host}\r\n`);
  let answer = '';
  partial.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  const keptAlive = await openConnection(t, mmash, `GET /stats/ HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  // Node checks request timeouts once a second, so allow the timeout plus two checks and load.
  const [silentMs, partialMs, keptAliveMs] = await Promise.all([silent, partial, keptAlive].map((socket) => closedWithin(socket, 8000)));
  t.log(`closed after ${silentMs?.toFixed(0)}, ${partialMs?.toFixed(0)}, ${keptAliveMs?.toFixed(0)} ms`);
  t.not(silentMs, undefined, 'a connection that never sends anything is closed');
  t.not(partialMs, undefined, 'a request whose headers never end is closed');
  t.regex(answer, /^HTTP\/1\.1 408 /, 'with a 408, as the README says');
  t.not(keptAliveMs, undefined, 'an idle keep-alive connection is closed');
});
