#!/usr/bin/env node
// The `mmstats` executable. `--version` and the help texts come from what the build rendered
// (prerendered-help.ts), without loading yargs; every other command line goes to yargs, and
// each command loads its own modules only when it runs.
import { prerenderedAnswer } from './prerendered-help.js';

const args = process.argv.slice(2);
const answer = prerenderedAnswer(args, process.stdout.columns);
if (answer === undefined) await (await import('./cli.js')).runCli(args);
else process.stdout.write(answer);
