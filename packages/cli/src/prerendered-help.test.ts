// `--help` and `--version` are answered from texts the build rendered with yargs; these tests
// keep them identical to what yargs prints now, and show which command lines still go to yargs.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { COMMAND_NAMES } from './cli.js';
import { helpWidth, prerenderedAnswer, PRERENDERED_HELP_FILE } from './prerendered-help.js';
import { bins } from './test-files.test.util.js';
import { renderAllHelp, renderHelp } from './write-prerendered-help.js';

test('the help texts the build wrote are what yargs renders from the commands now', async (t) => {
  t.deepEqual(JSON.parse(readFileSync(PRERENDERED_HELP_FILE, 'utf8')), await renderAllHelp());
});

test('mmstats --help, -h and COMMAND --help print the prerendered text, as yargs would', async (t) => {
  const mmstats = (...args: string[]) => execFileSync(process.execPath, [bins.mmstats, ...args], { encoding: 'utf8' });
  const top = await renderHelp(['--help'], 80);
  t.regex(top, /^mmstats <command> \[options\]\n/);
  t.is(mmstats('--help'), top);
  t.is(mmstats('-h'), top);
  for (const name of COMMAND_NAMES) t.is(mmstats(name, '--help'), await renderHelp([name, '--help'], 80), name);
});

test('mmstats --version prints the package version', (t) => {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  t.is(prerenderedAnswer(['--version'], undefined), `${version}\n`);
});

test('widths: 80 without a terminal, the terminal up to 100; only 80 and 100 are prerendered', (t) => {
  t.is(helpWidth(undefined), 80);
  t.is(helpWidth(90), 90);
  t.is(helpWidth(200), 100);
  t.is(prerenderedAnswer(['--help'], 90), undefined);
  t.is(prerenderedAnswer(['--help'], 200), prerenderedAnswer(['--help'], 100));
  t.not(prerenderedAnswer(['--help'], 100), prerenderedAnswer(['--help'], 80));
});

test('any other command line is left to yargs', (t) => {
  for (const args of [[], ['slurp'], ['slurp', '--json', '--help'], ['nope', '--help'], ['--version', 'slurp'], ['slurp', '--version']]) {
    t.is(prerenderedAnswer(args, undefined), undefined, args.join(' '));
  }
});

test('help yargs renders in the bundle (its string-width loaded on first use) is what it renders unbundled', async (t) => {
  const help = execFileSync(process.execPath, [bins.mmstats, 'slurp', '--json', '--help'], { encoding: 'utf8' });
  t.is(help, await renderHelp(['slurp', '--json', '--help'], 80));
  t.regex(help, /^mmstats slurp \[targets\.\.\]\n/);
});
