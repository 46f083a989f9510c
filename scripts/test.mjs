#!/usr/bin/env node
// Runs every test: each package's ava tests through turbo (building first), then the
// independent Python reference reader (spec/reference) against the same fixtures, then the
// packaging test (scripts/packaging-test.mjs). Passes the
// output through and ends with one line totalling all of them, `N passed, N failed, N skipped`,
// the closing line CI reads. Exits non-zero if any part failed.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const totals = { passed: 0, failed: 0, skipped: 0 };

/** Runs `command`, echoing its output; `count(line)` adds what a line reports to the totals. */
async function run(command, args, count) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  const echo = async (stream, out) => {
    for await (const line of createInterface({ input: stream })) {
      out.write(`${line}\n`);
      count(line);
    }
  };
  await Promise.all([echo(child.stdout, process.stdout), echo(child.stderr, process.stderr)]);
  return new Promise((resolve) => child.on('close', (exit) => resolve(exit ?? 1)));
}

function adder(patterns) {
  return (line) => {
    for (const [key, pattern] of Object.entries(patterns)) {
      const match = pattern.exec(line);
      if (match) totals[key] += Number(match[1]);
    }
  };
}

const ava = adder({
  passed: /\b(\d+) tests? passed\b/,
  failed: /\b(\d+) (?:tests? failed|uncaught exceptions?|unhandled rejections?)\b/,
  skipped: /\b(\d+) tests? skipped\b/,
});
const failures = [];
// The Node version is part of turbo's hash (turbo.json globalEnv), so a pass on one Node is never replayed on another.
process.env.MMSTATS_TEST_NODE = process.version;
const turbo = await run('pnpm', ['exec', 'turbo', 'run', 'test', '--continue', ...process.argv.slice(2)], ava);
if (turbo !== 0) failures.push(`turbo exited with code ${turbo}`);

// The Python reference reader: its conformance run prints "N passed, N failed"; unittest
// prints "Ran N tests" and then "OK" or "FAILED (failures=F, errors=E)".
const conformance = await run('python3', ['spec/reference/conformance.py'], adder({ passed: /^(\d+) passed, \d+ failed$/, failed: /^\d+ passed, (\d+) failed$/ }));
if (conformance !== 0) failures.push(`spec/reference/conformance.py exited with code ${conformance}`);
let ran = 0;
let broken = 0;
const unittest = await run('python3', ['-m', 'unittest', 'discover', 'spec/reference'], (line) => {
  ran += Number(/^Ran (\d+) tests?/.exec(line)?.[1] ?? 0);
  for (const [, n] of line.matchAll(/(?:failures|errors)=(\d+)/g)) broken += Number(n);
});
totals.passed += ran - broken;
totals.failed += broken;
if (unittest !== 0) failures.push(`python3 -m unittest exited with code ${unittest}`);

// What a user gets from the registry: pack, npm-install into a fresh project, run the READMEs.
const packaging = await run(process.execPath, ['scripts/packaging-test.mjs'], adder({ passed: /^packaging: (\d+) passed, \d+ failed$/, failed: /^packaging: \d+ passed, (\d+) failed$/ }));
if (packaging !== 0) failures.push(`scripts/packaging-test.mjs exited with code ${packaging}`);

console.log('');
for (const failure of failures) console.log(`test run failed: ${failure}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
