#!/usr/bin/env node
// `cleanstats FILE...`: the Python tool's name and arguments, running `mmstats clean` with
// Python's summary line (`Removed N  -  M alive`). As in Python, no arguments prints the
// usage and removes nothing (it never falls back to the temp dir).
import { basename } from 'node:path';
import { clean } from '../commands/clean.js';

const files = process.argv.slice(2);
if (files.length === 0 || files[0] === '-h' || files[0] === '--help') {
  process.stdout.write(`usage: ${basename(process.argv[1] ?? 'cleanstats', '.js')} MMSTAT_FILES\n`);
} else {
  process.exitCode = await clean({ targets: files, pythonSummary: true });
}
