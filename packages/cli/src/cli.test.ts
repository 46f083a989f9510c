// Usage behaviour shared by every executable: one line and a hint for a usage error with exit
// code 2 (EXIT_USAGE), and --version from this package's own package.json wherever it runs.
import test from 'ava';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { bins, tempDir } from './test-files.test.util.js';
import { EXIT_USAGE } from './usage.js';

const ownVersion = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Runs `node bin ...args` (killed after 30 s: a usage error that polls anyway would hang). */
function run(bin: string, args: readonly string[], cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000, ...(cwd === undefined ? {} : { cwd }) }, (_error, stdout, stderr) => {
      resolve({ code: child.exitCode, stdout, stderr });
    });
  });
}

/** Each command with arguments it refuses, and the command its hint names. */
const usageErrors: readonly { bin: string; args: string[]; help: string; message: RegExp }[] = [
  { bin: bins.mmstats, args: [], help: 'mmstats --help', message: /^mmstats: Name a command/ },
  { bin: bins.mmstats, args: ['nope'], help: 'mmstats --help', message: /^mmstats: Unknown argument: nope$/ },
  { bin: bins.mmstats, args: ['slurp', '--jsno'], help: 'mmstats slurp --help', message: /^mmstats: Unknown argument: jsno$/ },
  { bin: bins.mmstats, args: ['poll'], help: 'mmstats poll --help', message: /^mmstats: Not enough non-option arguments/ },
  { bin: bins.mmstats, args: ['poll', 'requests', '-c'], help: 'mmstats poll --help', message: /^mmstats: Not enough arguments following: c$/ },
  { bin: bins.mmstats, args: ['poll', 'requests', '-d', '0'], help: 'mmstats poll --help', message: /--delay must be a positive number of seconds, got 0$/ },
  { bin: bins.mmstats, args: ['poll', 'latency:p1000', '/nonexistent'], help: 'mmstats poll --help', message: /^mmstats: latency:p1000: unknown selector :p1000 / },
  { bin: bins.mmstats, args: ['poll', 'latency:foo', '/nonexistent'], help: 'mmstats poll --help', message: /^mmstats: latency:foo: unknown selector :foo / },
  { bin: bins.mmstats, args: ['clean', '--bogus'], help: 'mmstats clean --help', message: /^mmstats: Unknown argument: bogus$/ },
  { bin: bins.mmstats, args: ['get'], help: 'mmstats get --help', message: /^mmstats: Not enough non-option arguments/ },
  { bin: bins.mmstats, args: ['get', 'x', '--aggr', 'median'], help: 'mmstats get --help', message: /^mmstats: Invalid values: Argument: aggr, Given: "median", Choices: / },
  { bin: bins.mmstats, args: ['validate'], help: 'mmstats validate --help', message: /^mmstats: Not enough non-option arguments/ },
  { bin: bins.mmstats, args: ['validate', 'x.mmstats', '--expected'], help: 'mmstats validate --help', message: /^mmstats: Not enough arguments following: expected$/ },
  { bin: bins.slurpstats, args: ['--bogus'], help: 'slurpstats --help', message: /^slurpstats: Unknown argument: bogus$/ },
  { bin: bins.pollstats, args: [], help: 'pollstats --help', message: /^pollstats: Not enough non-option arguments/ },
  { bin: bins.pollstats, args: ['latency:p0', '/nonexistent'], help: 'pollstats --help', message: /^pollstats: latency:p0: unknown selector :p0 / },
  { bin: bins.cleanstats, args: [], help: 'cleanstats --help', message: /^cleanstats: name the stats files to clean / },
  { bin: bins.cleanstats, args: ['file', '--bogus'], help: 'cleanstats --help', message: /^cleanstats: Unknown argument: bogus$/ },
];

for (const { bin, args, help, message } of usageErrors) {
  test(`usage error \`${help.split(' ')[0]!} ${args.join(' ')}\`: one line, a hint, exit 2, nothing run`, async (t) => {
    const result = await run(bin, args);
    t.is(result.code, EXIT_USAGE);
    t.is(result.stdout, '');
    const lines = result.stderr.split('\n');
    t.is(lines.length, 3, result.stderr); // the message, the hint, and the final newline
    t.regex(lines[0]!, message);
    t.is(lines[1], `Try '${help}' for more information.`);
  });
}

test("--version prints this package's version, not that of the application in the working directory", async (t) => {
  const app = tempDir(t, 'version-app');
  writeFileSync(`${app}/package.json`, JSON.stringify({ name: 'some-app', version: '1.0.0' }));
  for (const bin of Object.values(bins)) {
    const result = await run(bin, ['--version'], app);
    t.is(result.code, 0, result.stderr);
    t.is(result.stdout, `${ownVersion}\n`, bin);
  }
  t.not(ownVersion, '1.0.0');
});

test('-h and --help print the usage and exit 0, for every executable', async (t) => {
  for (const [name, bin] of Object.entries(bins)) {
    for (const flag of ['-h', '--help']) {
      const result = await run(bin, [flag]);
      t.is(result.code, 0, `${name} ${flag}: ${result.stderr}`);
      t.regex(result.stdout, new RegExp(`^${name}\\b`), `${name} ${flag}`);
      t.is(result.stderr, '');
    }
  }
});
