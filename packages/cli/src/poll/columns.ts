/**
 * The text table of `mmstats poll`: column widths that fit the terminal, and cells that fit
 * their columns.
 *
 * On a terminal every line must fit its width (a wrapped table is unreadable), so wide
 * numbers are abbreviated (`12.3M`) and columns that cannot fit at all are left out. Piped
 * into a file or a program there is no width: numbers are written in full, exactly.
 *
 * @module
 */
import { terminalText } from '../terminal-text.js';

/** Spaces between two columns. */
export const COLUMN_GAP = 2;
/** The narrowest a column is squeezed to before columns are left out: fits `12.3M` and `-1.5k`. */
export const MIN_COLUMN_WIDTH = 6;
/** A column is at least this wide when there is room, so that counts up to 10 digits stay exact. */
export const NATURAL_MIN_WIDTH = 10;
/** Headers longer than this are cut (with `…`) even when there is room. */
export const NATURAL_MAX_WIDTH = 20;

/** What a column needs: its header, and the width it gets when there is room. */
export interface ColumnSpec {
  /** The header text. */
  readonly header: string;
  /** Width when there is room, e.g. {@link naturalWidth} of the header. */
  readonly natural: number;
}

/** How the columns are laid out. */
export interface ColumnLayout {
  /** The width of each column shown, in order: the first `widths.length` columns are shown. */
  readonly widths: readonly number[];
  /** How many columns from the end did not fit and are left out (0 when all fit). */
  readonly hidden: number;
}

/** The width a column with `header` gets when there is room: the header's length, within 10..20. */
export function naturalWidth(header: string): number {
  return Math.min(Math.max(textWidth(header), NATURAL_MIN_WIDTH), NATURAL_MAX_WIDTH);
}

/**
 * Lays out `columns` within `maxWidth` characters (gaps included): natural widths when they
 * fit; else the widest columns are narrowed first, one character at a time, down to
 * {@link MIN_COLUMN_WIDTH}; if that is still too wide, columns are left out from the end.
 *
 * @param maxWidth - the terminal's width; `undefined` (not a terminal) means no limit
 */
export function fitColumns(columns: readonly ColumnSpec[], maxWidth: number | undefined): ColumnLayout {
  const widths = columns.map((column) => column.natural);
  if (maxWidth === undefined) return { widths, hidden: 0 };
  const total = (): number => widths.reduce((sum, w) => sum + w, 0) + COLUMN_GAP * Math.max(0, widths.length - 1);
  while (total() > maxWidth) {
    const widest = Math.max(...widths);
    if (widest <= MIN_COLUMN_WIDTH) break;
    widths[widths.lastIndexOf(widest)] = widest - 1;
  }
  let hidden = 0;
  // Always keep one column, even on a terminal narrower than it: something must show.
  while (widths.length > 1 && total() > maxWidth) {
    widths.pop();
    hidden++;
  }
  return { widths, hidden };
}

/**
 * One table line: each cell right-aligned in its column, columns joined by
 * {@link COLUMN_GAP} spaces. Cells longer than their column are kept whole (see {@link fitCell}
 * to shorten them first). `style` colours a cell after padding, so colour codes never count
 * towards widths.
 */
export function tableLine(cells: readonly string[], widths: readonly number[], style: (cell: string, column: number) => string = (c) => c): string {
  return widths
    .map((width, i) => style(' '.repeat(Math.max(0, width - textWidth(cells[i] ?? ''))) + (cells[i] ?? ''), i))
    .join(' '.repeat(COLUMN_GAP));
}

/** `text` cut to `width` characters, ending in `ellipsis` (one character; default `…`) when it was cut. */
export function cutText(text: string, width: number, ellipsis = '…'): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 0 ? '' : `${chars.slice(0, width - 1).join('')}${ellipsis}`;
}

/**
 * The text of a cell: numbers in full (integers as integers, other floats to 4 significant
 * digits or 1 decimal), `-` for no value, strings with their control characters escaped ({@link terminalText}). With a `width` (on a terminal),
 * a number too wide is abbreviated (`12.3M`, then `1.2e+21`, then `###`) and a string cut with `…`.
 */
export function cellText(value: number | bigint | boolean | string | null, width?: number): string {
  if (value === null) return '-';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return width === undefined ? terminalText(value) : cutText(terminalText(value), width);
  const full = numberText(value);
  if (width === undefined || full.length <= width) return full;
  const short = compactNumber.format(value);
  if (short.length <= width) return short;
  for (let digits = Math.max(0, width - 5); digits >= 0; digits--) {
    const exponential = Number(value).toExponential(digits);
    if (exponential.length <= width) return exponential;
  }
  return '#'.repeat(width); // as spreadsheets do: there is a number, and it does not fit

}

/** A number as the table shows it in full: integers exactly, floats to 4 significant digits (1 decimal from 1000 up). */
export function numberText(value: number | bigint): string {
  if (typeof value === 'bigint' || Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return value.toFixed(1);
  return String(Number(value.toPrecision(4)));
}

const compactNumber = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 });

function textWidth(text: string): number {
  return [...text].length;
}
