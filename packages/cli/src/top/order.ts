/**
 * Which rows `mmstats top` shows, and in what order: a typed filter pattern and a sort column.
 *
 * Patterns are typed by whoever runs top and matched against every row on every frame, so
 * they are never made into regular expressions: a pattern with a wildcard is a shell glob
 * matched by the reader's `segmentMatcher` (no backtracking: at most pattern length × name
 * length steps, spec/files.md#glob-matching), anything else a case-insensitive substring.
 *
 * @module
 */
import { hasWildcards, segmentMatcher } from '@mmstats/reader';
import type { TopRow, TopView } from './model.js';

/** The columns rows can be sorted by. */
export type SortColumn = 'name' | 'source' | 'value' | 'rate' | 'p50' | 'p90' | 'p99';

/** Every sort column, in the order `s` and `>` step through them (`source` only where there is one). */
export const SORT_COLUMNS: readonly SortColumn[] = ['name', 'source', 'value', 'rate', 'p50', 'p90', 'p99'];

/** The sort columns of `view`: all but `source` in the merged view, which has no sources. */
export function sortColumnsOf(view: TopView): readonly SortColumn[] {
  return view === 'merged' ? SORT_COLUMNS.filter((column) => column !== 'source') : SORT_COLUMNS;
}

/** The column `step` places after `column` among `view`'s sort columns (negative: before), wrapping around; a column the view lacks counts as the first. */
export function nextSortColumn(column: SortColumn, view: TopView, step: number): SortColumn {
  const columns = sortColumnsOf(view);
  const at = Math.max(0, columns.indexOf(column));
  return columns[(((at + step) % columns.length) + columns.length) % columns.length]!;
}

/**
 * A predicate on rows for `pattern`: every row for `""`; with `*`, `?` or `[` a glob that must
 * match the whole name (`label{k=v}`) or source (`pid 42`, a file name); else a substring of
 * either, ignoring case. A glob with a reversed set (`[z-a]`) matches nothing.
 */
export function rowFilter(pattern: string): (row: TopRow) => boolean {
  if (pattern === '') return () => true;
  if (hasWildcards(pattern)) {
    const matches = segmentMatcher(pattern);
    if (matches === undefined) return () => false;
    return (row) => matches(row.name) || (row.source !== '' && matches(row.source));
  }
  const wanted = pattern.toLowerCase();
  return (row) => row.name.toLowerCase().includes(wanted) || row.source.toLowerCase().includes(wanted);
}

/**
 * `rows` sorted by `column`: names and sources in UTF-16 code unit order, values and
 * statistics by number (text values after numbers); rows without a value last in
 * either direction; ties by name, then source. `descending` reverses all but the empty-last rule.
 */
export function sortRows(rows: readonly TopRow[], column: SortColumn, descending: boolean): TopRow[] {
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a[column];
    const y = b[column];
    if (x !== y && (x === null || y === null)) return x === null ? 1 : -1;
    return sign * compareValues(x, y) || compareValues(a.name, b.name) || compareValues(a.source, b.source);
  });
}

function compareValues(x: TopRow[SortColumn], y: TopRow[SortColumn]): number {
  if (x === y || x === null || y === null) return 0;
  const textX = typeof x === 'string';
  const textY = typeof y === 'string';
  if (textX !== textY) return textX ? 1 : -1;
  // Numbers, bigints and booleans compare exactly with < (a bigint against a number included).
  return x < y ? -1 : x > y ? 1 : 0;
}
