// The `mmash` executable: options, MMSTATS_GLOB, the URL it prints, and a clean stop.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'ava';
import { validFixtures } from '@mmstats/fixtures';
import { EXIT_USAGE } from './cli.js';
import { MMASH_BIN as bin, getJson, getWithHost, spawnMmash, type MmashProcess } from './test-support.test.util.js';

const fixtures = validFixtures('v1/python-0.8.0');
const pythonDir = dirname(fixtures[0]!.path);

const runMmash = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<MmashProcess> => spawnMmash(args, { env });

test('--glob (repeatable), --host, --port; SIGTERM stops it cleanly', async (t) => {
  const mmash = await runMmash(['--glob', `${pythonDir}/thread-*.mmstats`, '--glob', `${pythonDir}/webstats.mmstats`, '--host', '127.0.0.1', '--port', '0']);
  t.regex(mmash.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const { body } = await getJson(mmash.url, '/files/');
  t.is((body as { files: string[] }).files.length, 4);
  t.is(await mmash.stop(), 0);
});

test('--allow-host (repeatable) adds Host names; other names get a 421', async (t) => {
  const mmash = await runMmash(['--port', '0', '--glob', pythonDir, '--allow-host', 'stats.internal', '--allow-host', 'mmash.example']);
  t.teardown(() => mmash.stop());
  const port = Number(new URL(mmash.url).port);
  t.is((await getWithHost(port, '/stats/', 'stats.internal')).status, 200);
  t.is((await getWithHost(port, '/metrics', 'mmash.example:443')).status, 200);
  t.is((await getWithHost(port, '/metrics', `127.0.0.1:${port}`)).status, 200);
  const refused = await getWithHost(port, '/metrics', 'attacker.example');
  t.is(refused.status, 421);
  t.regex(refused.body, /--allow-host NAME/);
});

test('MMSTATS_GLOB is honoured when no --glob is given', async (t) => {
  const mmash = await runMmash(['--port', '0'], { MMSTATS_GLOB: `${pythonDir}/thread-*.mmstats` });
  t.deepEqual((await getJson(mmash.url, '/stats/worker.jobs.done?aggr=sum')).body, { 'worker.jobs.done': 60 });
  t.is(await mmash.stop(), 0);
});

test('bad options exit 2 with one line and a hint; a busy port exits 1 with one line', async (t) => {
  const run = (args: string[]): Promise<{ code: number | null; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('exit', (code) => resolve({ code, stderr }));
    });
  // Usage errors: one line and a hint, exit 2 (EXIT_USAGE, as every mmstats command).
  for (const [args, message] of [
    [['--port', '70000'], 'mmash: --port must be a whole number from 0 to 65535'],
    [['--bogus'], 'mmash: Unknown argument: bogus'],
    [['--port'], 'mmash: Not enough arguments following: port'],
  ] as const) {
    const refused = await run([...args]);
    t.is(refused.code, EXIT_USAGE, args.join(' '));
    t.is(refused.stderr, `${message}\nTry 'mmash --help' for more information.\n`);
  }
  for (const [option, value] of [['--max-connections', '0'], ['--max-event-streams', '1.5'], ['--request-timeout', '0'], ['--keep-alive-timeout', '-1'], ['--event-stall-timeout', 'x']] as const) {
    const bad = await run([option, value]);
    t.is(bad.code, EXIT_USAGE, option);
    t.regex(bad.stderr, new RegExp(`^mmash: ${option} must be a `), option);
  }
  const first = await runMmash(['--port', '0', '--glob', pythonDir]);
  t.teardown(() => first.stop());
  const port = new URL(first.url).port;
  const busy = await run(['--port', port]);
  t.is(busy.code, 1);
  t.regex(busy.stderr, /^mmash: .*EADDRINUSE/m);
});

test("--version prints mmash's own version, not that of the application in the working directory", (t) => {
  const app = mkdtempSync(join(tmpdir(), 'mmash-version-app-'));
  t.teardown(() => rmSync(app, { recursive: true, force: true }));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'some-app', version: '1.0.0' }));
  const own = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  const result = spawnSync(process.execPath, [bin, '--version'], { cwd: app, encoding: 'utf8' });
  t.is(result.status, 0);
  t.is(result.stdout, `${own}\n`);
  t.not(own, '1.0.0');
});
