import test from 'ava';
import { initialState, pressKey, type TopState } from './controls.js';
import { decodeKeys } from './keys.js';

/** The state after typing `input` from `state`, and the last effect. */
function type(input: string, state: TopState = initialState(), page = 10) {
  let effect;
  for (const key of decodeKeys(input)) ({ state, effect } = pressKey(state, key, page));
  return { state, effect };
}

test('v cycles the views; s and > step the sort column, < steps back, r reverses', (t) => {
  t.is(type('v').state.view, 'worker');
  t.is(type('vvv').state.view, 'merged');
  t.like(type('ss').state, { sort: 'rate' });
  t.like(type('v>').state, { sort: 'source' });
  t.like(type('v>vv').state, { view: 'merged', sort: 'name' }, 'back in the merged view there is no source to sort by');
  t.like(type('<r').state, { sort: 'p99', descending: true });
});

test('/ types a filter, applied as it is typed; Enter keeps it, Esc drops what was typed, Esc again clears', (t) => {
  t.like(type('/lat').state, { typing: 'lat', pattern: '' });
  t.like(type('/latx\x7f\r').state, { typing: undefined, pattern: 'lat' });
  t.like(type('/lat\r/re\x1b').state, { typing: undefined, pattern: 'lat' });
  t.like(type('/lat\r\x1b').state, { pattern: '' });
  t.like(type('/qv\x15p').state, { typing: 'p', view: 'merged' }, 'while typing, keys are text (Ctrl-U clears)');
});

test('p and space pause; ? shows the help until any key; q quits, Ctrl-C interrupts and Ctrl-Z suspends even in the help', (t) => {
  t.true(type('p').state.paused);
  t.false(type('p ').state.paused);
  t.true(type('?').state.help);
  t.like(type('?v').state, { help: false, view: 'merged' });
  t.is(type('q').effect, 'quit');
  t.is(type('?\x03').effect, 'interrupt');
  t.is(type('/\x03').effect, 'interrupt');
  t.is(type('\x0c').effect, 'redraw');
  t.is(type('/ab\x1a').effect, 'suspend', 'Ctrl-Z even while typing');
});

test('the cursor and paging keys scroll by a row or a page', (t) => {
  t.is(type('\x1b[B\x1b[Bj').state.scroll, 3);
  t.is(type('\x1b[6~\x1b[A', initialState(), 20).state.scroll, 19);
  t.is(type('\x1b[A').state.scroll, 0);
  t.is(type('\x1b[4~\x1b[H').state.scroll, 0);
});
