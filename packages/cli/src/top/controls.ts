/**
 * What each key does in `mmstats top`: the view's state, and how a key press changes it. Kept
 * apart from the terminal so that every key can be tested as a plain function.
 *
 * @module
 */
import type { Key } from './keys.js';
import { TOP_VIEWS, type TopView } from './model.js';
import { nextSortColumn, type SortColumn } from './order.js';

/** Everything the keys change. */
export interface TopState {
  /** How the files are grouped. Default `merged`. */
  readonly view: TopView;
  /** The sort column. Default `name`. */
  readonly sort: SortColumn;
  /** Sorted from the largest. Default `false`. */
  readonly descending: boolean;
  /** The filter pattern in force (`order.ts`' `rowFilter`); `""` for none. */
  readonly pattern: string;
  /** The pattern being typed after `/`, applied as it is typed; `undefined` when not typing. */
  readonly typing: string | undefined;
  /** No new readings while paused; the keys still sort and filter what was read. */
  readonly paused: boolean;
  /** The help screen is shown. */
  readonly help: boolean;
  /** The first row shown (clamped to the rows when drawn). */
  readonly scroll: number;
}

/** The state top starts in, with `pattern` from `--pattern`. */
export function initialState(pattern = ''): TopState {
  return { view: 'merged', sort: 'name', descending: false, pattern, typing: undefined, paused: false, help: false, scroll: 0 };
}

/**
 * What a key asks for besides a new state: to quit (`q`: exit 0; Ctrl-C: exit 130), to redraw
 * from scratch (Ctrl-L), or to be suspended to the shell (Ctrl-Z, as in any program: `fg`
 * brings it back).
 */
export type KeyEffect = 'quit' | 'interrupt' | 'redraw' | 'suspend' | undefined;

/** The key bindings, for the help screen and the README: keys, then what they do. */
export const KEY_HELP: readonly (readonly [string, string])[] = [
  ['q', 'quit (Ctrl-C too)'],
  ['v', 'view: merged, per worker, per file'],
  ['s  >', 'sort by the next column'],
  ['<', 'sort by the previous column'],
  ['r', 'reverse the order'],
  ['/', 'filter: a glob (* ? [...]) or a substring; Enter keeps it, Esc drops it'],
  ['Esc', 'clear the filter'],
  ['p  space', 'pause and resume'],
  ['Up Down j k', 'scroll a row'],
  ['PgUp PgDn Home End', 'scroll a page, to the top, to the end'],
  ['Ctrl-L', 'redraw the screen'],
  ['Ctrl-Z', 'suspend to the shell (fg resumes)'],
  ['?', 'this help (any key closes it)'],
];

/**
 * The state after `key`, and what else it asks for. `page` is how many rows the table shows,
 * for the paging keys.
 */
export function pressKey(state: TopState, key: Key, page: number): { state: TopState; effect: KeyEffect } {
  const same = { state, effect: undefined };
  if (key.name === 'ctrl' && key.letter === 'c') return { state, effect: 'interrupt' };
  if (key.name === 'ctrl' && key.letter === 'l') return { state, effect: 'redraw' };
  if (key.name === 'ctrl' && key.letter === 'z') return { state, effect: 'suspend' };
  if (state.help) return { state: { ...state, help: false }, effect: undefined };
  if (state.typing !== undefined) return { state: typed(state, key), effect: undefined };
  const to = (change: Partial<TopState>) => ({ state: { ...state, ...change }, effect: undefined });
  switch (key.name) {
    case 'char':
      switch (key.char) {
        case 'q':
          return { state, effect: 'quit' };
        case '?':
          return to({ help: true });
        case 'v': {
          const view = TOP_VIEWS[(TOP_VIEWS.indexOf(state.view) + 1) % TOP_VIEWS.length]!;
          // The source column exists in the per-worker and per-file views only.
          return to({ view, sort: state.sort === 'source' && view === 'merged' ? 'name' : state.sort, scroll: 0 });
        }
        case 's':
        case '>':
          return to({ sort: nextSortColumn(state.sort, state.view, 1) });
        case '<':
          return to({ sort: nextSortColumn(state.sort, state.view, -1) });
        case 'r':
          return to({ descending: !state.descending });
        case '/':
          return to({ typing: '', scroll: 0 });
        case 'p':
        case ' ':
          return to({ paused: !state.paused });
        case 'j':
          return to({ scroll: state.scroll + 1 });
        case 'k':
          return to({ scroll: Math.max(0, state.scroll - 1) });
        default:
          return same;
      }
    case 'escape':
      return to({ pattern: '', scroll: 0 });
    case 'down':
      return to({ scroll: state.scroll + 1 });
    case 'up':
      return to({ scroll: Math.max(0, state.scroll - 1) });
    case 'pagedown':
      return to({ scroll: state.scroll + Math.max(1, page) });
    case 'pageup':
      return to({ scroll: Math.max(0, state.scroll - Math.max(1, page)) });
    case 'home':
      return to({ scroll: 0 });
    case 'end':
      return to({ scroll: Number.MAX_SAFE_INTEGER });
    default:
      return same;
  }
}

/** The state after `key` while a filter is typed. */
function typed(state: TopState, key: Key): TopState {
  const typing = state.typing ?? '';
  switch (key.name) {
    case 'char':
      return { ...state, typing: typing + key.char };
    case 'backspace':
      return { ...state, typing: [...typing].slice(0, -1).join('') };
    case 'enter':
      return { ...state, pattern: typing, typing: undefined };
    case 'escape':
      return { ...state, typing: undefined };
    case 'ctrl':
      return key.letter === 'u' ? { ...state, typing: '' } : state;
    default:
      return state;
  }
}
