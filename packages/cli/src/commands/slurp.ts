/**
 * `mmstats slurp [PATH|DIR|GLOB...]`: print every field of every stats file, as the Python
 * `slurpstats` tool does, or as JSON lines with `--json` (spec/expected-json.md#slurp-json).
 *
 * @module
 */
import { toJsonValue } from '@mmstats/format';
import { findStatsFiles, scanStats, type StatsSnapshot } from '@mmstats/reader';
import type { Argv } from 'yargs';
import { pythonText } from '../python-text.js';
import { exitQuietlyOnClosedStdout, warn, writeOut } from '../stdout.js';

/** Options of `mmstats slurp`. */
export interface SlurpOptions {
  /** Files, directories and globs; empty means the defaults (MMSTATS_GLOB, MMSTATS_PATH, the temp dir). */
  readonly targets: readonly string[];
  /** One JSON object per field per line instead of text. Default false. */
  readonly json: boolean;
}

/** yargs command module for `slurp`. */
export const slurpCommand = {
  command: 'slurp [targets..]',
  describe: 'Print every field of every stats file',
  builder: (yargs: Argv) =>
    yargs
      .positional('targets', {
        describe: 'stats files, directories or globs (default: $MMSTATS_GLOB, else $MMSTATS_PATH/*.mmstats, else <tmpdir>/*.mmstats)',
        type: 'string',
        array: true,
        default: [] as string[],
      })
      .option('json', { describe: 'one JSON object per field per line: {"file","label","type","value"}', type: 'boolean', default: false })
      .example('$0 slurp', 'every stats file in the temp dir')
      .example("$0 slurp --json '/run/app/*.mmstats'", 'JSON lines, for scripts'),
  handler: async (argv: { targets?: string[]; json?: boolean }) => {
    process.exitCode = await slurp({ targets: argv.targets ?? [], json: argv.json ?? false });
  },
};

/**
 * Runs `slurp`: prints each good file, reports each bad one on stderr as one line and goes on.
 *
 * @returns the exit code: 0 when every file was read, 1 when any failed or explicit targets matched nothing
 */
export async function slurp(options: SlurpOptions): Promise<number> {
  exitQuietlyOnClosedStdout();
  const paths = await findStatsFiles(options.targets);
  if (paths.length === 0) {
    warn(`no stats files found${options.targets.length ? ` in ${options.targets.join(' ')}` : ' (set MMSTATS_GLOB or MMSTATS_PATH, or name files)'}`);
    return options.targets.length ? 1 : 0;
  }
  let failed = 0;
  for (const result of scanStats(paths)) {
    if (!result.ok) {
      failed++;
      warn(result.error.message);
      continue;
    }
    await writeOut(options.json ? jsonLines(result.snapshot) : textBlock(result.snapshot));
  }
  return failed ? 1 : 0;
}

/** `==> path`, then `  label value` lines with labels padded to the longest, then a blank line. */
function textBlock(snapshot: StatsSnapshot): string {
  const width = Math.max(0, ...snapshot.fields.map((field) => [...field.label].length));
  const lines = snapshot.fields.map((field) => {
    const label = field.label + ' '.repeat(width - [...field.label].length);
    return `  ${label} ${pythonText(field.value, field.layout.valueType.kind)}`;
  });
  return `==> ${snapshot.path}\n${lines.map((line) => `${line}\n`).join('')}\n`;
}

function jsonLines(snapshot: StatsSnapshot): string {
  return snapshot.fields
    .map((field) => `${JSON.stringify({ file: snapshot.path, label: field.label, type: field.type, value: toJsonValue(field.value) })}\n`)
    .join('');
}
