/**
 * What `mmstats top` draws with, by what the terminal can show: Unicode block elements and
 * arrows when the locale is UTF-8, plain ASCII otherwise (a C or Latin-1 locale, a serial
 * console), and colours only when `NO_COLOR` is not set (https://no-color.org).
 *
 * @module
 */
import { ASCII_LEVELS, UNICODE_LEVELS } from './sparkline.js';

/** The characters beyond ASCII that top uses, or their ASCII stand-ins. */
export interface Glyphs {
  /** Sparkline heights, lowest first. */
  readonly levels: string;
  /** Ends a cut text. */
  readonly ellipsis: string;
  /** Marks the sort column, ascending. */
  readonly ascending: string;
  /** Marks the sort column, descending. */
  readonly descending: string;
}

/** Glyphs for a UTF-8 terminal. */
export const UNICODE_GLYPHS: Glyphs = { levels: UNICODE_LEVELS, ellipsis: '…', ascending: '↑', descending: '↓' };
/** Glyphs for any terminal. */
export const ASCII_GLYPHS: Glyphs = { levels: ASCII_LEVELS, ellipsis: '~', ascending: '^', descending: 'v' };

/**
 * `true` when the locale's character set is UTF-8: the first of `LC_ALL`, `LC_CTYPE` and
 * `LANG` that is set and not empty (the order C's `setlocale` reads them) names it (`C.UTF-8`,
 * `en_US.utf8`). Unset means the C locale: ASCII.
 */
export function localeIsUtf8(env: NodeJS.ProcessEnv): boolean {
  const locale = [env['LC_ALL'], env['LC_CTYPE'], env['LANG']].find((value) => value !== undefined && value !== '');
  return locale !== undefined && /utf-?8/i.test(locale);
}

/** {@link UNICODE_GLYPHS} in a UTF-8 locale ({@link localeIsUtf8}), else {@link ASCII_GLYPHS}. */
export function glyphsFor(env: NodeJS.ProcessEnv): Glyphs {
  return localeIsUtf8(env) ? UNICODE_GLYPHS : ASCII_GLYPHS;
}

/** How whole lines are highlighted. */
export interface LineStyle {
  /** The title line. */
  readonly title: (line: string) => string;
  /** A column header bar. */
  readonly header: (line: string) => string;
  /** A writer that is gone. */
  readonly dead: (line: string) => string;
}

const sgr = (codes: string) => (line: string) => `\x1b[${codes}m${line}\x1b[0m`;
const plain = (line: string) => line;

/** Bold title, reverse-video header bars, dead writers in red; no escape codes at all when `NO_COLOR` is set to anything but `""`. */
export function lineStyleFor(env: NodeJS.ProcessEnv): LineStyle {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return { title: plain, header: plain, dead: plain };
  return { title: sgr('1'), header: sgr('7'), dead: sgr('31') };
}
