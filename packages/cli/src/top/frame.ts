/**
 * One screenful of `mmstats top`: the title line, the writers pane (each file's worker,
 * heartbeat age, and whether its writer is gone), the table of records, and a line of key
 * hints or the filter being typed; or the help screen. Every line is exactly the terminal's
 * width, so a frame overwrites the one before completely, and every text from a file is
 * escaped for the terminal.
 *
 * @module
 */
import { cutText } from '../poll/columns.js';
import { terminalText } from '../terminal-text.js';
import { KEY_HELP, type TopState } from './controls.js';
import type { Glyphs, LineStyle } from './glyphs.js';
import { headerLine, rowLine, tableLayout } from './layout.js';
import type { TopRow, TopView, WriterRow } from './model.js';
import { rowFilter, sortRows } from './order.js';

/** What a frame shows. */
export interface FrameInput {
  /** The rows of each view, as read last. */
  readonly rows: (view: TopView) => readonly TopRow[];
  /** Every file's writer, as read last. */
  readonly writers: readonly WriterRow[];
  /** How many of the targets' files could not be read (each reported when top ends). */
  readonly unreadable: number;
  /** What the keys have set. */
  readonly state: TopState;
  /** The terminal's size. */
  readonly columns: number;
  /** The terminal's height. */
  readonly height: number;
  /** Seconds between readings, for the title. */
  readonly interval: number;
  /** When the rows were read, for the title. */
  readonly readAt: Date;
  /** What to draw with. */
  readonly glyphs: Glyphs;
  /** How lines are highlighted. */
  readonly style: LineStyle;
}

/** A frame: its lines, and how many table rows it has room for (the paging keys' page). */
export interface Frame {
  /** Exactly `height` lines, each `columns` characters wide before styling. */
  readonly lines: readonly string[];
  /** Table rows shown per page. */
  readonly page: number;
  /** The first row shown: `state.scroll` clamped to the rows there are. */
  readonly scroll: number;
}

const VIEW_NAMES: Readonly<Record<TopView, string>> = { merged: 'merged', worker: 'per worker', file: 'per file' };

/** Lays out one frame of `input`. */
export function frame(input: FrameInput): Frame {
  const { state, columns, height, glyphs, style } = input;
  const fit = (text: string) => {
    const cut = cutText(text, columns, glyphs.ellipsis);
    return cut + ' '.repeat(Math.max(0, columns - [...cut].length));
  };
  const lines: string[] = [style.title(fit(titleLine(input)))];
  if (state.help) {
    lines.push('', 'Keys:', ...KEY_HELP.map(([keys, what]) => `  ${keys.padEnd(20)} ${what}`));
    lines.push('', 'Rows: every record with its value, its rate per second over the last interval and, for', 'histograms and timers, the percentiles of the values recorded in that interval.');
    return { lines: padTo(lines.slice(0, height).map((line, i) => (i === 0 ? line : fit(line))), height, fit), page: 0, scroll: 0 };
  }
  lines.push(...writersPane(input, Math.max(1, Math.floor((height - 5) / 3))).map(({ text, gone }) => (gone ? style.dead(fit(text)) : fit(text))));
  const pattern = state.typing ?? state.pattern;
  const all = input.rows(state.view);
  const shown = sortRows(all.filter(rowFilter(pattern)), state.sort, state.descending);
  const table = tableLayout(state.view, shown, columns);
  lines.push(style.header(fit(headerLine(table, state.view, state.sort, state.descending, glyphs))));
  const page = Math.max(0, height - lines.length - 1);
  const scroll = Math.max(0, Math.min(state.scroll, shown.length - page));
  if (shown.length === 0) lines.push(fit(all.length === 0 ? '  no records yet: waiting for stats files' : `  no record matches ${terminalText(pattern)}`));
  for (const row of shown.slice(scroll, scroll + page)) lines.push(fit(rowLine(row, table, glyphs)));
  const body = padTo(lines.slice(0, height - 1), height - 1, fit);
  const counts = pattern === '' ? `${shown.length} rows` : `${shown.length} of ${all.length} rows match ${terminalText(pattern)}`;
  const bottom = state.typing === undefined ? `${counts}  |  q quit  ? keys  v view  s < > sort  r reverse  / filter  p pause` : `/${terminalText(state.typing)}_   Enter keeps it, Esc drops it`;
  return { lines: [...body, fit(bottom)].slice(0, height), page, scroll };
}

function titleLine(input: FrameInput): string {
  const { state, writers, glyphs } = input;
  const gone = writers.filter((writer) => writer.judgement.gone).length;
  const files = `${writers.length} ${writers.length === 1 ? 'file' : 'files'}${gone === 0 ? '' : `, ${gone} gone`}${input.unreadable === 0 ? '' : `, ${input.unreadable} unreadable`}`;
  const sort = `sort ${state.sort}${state.descending ? glyphs.descending : glyphs.ascending}`;
  const clock = input.readAt.toTimeString().slice(0, 8);
  return `mmstats top - ${VIEW_NAMES[state.view]} - ${files} - ${sort} - every ${input.interval}s - ${clock}${state.paused ? '  PAUSED' : ''}`;
}

/** The writers pane: a header and up to `room` lines, the gone writers first. */
function writersPane(input: FrameInput, room: number): { text: string; gone: boolean }[] {
  const writers = [...input.writers].sort((a, b) => Number(b.judgement.gone) - Number(a.judgement.gone) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const workerWidth = Math.max(6, ...writers.map((writer) => [...terminalText(writer.worker)].length));
  const line = (worker: string, beat: string, state: string, file: string) => `${worker.padEnd(workerWidth)}  ${beat.padStart(9)}  ${state.padEnd(5)}  ${file}`;
  const out = [{ text: line('WORKER', 'HEARTBEAT', 'STATE', 'FILE'), gone: false }];
  const fits = writers.length <= room ? writers : writers.slice(0, Math.max(0, room - 1));
  for (const writer of fits) {
    const file = terminalText(writer.path) + (writer.judgement.gone ? `  (${writer.judgement.because})` : '');
    out.push({ text: line(terminalText(writer.worker), age(writer.heartbeatAge), writer.judgement.gone ? 'GONE' : 'alive', file), gone: writer.judgement.gone });
  }
  if (fits.length < writers.length) out.push({ text: `... and ${writers.length - fits.length} more`, gone: false });
  return out;
}

/** A heartbeat age: `0.3s`, `42s`, `12m`, `5h`; `-` for none. */
export function age(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  if (seconds < 600) return `${Math.floor(seconds)}s`;
  if (seconds < 36_000) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h`;
}

function padTo(lines: readonly string[], height: number, fit: (text: string) => string): string[] {
  return [...lines, ...Array.from({ length: Math.max(0, height - lines.length) }, () => fit(''))];
}
