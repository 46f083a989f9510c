#!/usr/bin/env node
// The quick-start demo: start a program that publishes stats (examples/webstats.mjs, the
// Python mmstats README example), read its live file twice with `mmstats slurp` while it
// runs, then read files that the Python implementation wrote, to show both directions of
// interop. Everything happens in a fresh temp dir, removed at the end.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mmstats = join(root, 'packages/cli/dist/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'mmstats-demo-'));

function slurp(...args) {
  console.log(`\n$ mmstats slurp ${args.map((a) => a.replace(root + '/', '')).join(' ')}`);
  const result = spawnSync(process.execPath, [mmstats, 'slurp', ...args], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`mmstats slurp exited with ${result.status}`);
}

const writer = spawn(process.execPath, [join(root, 'examples/webstats.mjs')], {
  env: { ...process.env, MMSTATS_PATH: dir },
  stdio: ['ignore', 'inherit', 'inherit'],
});
try {
  const deadline = Date.now() + 10_000;
  while (!readdirSync(dir).some((name) => name.endsWith('.mmstats'))) {
    if (Date.now() > deadline || writer.exitCode !== null) throw new Error('the demo writer did not create its stats file');
    await sleep(50);
  }
  await sleep(500);
  slurp(dir);
  await sleep(1000);
  console.log('# one second later: the counters have moved, the writer never noticed us');
  slurp(dir);
} finally {
  writer.kill('SIGTERM');
  await new Promise((resolve) => (writer.exitCode !== null ? resolve() : writer.once('exit', resolve)));
}
console.log(`# the writer removed its file on exit: ${readdirSync(dir).length === 0 ? 'yes' : 'no'}`);
rmSync(dir, { recursive: true, force: true });

console.log('\n# files written by the Python implementation (mmstats 0.8.0) read the same way:');
const python = join(root, 'fixtures/v1/python-0.8.0');
slurp(join(python, 'webstats.mmstats'));
if (!existsSync(mmstats)) process.exitCode = 1;
