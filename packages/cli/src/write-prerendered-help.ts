/**
 * Build step: renders `mmstats`' help texts with yargs at each of {@link PRERENDERED_WIDTHS}
 * into {@link PRERENDERED_HELP_FILE}, for `bin.ts` to answer `--help` from
 * (`prerendered-help.ts`). Run by the package's `build` script after `tsc`.
 *
 * @module
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { COMMAND_NAMES, mmstatsCommands } from './cli.js';
import { helpArgumentLists, helpKey, PRERENDERED_HELP_FILE, PRERENDERED_WIDTHS, type PrerenderedHelp } from './prerendered-help.js';
import { commandLineProgram } from './usage.js';

/** What yargs prints for `args` with help wrapped at `width`, newline included, without printing it. */
export async function renderHelp(args: readonly string[], width: number): Promise<string> {
  let printed: string | undefined;
  await commandLineProgram('mmstats', args, (program) => mmstatsCommands(program, width)).parseAsync([...args], {}, (_error, _argv, output) => {
    printed = output;
  });
  if (printed === undefined || printed === '') throw new Error(`yargs printed nothing for mmstats ${args.join(' ')}`);
  return `${printed}\n`;
}

/** Every help text the build renders, by width and {@link helpKey}. */
export async function renderAllHelp(): Promise<PrerenderedHelp> {
  const texts: PrerenderedHelp = {};
  for (const width of PRERENDERED_WIDTHS) {
    const byArgs: Record<string, string> = {};
    for (const args of helpArgumentLists(COMMAND_NAMES)) byArgs[helpKey(args)] = await renderHelp(args, width);
    texts[width] = byArgs;
  }
  return texts;
}

// Run as a script (not imported by the tests): compared as URLs, so a path with spaces matches too.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) writeFileSync(PRERENDERED_HELP_FILE, `${JSON.stringify(await renderAllHelp(), null, 1)}\n`);
