// The `mmash` executable: options, MMSTATS_GLOB, the URL it prints, and a clean stop.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { validFixtures } from '@mmstats/fixtures';
import { EXIT_USAGE } from './cli.js';
import { getJson, waitFor } from './test-support.test.util.js';

const bin = fileURLToPath(new URL('./bin.js', import.meta.url));
const fixtures = validFixtures('v1/python-0.8.0');
const pythonDir = dirname(fixtures[0]!.path);

/** Runs `mmash args`, waits for its URL on stderr, and returns it with a stop function. */
async function runMmash(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ url: string; stop: () => Promise<number | null>; stderr: () => string }> {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, MMSTATS_GLOB: '', MMSTATS_PATH: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await waitFor(`mmash to print its URL (stderr: ${stderr})`, () => /on (http:\/\/\S+)/.exec(stderr)?.[1]);
  return {
    url,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

test('--glob (repeatable), --host, --port; SIGTERM stops it cleanly', async (t) => {
  const mmash = await runMmash(['--glob', `${pythonDir}/thread-*.mmstats`, '--glob', `${pythonDir}/webstats.mmstats`, '--host', '127.0.0.1', '--port', '0']);
  t.regex(mmash.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const { body } = await getJson(mmash.url, '/files/');
  t.is((body as { files: string[] }).files.length, 4);
  t.is(await mmash.stop(), 0);
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
