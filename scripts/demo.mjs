#!/usr/bin/env node
// The quick-start demo: read the stats files that the Python implementation wrote
// (fixtures/v1/python-0.8.0) with `mmstats slurp`, as text and as JSON lines.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mmstats = join(root, 'packages/cli/dist/bin.js');
const fixtures = join(root, 'fixtures/v1/python-0.8.0');

function run(args) {
  console.log(`\n$ mmstats ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [mmstats, ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(['slurp', join(fixtures, 'webstats.mmstats'), join(fixtures, 'all-types.mmstats')]);
run(['slurp', '--json', join(fixtures, 'thread-0.mmstats')]);
