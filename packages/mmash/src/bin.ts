#!/usr/bin/env node
// The `mmash` executable.
import { hideBin } from 'yargs/helpers';
import { EXIT_USAGE, runCli, UsageError } from './cli.js';

try {
  await runCli(hideBin(process.argv));
} catch (error) {
  // A usage error, a port in use or an address we cannot bind: one line, not a stack trace.
  process.stderr.write(`mmash: ${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof UsageError) process.stderr.write("Try 'mmash --help' for more information.\n");
  process.exitCode = error instanceof UsageError ? EXIT_USAGE : 1;
}
