#!/usr/bin/env node
// The quick-start demo (`pnpm demo`): the example service (examples/service, 2 cluster
// workers, runtime metrics and HTTP instrumentation from @mmstats/writer) under a little
// loopback load, with mmash serving its live dashboard on 127.0.0.1. It prints the dashboard's
// URL and what `mmstats get --merge` and `mmstats slurp` read from the workers' files, then
// keeps running until Ctrl-C when stdin is a terminal, or stops by itself after about 10 s
// (CI, scripts, `pnpm demo < /dev/null`). Last, a file written by the Python implementation,
// read the same way. Everything happens in a fresh temp dir, removed at the end; every
// process it started is stopped.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { MIXES, runLoad } from '../examples/load.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mmstats = join(root, 'packages/cli/dist/bin.js');
const mmash = join(root, 'packages/mmash/dist/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'mmstats-demo-'));
const interactive = process.stdin.isTTY === true;
const short = (text) => text.replaceAll(dir, '$DIR').replaceAll(root + '/', '');

/** Runs `mmstats ARGS` and shows its output, with the temp dir written as $DIR. */
function cli(...args) {
  console.log(`\n$ mmstats ${args.map(short).join(' ')}`);
  const result = spawnSync(process.execPath, [mmstats, ...args], { encoding: 'utf8' });
  process.stdout.write(short(result.stdout));
  if (result.status !== 0) {
    process.stderr.write(short(result.stderr));
    throw new Error(`mmstats ${args[0]} exited with ${result.status}`);
  }
}

/** Starts a child and resolves with it and the first URL it prints (on stdout or stderr). */
async function start(name, args, env = {}) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = new Promise((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        const found = /https?:\/\/\S+/.exec(line);
        if (found) resolve(found[0]);
        else if (stream === child.stderr) console.error(`${name}: ${line}`);
      });
    }
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
    setTimeout(() => reject(new Error(`${name} did not start within 15 s`)), 15_000).unref();
  });
  return { child, url: await url };
}

async function stop(child) {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
  await exited;
  clearTimeout(timer);
}

let service;
let dashboard;
const load = new AbortController();
let stopping;
const finish = () => (stopping ??= (async () => {
  load.abort();
  await Promise.all([stop(service?.child), stop(dashboard?.child)]);
})());
// Ctrl-C reaches the service and mmash too (one process group): they stop on their own.
process.on('SIGINT', () => void finish());
process.on('SIGTERM', () => void finish());

try {
  console.log('# the example service: 2 cluster workers, each writing its own stats file');
  service = await start('service', [join(root, 'examples/service/server.mjs')], { MMSTATS_PATH: dir, PORT: '0', WORKERS: '2' });
  console.log(`service:   ${service.url}`);
  dashboard = await start('mmash', [mmash, '--glob', dir, '--host', '127.0.0.1', '--port', '0']);
  console.log(`dashboard: ${dashboard.url}   <- open it: live graphs of both workers, merged and one by one`);
  console.log(`           ${dashboard.url}metrics for Prometheus`);

  // A little load: about 200 requests a second over every route (slow ones and errors too).
  const loading = runLoad({ url: service.url, mix: MIXES.demo, connections: 4, rate: 200, durationMs: interactive ? 24 * 3600_000 : 9_000, signal: load.signal });
  await sleep(3000);
  console.log('\n# while it runs: the whole service, merged over the workers\' files (sums, merged percentiles)');
  cli('get', '--merge', 'http.server.', dir);
  cli('get', '--merge', 'nodejs.eventloop.', dir);
  console.log('\n# and per worker: one value per worker file');
  cli('get', 'http.server.requests', dir);
  if (interactive) {
    console.log(`\n# the service keeps running under load: watch ${dashboard.url} (or run \`mmstats poll\`); Ctrl-C to stop`);
    await Promise.race([loading, once(process, 'SIGINT')]);
  } else {
    const done = await loading;
    console.log(`\n# load: ${done.requests} requests in ${done.seconds.toFixed(1)} s, ${JSON.stringify(done.statuses)}`);
    cli('get', '--merge', 'http.server.requests', dir);
  }
} finally {
  await finish();
}
const left = readdirSync(dir);
console.log(`\n# the workers removed their files on exit: ${left.length === 0 ? 'yes' : `no (${left.join(' ')})`}`);
rmSync(dir, { recursive: true, force: true });

console.log('\n# a file written by the Python implementation (mmstats 0.8.0, format v1), read the same way:');
cli('slurp', join(root, 'fixtures/v1/python-0.8.0/webstats.mmstats'));
