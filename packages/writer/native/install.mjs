#!/usr/bin/env node
// The install script: keep the prebuilt binding when one fits this Node (linux-x64 ships
// them, see prebuild.mjs), otherwise build it with node-gyp. A failed build does not fail
// the install: the writer then says what to install when a file is opened, and apps that
// pass `degrade: true` keep running with their stats in memory.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBinding } from './node-gyp.mjs';

const require = createRequire(import.meta.url);
const { bindingFile, loadBinding, BUILD_HINT } = require('./binding.cjs');
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function loads() {
  try {
    loadBinding();
    return true;
  } catch {
    return false;
  }
}

if (loads()) {
  console.log(`@mmstats/writer: using the prebuilt mmap binding ${bindingFile()}`);
} else {
  const built = buildBinding(packageDir, process.execPath) && loads();
  if (built) console.log(`@mmstats/writer: built the mmap binding ${bindingFile()}`);
  else console.warn(`@mmstats/writer: WARNING: the mmap binding could not be built for Node ${process.version}; ${BUILD_HINT}`);
}
