#!/usr/bin/env node
// Runs every package's tests through turbo (building first), passes the output through, and
// ends with one line totalling ava's results over all packages: `N passed, N failed, N skipped`,
// the closing line CI reads. Exits with turbo's exit code.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const args = ['exec', 'turbo', 'run', 'test', '--continue', ...process.argv.slice(2)];
const child = spawn('pnpm', args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FORCE_COLOR: '0' } });
const totals = { passed: 0, failed: 0, skipped: 0 };
const patterns = {
  passed: /\b(\d+) tests? passed\b/,
  failed: /\b(\d+) (?:tests? failed|uncaught exceptions?|unhandled rejections?)\b/,
  skipped: /\b(\d+) tests? skipped\b/,
};

for await (const line of createInterface({ input: child.stdout })) {
  console.log(line);
  for (const [key, pattern] of Object.entries(patterns)) {
    const match = pattern.exec(line);
    if (match) totals[key] += Number(match[1]);
  }
}
const code = await new Promise((resolve) => child.on('close', (exit) => resolve(exit ?? 1)));
console.log('');
if (code !== 0) console.log(`test run failed: turbo exited with code ${code}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(code);
