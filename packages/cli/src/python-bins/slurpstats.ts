#!/usr/bin/env node
// `slurpstats [FILE...]`: the Python tool's name and arguments (files only, no options), so
// existing scripts keep working; it runs `mmstats slurp`, whose text output matches it.
import { slurp } from '../commands/slurp.js';

process.exitCode = await slurp({ targets: process.argv.slice(2), json: false });
