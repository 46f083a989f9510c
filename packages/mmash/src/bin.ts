#!/usr/bin/env node
// The `mmash` executable.
import { hideBin } from 'yargs/helpers';
import { runCli } from './cli.js';

try {
  await runCli(hideBin(process.argv));
} catch (error) {
  // A port in use or an address we cannot bind: one line, not a stack trace.
  process.stderr.write(`mmash: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
