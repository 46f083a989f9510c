#!/usr/bin/env node
// Runs every benchmark in bench/ one after another (never in CI: these machines are noisy,
// so each benchmark prints ratios against a baseline measured in the same run).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
for (const name of readdirSync(here).filter((n) => n.endsWith('.mjs') && n !== 'run.mjs' && !n.startsWith('_')).sort()) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  console.log(`\n### bench/${name}`);
  const run = spawnSync(process.execPath, ['--expose-gc', join(here, name)], { stdio: 'inherit' });
  if (run.status !== 0) process.exitCode = 1;
}
