/**
 * `mmstats --help`, `mmstats COMMAND --help` and `mmstats --version` answered without loading
 * yargs, whose import is most of a start-up (its text-width tables alone cost more than Node's
 * own start). The build renders the help texts with yargs itself (`write-prerendered-help.ts`)
 * into `prerendered-help.json` beside this module; anything else, or a width not rendered, goes
 * to yargs.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { packageVersion } from './package-version.js';

/** The file the build writes the help texts to, beside this module. */
export const PRERENDERED_HELP_FILE = new URL('./prerendered-help.json', import.meta.url);

/** The widths help is rendered at by the build: 80 (no terminal, or an 80-column one) and 100 (any wider). */
export const PRERENDERED_WIDTHS: readonly number[] = [80, 100];

/** The width help is wrapped at on a terminal of `columns` columns (`undefined`: not a terminal): 80 then, else `columns` up to 100. */
export function helpWidth(columns: number | undefined): number {
  return Math.min(100, columns ?? 80);
}

/** What the build writes: for each width, the help text (as yargs prints it, with its newline) by the arguments that ask for it. */
export type PrerenderedHelp = Record<string, Record<string, string>>;

/** The key of a command line in {@link PrerenderedHelp}: its arguments joined by spaces. */
export function helpKey(args: readonly string[]): string {
  return args.join(' ');
}

/**
 * The argument lists whose answer the build renders: `--help`, and `COMMAND --help` for each of
 * `commandNames` (`-h` is answered as `--help`).
 */
export function helpArgumentLists(commandNames: readonly string[]): string[][] {
  return [['--help'], ...commandNames.map((name) => [name, '--help'])];
}

/**
 * The text `mmstats` prints for `args` on a terminal of `columns` columns, when it was rendered
 * by the build (or is the version); `undefined` when yargs must parse `args`.
 */
export function prerenderedAnswer(args: readonly string[], columns: number | undefined): string | undefined {
  if (args.length === 1 && args[0] === '--version') return `${packageVersion()}\n`;
  const last = args.at(-1);
  if (args.length > 2 || (last !== '--help' && last !== '-h')) return undefined;
  const width = helpWidth(columns);
  if (!PRERENDERED_WIDTHS.includes(width)) return undefined;
  return readPrerenderedHelp()?.[width]?.[helpKey([...args.slice(0, -1), '--help'])];
}

/** The build's help texts, or `undefined` when the build did not write them (yargs answers then). */
function readPrerenderedHelp(): PrerenderedHelp | undefined {
  try {
    return JSON.parse(readFileSync(PRERENDERED_HELP_FILE, 'utf8')) as PrerenderedHelp;
  } catch {
    return undefined;
  }
}
