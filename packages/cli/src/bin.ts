#!/usr/bin/env node
// The `mmstats` executable.
import { hideBin } from 'yargs/helpers';
import { runCli } from './cli.js';

await runCli(hideBin(process.argv));
