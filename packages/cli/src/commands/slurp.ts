/**
 * `mmstats slurp [PATH|DIR|GLOB...]`: print every field of every stats file, as the Python
 * `slurpstats` tool does, or as JSON lines with `--json` (spec/expected-json.md#slurp-json).
 * v1 files print exactly as `slurpstats` prints them; v2 files add each record's kind, unit
 * and dimensions.
 *
 * @module
 */
import { toJsonValue, type JsonData } from '@mmstats/format';
import { findStatsFilesSync, scanStats, type StatsSnapshot } from '@mmstats/reader';
import { pythonText } from '../python-text.js';
import { BufferedOut, exitQuietlyOnClosedStdout, warn } from '../stdout.js';
import { fieldValueText, jsonValue, labelText } from '../value-text.js';
import { terminalText } from '../terminal-text.js';

/** Options of `mmstats slurp`. */
export interface SlurpOptions {
  /** Files, directories and globs; empty means the defaults (MMSTATS_GLOB, else MMSTATS_PATH, else this user's default stats directories: spec/files.md#discovery). */
  readonly targets: readonly string[];
  /** One JSON object per field per line instead of text. Default false. */
  readonly json: boolean;
  /** The time v2 windows are evaluated at, Unix seconds (for tests). Default now. */
  readonly now?: number;
}

/**
 * Runs `slurp`: prints each good file, reports each bad one on stderr as one line and goes on.
 *
 * @returns the exit code: 0 when every file was read, 1 when any failed or explicit targets matched nothing
 */
export async function slurp(options: SlurpOptions): Promise<number> {
  exitQuietlyOnClosedStdout();
  const paths = findStatsFilesSync(options.targets);
  if (paths.length === 0) {
    warn(`no stats files found${options.targets.length ? ` in ${options.targets.join(' ')}` : ' (set MMSTATS_GLOB or MMSTATS_PATH, or name files)'}`);
    return options.targets.length ? 1 : 0;
  }
  const out = new BufferedOut();
  let failed = 0;
  for (const result of scanStats(paths)) {
    if (!result.ok) {
      failed++;
      await out.warn(result.error.message);
      continue;
    }
    for (const notice of result.snapshot.notices) await out.warn(`${result.snapshot.path}: ${notice.code} ${notice.detail} at byte ${notice.offset}`);
    const now = options.now ?? Date.now() / 1000;
    await out.write(options.json ? jsonLines(result.snapshot) : result.snapshot.version === 1 ? textBlock(result.snapshot) : v2TextBlock(result.snapshot, now));
  }
  await out.flush();
  return failed ? 1 : 0;
}

/** v1, as slurpstats: `==> path`, then `  label value` lines with labels padded to the longest, then a blank line. */
function textBlock(snapshot: StatsSnapshot): string {
  const rows = snapshot.fields.map((field) => ({
    label: terminalText(field.label),
    value: terminalText(field.version === 1 ? pythonText(field.value, field.layout.valueType.kind) : ''),
  }));
  const width = Math.max(0, ...rows.map((row) => textWidth(row.label)));
  const lines = rows.map((row) => `  ${pad(row.label, width)} ${row.value}`);
  return `==> ${terminalText(snapshot.path)}\n${lines.map((line) => `${line}\n`).join('')}\n`;
}

/**
 * v2: `==> path`, then `  label{dims}  kind  value unit` lines, label and kind columns padded
 * to their longest, then a blank line.
 */
function v2TextBlock(snapshot: StatsSnapshot, now: number): string {
  const rows = snapshot.fields.map((field) => {
    const value = fieldValueText(field, now);
    const shown = field.unit === '' || field.error ? value : `${value} ${field.unit}`;
    return { label: terminalText(labelText(field.label, field.dims)), kind: terminalText(field.kind), value: terminalText(shown) };
  });
  const labelWidth = Math.max(0, ...rows.map((row) => textWidth(row.label)));
  const kindWidth = Math.max(0, ...rows.map((row) => textWidth(row.kind)));
  const lines = rows.map((row) => `  ${pad(row.label, labelWidth)}  ${pad(row.kind, kindWidth)}  ${row.value}`.trimEnd());
  return `==> ${terminalText(snapshot.path)}\n${lines.map((line) => `${line}\n`).join('')}\n`;
}

/**
 * One JSON line per field (spec/expected-json.md#slurp-json): `{"file","label","type","value"}`
 * for v1; for v2 `{"file","label","dims","kind","unit","type","value"}`, with `type` the
 * encoding and `value` in the v2 JSON form, or `"error"` (the code) instead of `"value"` for a
 * value that could not be read.
 */
function jsonLines(snapshot: StatsSnapshot): string {
  return snapshot.fields
    .map((field) => {
      if (field.version === 1) return { file: snapshot.path, label: field.label, type: field.type, value: toJsonValue(field.value) };
      const about = { file: snapshot.path, label: field.label, dims: field.dims, kind: field.kind, unit: field.unit, type: field.type };
      const value: JsonData = field.value === undefined ? null : jsonValue(field.value);
      return field.error === undefined ? { ...about, value } : { ...about, error: field.error.code };
    })
    .map((line) => `${JSON.stringify(line)}\n`)
    .join('');
}

// Widths in code points, as Python's ljust pads; only text with surrogate pairs needs counting.
const SURROGATE = /[\ud800-\udfff]/;

function textWidth(text: string): number {
  return SURROGATE.test(text) ? [...text].length : text.length;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - textWidth(text)));
}
