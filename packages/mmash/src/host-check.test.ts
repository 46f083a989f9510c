// DNS rebinding (issue 10, item 9): mmash answers only requests that name the address they
// arrived on, or a name it was told to accept; a forged Host gets a 421 on every route.
import { connect } from 'node:net';
import test from 'ava';
import { getWithHost, startTestMmash, tempDir } from './test-support.test.util.js';

/** Sends `text` on a raw connection and resolves with the status line of the answer. */
function rawStatusLine(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer.split('\r\n')[0]!));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
  });
}

const ROUTES = ['/', '/stats/', '/stats/app?aggr=sum', '/merged/', '/files/', '/metrics', '/events?stat=app.ticks', '/assets/app.js', '/no-such-page'];

test('forged Host headers get a 421 on every route; the listening address and loopback names are answered', async (t) => {
  const { dir, cleanup } = tempDir();
  const mmash = await startTestMmash({ targets: [dir] });
  t.teardown(async () => {
    await mmash.close();
    cleanup();
  });
  const port = mmash.port;
  for (const forged of ['attacker.example', `attacker.example:${port}`, `127.0.0.1.attacker.example:${port}`, `localhost.attacker.example:${port}`, `127.0.0.2:${port}`, `[::2]:${port}`, 'bad host', `127.0.0.1:${port + 1}`, 'localhost']) {
    for (const path of ROUTES) {
      const answer = await getWithHost(port, path, forged);
      t.is(answer.status, 421, `${forged} ${path}`);
      if (path === '/') t.regex(answer.body, /does not answer for host|malformed/, forged);
    }
  }
  for (const good of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST.:${port}`, `[::1]:${port}`]) {
    for (const path of ROUTES) t.not((await getWithHost(port, path, good)).status, 421, `${good} ${path}`);
  }
  // HTTP/1.0 may leave Host out; mmash then cannot tell who it is talking to.
  t.regex(await rawStatusLine(port, 'GET /stats/ HTTP/1.0\r\n\r\n'), /^HTTP\/1\.1 421 /);
  t.regex(await rawStatusLine(port, `GET /stats/ HTTP/1.0\r\nHost: 127.0.0.1:${port}\r\n\r\n`), /^HTTP\/1\.1 200 /);
});

test('allowHosts (--allow-host) adds names, with any port', async (t) => {
  const { dir, cleanup } = tempDir();
  const mmash = await startTestMmash({ targets: [dir], allowHosts: ['stats.internal', '[fd00::1]'] });
  t.teardown(async () => {
    await mmash.close();
    cleanup();
  });
  for (const host of ['stats.internal', 'Stats.Internal:443', '[fd00::1]:8080', `127.0.0.1:${mmash.port}`]) t.is((await getWithHost(mmash.port, '/stats/', host)).status, 200, host);
  for (const host of ['other.internal', 'stats.internal.evil', '[fd00::2]']) t.is((await getWithHost(mmash.port, '/stats/', host)).status, 421, host);
});
