/**
 * `mmstats top`'s table fitted to the terminal's width: which columns are shown, how wide
 * each is, and each row as one line of exactly that width.
 *
 * The name column takes what the longest name needs (within limits), the numbers a fixed
 * width (`cellText` abbreviates what does not fit: `12.3M`), and the sparkline the rest. On a
 * narrow terminal the columns an operator can do without go before names are cut: the
 * sparkline, the kind, p50, p90, p99, then the source; name, value and rate always stay.
 *
 * @module
 */
import { cellText, cutText } from '../poll/columns.js';
import { terminalText } from '../terminal-text.js';
import type { Glyphs } from './glyphs.js';
import type { TopRow, TopView } from './model.js';
import type { SortColumn } from './order.js';
import { sparkline } from './sparkline.js';

/** A column of the table. */
export type TableColumnId = 'name' | 'source' | 'kind' | 'value' | 'rate' | 'p50' | 'p90' | 'p99' | 'history';

/** A column as laid out. */
export interface TableColumn {
  /** Which column. */
  readonly id: TableColumnId;
  /** Its width in characters. */
  readonly width: number;
}

const HEADERS: Readonly<Record<TableColumnId, string>> = { name: 'NAME', source: 'SOURCE', kind: 'KIND', value: 'VALUE', rate: 'RATE/s', p50: 'P50', p90: 'P90', p99: 'P99', history: 'HISTORY' };
const NUMBER_WIDTH: Partial<Record<TableColumnId, number>> = { kind: 7, value: 10, rate: 9, p50: 8, p90: 8, p99: 8 };
/** Columns left out first when the terminal is narrow, in that order. */
const DROP_ORDER: readonly TableColumnId[] = ['history', 'kind', 'p50', 'p90', 'p99', 'source'];
const MIN_NAME = 12;
const MAX_NAME = 48;
/** A name column is not cut below this (or its longest name) while there are columns left to drop. */
const COMFORTABLE_NAME = 24;
const MIN_HISTORY = 8;
const MAX_HISTORY = 60;

/** The header of `view`'s source column: whose row it is. */
export function sourceHeader(view: TopView): string {
  return view === 'file' ? 'FILE' : 'WORKER';
}

/**
 * The columns of `view` that fit `width` characters (a space between columns), sized for `rows`.
 * Without a source in the merged view; widest first for name and source, the sparkline the rest.
 */
export function tableLayout(view: TopView, rows: readonly TopRow[], width: number): TableColumn[] {
  const longest = (texts: Iterable<string>, header: string) => Math.max(header.length, ...[...texts].map((text) => [...terminalText(text)].length));
  let ids: TableColumnId[] = ['name', ...(view === 'merged' ? [] : (['source'] as const)), 'kind', 'value', 'rate', 'p50', 'p90', 'p99', 'history'];
  const nameWanted = Math.min(MAX_NAME, Math.max(MIN_NAME, longest(rows.map((row) => row.name), HEADERS.name)));
  const sourceWanted = Math.min(32, longest(rows.map((row) => row.source), sourceHeader(view)));
  const fixed = (list: readonly TableColumnId[]) => list.reduce((sum, id) => sum + (NUMBER_WIDTH[id] ?? 0), 0) + (list.length - 1);
  for (const drop of [undefined, ...DROP_ORDER]) {
    if (drop !== undefined) ids = ids.filter((id) => id !== drop);
    const room = width - fixed(ids) - (ids.includes('history') ? MIN_HISTORY : 0);
    const flexible = room - (ids.includes('source') ? sourceWanted : 0);
    // Names are what a row is read by: columns go before a name is cut (below a comfortable width).
    if (flexible < Math.min(nameWanted, COMFORTABLE_NAME) && drop !== DROP_ORDER.at(-1)) continue;
    const source = ids.includes('source') ? Math.max(6, Math.min(sourceWanted, room - MIN_NAME)) : 0;
    const name = Math.max(1, Math.min(nameWanted, room - source));
    const history = ids.includes('history') ? Math.min(MAX_HISTORY, width - fixed(ids) - name - source) : 0;
    return ids.map((id) => ({ id, width: id === 'name' ? name : id === 'source' ? source : id === 'history' ? history : NUMBER_WIDTH[id]! }));
  }
  return []; // not reached: the last round always lays out
}

/** The header line of `columns`, the sort column marked with an arrow. */
export function headerLine(columns: readonly TableColumn[], view: TopView, sort: SortColumn, descending: boolean, glyphs: Glyphs): string {
  return columns
    .map(({ id, width }) => {
      const text = (id === 'source' ? sourceHeader(view) : HEADERS[id]) + (id === sort ? (descending ? glyphs.descending : glyphs.ascending) : '');
      return align(id, cutText(text, width, glyphs.ellipsis), width);
    })
    .join(' ');
}

/** One row as a line of `columns`: text escaped for the terminal ({@link terminalText}) and cut, numbers abbreviated to fit. */
export function rowLine(row: TopRow, columns: readonly TableColumn[], glyphs: Glyphs): string {
  return columns.map(({ id, width }) => align(id, cell(row, id, width, glyphs), width)).join(' ');
}

function cell(row: TopRow, id: TableColumnId, width: number, glyphs: Glyphs): string {
  switch (id) {
    case 'name':
    case 'source':
    case 'kind':
      return cutText(terminalText(row[id]), width, glyphs.ellipsis);
    case 'history':
      return sparkline(row.history, width, glyphs.levels);
    case 'value':
      return typeof row.value === 'string' ? cutText(terminalText(row.value), width, glyphs.ellipsis) : cellText(row.value, width);
    default:
      return cellText(row[id], width);
  }
}

/** Names and text left-aligned, numbers right-aligned, in exactly `width` characters. */
function align(id: TableColumnId, text: string, width: number): string {
  const pad = ' '.repeat(Math.max(0, width - [...text].length));
  return id === 'name' || id === 'source' || id === 'kind' || id === 'history' ? text + pad : pad + text;
}
