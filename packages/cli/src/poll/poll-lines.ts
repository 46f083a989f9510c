/**
 * What `mmstats poll` prints for one tick: a table row (and its header), or a JSON object.
 *
 * @module
 */
import { styleText } from 'node:util';
import { toJsonValue } from '@mmstats/format';
import { cellText, cutText, fitColumns, naturalWidth, tableLine, type ColumnLayout } from './columns.js';
import type { PolledColumn } from './field-kinds.js';
import type { ColumnTally } from './tally.js';
import { terminalText } from '../terminal-text.js';

/** One tick's results. */
export interface TickResult {
  /** When the values were read. */
  readonly time: Date;
  /** Seconds since the previous tick was read; `null` on the first. */
  readonly interval: number | null;
  /** How many files were summed. */
  readonly files: number;
  /** How many files matched but could not be read (reported on stderr): the sums leave them out. */
  readonly unreadable: number;
  /** Per column, in the order of the columns. */
  readonly tallies: readonly ColumnTally[];
}

/** The header of the `files` column, always first. */
export const FILES_HEADER = 'files';

/**
 * Lays the table out for a terminal `maxWidth` wide (`undefined`: not a terminal, no limit):
 * a narrow `files` column, then one column per field.
 */
export function layoutTable(columns: readonly PolledColumn[], maxWidth: number | undefined): ColumnLayout {
  return fitColumns([{ header: FILES_HEADER, natural: FILES_HEADER.length }, ...columns.map((c) => ({ header: c.name, natural: naturalWidth(c.name) }))], maxWidth);
}

/** The header line, bold where colour is on (a terminal, and no `NO_COLOR`). */
export function headerLine(columns: readonly PolledColumn[], layout: ColumnLayout): string {
  const headers = [FILES_HEADER, ...columns.map((c) => c.name)].map((header, i) => cutText(terminalText(header), layout.widths[i] ?? 0));
  // One format per styleText call: Node 20's styleText ignores NO_COLOR and the TTY check
  // when given an array of formats.
  return `${tableLine(headers, layout.widths, (cell) => styleText('bold', cell))}\n`;
}

/**
 * The table row of one tick: the file count, then per column a counter's change (per second
 * with `rate`) or, on the first tick and for gauges, the total. With `fit` (a terminal),
 * cells are shortened to their column.
 */
export function tableRow(result: TickResult, columns: readonly PolledColumn[], layout: ColumnLayout, options: { rate: boolean; fit: boolean }): string {
  const cells = [String(result.files), ...columns.map((column, i) => shown(result, column, i, options.rate))];
  const text = cells.map((value, i) => (typeof value === 'string' && i === 0 ? value : cellText(value, options.fit ? layout.widths[i] : undefined)));
  return `${tableLine(text, layout.widths, (cell) => (cell.trim() === '-' ? styleText('dim', cell) : cell))}\n`;
}

/**
 * The JSON line of one tick (numbers as in spec/expected-json.md: integers beyond 2^53 as
 * strings):
 * `{"time":ISO,"interval":s|null,"files":n,"unreadable":n,"values":{KEY:{"kind":"counter","total":t,"change":c}|{"kind":"gauge","value":v}}}`,
 * KEY being the label (with dimensions and selector as typed: `--prefix` + the FIELDS entry); with
 * `rate`, counters have `"rate"` (per second) instead of `"change"`. A statistic of a v2
 * histogram, timer, average or window is `{"kind":"timer","stat":"p99","value":v}` (a
 * `:count` is `{"kind":…,"stat":"count","total":t,"change":c}`). A v2 record's unit is added
 * as `"unit"` when it has one. A field no file has yet is a gauge with value `null`.
 */
export function jsonLine(result: TickResult, columns: readonly PolledColumn[], options: { rate: boolean }): string {
  const values: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const tally = result.tallies[i]!;
    const total = tally.total === null ? null : toJsonValue(tally.total);
    const show = column.show;
    const about = {
      ...(show?.selector === undefined ? { kind: show?.mode === 'counter' ? 'counter' : 'gauge' } : { kind: show.kind, stat: show.selector }),
      ...(show === undefined || show.unit === '' ? {} : { unit: show.unit }),
    };
    if (show?.mode !== 'counter') {
      values[column.key] = { ...about, value: total };
    } else if (options.rate) {
      values[column.key] = { ...about, total, rate: perSecond(tally.change, result.interval) };
    } else {
      values[column.key] = { ...about, total, change: tally.change === null ? null : toJsonValue(tally.change) };
    }
  });
  return `${JSON.stringify({ time: result.time.toISOString(), interval: result.interval, files: result.files, unreadable: result.unreadable, values })}\n`;
}

function shown(result: TickResult, column: PolledColumn, i: number, rate: boolean): number | bigint | boolean | string | null {
  const tally = result.tallies[i]!;
  if (column.show?.mode !== 'counter' || tally.change === null) return tally.total;
  return rate ? perSecond(tally.change, result.interval) : tally.change;
}

function perSecond(change: number | bigint | null, interval: number | null): number | null {
  return change === null || interval === null || interval <= 0 ? null : Number(change) / interval;
}
