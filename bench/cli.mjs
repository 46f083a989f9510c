#!/usr/bin/env node
// Command-line benchmark: whole processes, wall time, the Python tools beside ours in
// interleaved rounds (these machines are noisy: only ratios within one run mean anything).
//
//   - start-up: `mmstats --version` and `--help` against `node -e 0`;
//   - `mmstats slurp` over 1000 Python-written files against Python's `slurpstats` on the same
//     files (the outputs are checked to hold the same blocks first);
//   - `mmstats get PREFIX --aggr sum` against the same sum with Python's MmStatsReader;
//   - `mmstats slurp` of one file against `slurpstats` of it.
//
//   pnpm bench cli    (or: node bench/cli.mjs [rounds] [files])
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonBinary, pythonFiles, pythonMmstats } from './_python.mjs';

const ROUNDS = Number(process.argv[2] ?? 9);
const FILES = Number(process.argv[3] ?? 1000);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const mmstats = join(root, 'packages/cli/dist/mmstats.bundle.js');
const node = process.execPath;

let dir, pyEnv;
try {
  dir = pythonFiles(FILES);
  pyEnv = pythonMmstats();
} catch (error) {
  console.log(`cli: Python peer unavailable (${error.message}); start-up only`);
}
const python = pythonBinary();
const files = dir === undefined ? [] : readdirSync(dir).sort().map((name) => join(dir, name));
const pythonSum = [
  'import mmap, sys',
  'from mmstats.reader import MmStatsReader',
  'total = 0',
  'for fn in sys.argv[2:]:',
  '    with open(fn, "rb") as f:',
  '        m = mmap.mmap(f.fileno(), 0, prot=mmap.ACCESS_READ)',
  '        for label, value in MmStatsReader(m):',
  '            if label.startswith(sys.argv[1]): total += value',
  '        m.close()',
  'print(total)',
].join('\n');

/** Each case: a command line (`argv`, `env`); `pair` names the case it is a ratio to. */
const cases = [
  { name: 'node -e 0', argv: [node, '-e', '0'] },
  { name: 'mmstats --version', argv: [node, mmstats, '--version'], pair: 'node -e 0' },
  { name: 'mmstats --help', argv: [node, mmstats, '--help'], pair: 'node -e 0' },
];
if (files.length) {
  cases.push(
    { name: 'python slurpstats (1000 files)', argv: [python, '-m', 'mmstats.slurpstats', ...files], env: pyEnv },
    { name: 'mmstats slurp (1000 files)', argv: [node, mmstats, 'slurp', ...files], pair: 'python slurpstats (1000 files)' },
    { name: 'mmstats slurp DIR', argv: [node, mmstats, 'slurp', dir], pair: 'python slurpstats (1000 files)' },
    { name: 'python sum (MmStatsReader)', argv: [python, '-c', pythonSum, 'app.bench.field.00', ...files], env: pyEnv },
    { name: 'mmstats get --aggr sum', argv: [node, mmstats, 'get', 'app.bench.field.00', '--exact', '--aggr', 'sum', ...files], pair: 'python sum (MmStatsReader)' },
    { name: 'python slurpstats (1 file)', argv: [python, '-m', 'mmstats.slurpstats', files[0]], env: pyEnv },
    { name: 'mmstats slurp (1 file)', argv: [node, mmstats, 'slurp', files[0]], pair: 'python slurpstats (1 file)' },
  );
  checkSameOutput();
}

const times = new Map(cases.map((c) => [c.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) times.get(c.name).push(run(c).seconds);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`cli: whole processes, median of ${ROUNDS} interleaved rounds, node ${process.version}, ${files.length} Python-written files`);
for (const c of cases) {
  const ms = median(times.get(c.name)) * 1e3;
  const ratio = c.pair ? `  ${(ms / (median(times.get(c.pair)) * 1e3)).toFixed(2)}x ${c.pair}` : '';
  console.log(`${c.name.padEnd(32)} ${ms.toFixed(1).padStart(8)} ms${ratio}`);
}

function run(c) {
  const start = process.hrtime.bigint();
  const result = spawnSync(c.argv[0], c.argv.slice(1), { env: c.env ?? process.env, maxBuffer: 1 << 30, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${c.name} failed (${result.status}): ${result.stderr}`);
  return { seconds, stdout: result.stdout };
}

/** Python's slurpstats prints files in set order: compare the blocks as sets; the sums as numbers. */
function checkSameOutput() {
  const blocks = (text) => text.split('\n\n').filter((b) => b !== '').sort();
  const ours = blocks(run(cases.find((c) => c.name === 'mmstats slurp (1000 files)')).stdout);
  const theirs = blocks(run(cases.find((c) => c.name === 'python slurpstats (1000 files)')).stdout);
  if (ours.length !== theirs.length || ours.some((b, i) => b !== theirs[i])) throw new Error('mmstats slurp and slurpstats printed different blocks');
  const sum = Number(run(cases.find((c) => c.name === 'mmstats get --aggr sum')).stdout.trim().split(/\s+/).pop());
  const pySum = Number(run(cases.find((c) => c.name === 'python sum (MmStatsReader)')).stdout.trim());
  if (sum !== pySum) throw new Error(`sums differ: mmstats ${sum}, Python ${pySum}`);
}
