import test from 'ava';
import { ENTER_SCREEN, frameText, LEAVE_SCREEN } from './screen.js';

test('a frame places every line at its own row, so nothing depends on wrapping or scrolling', (t) => {
  t.is(frameText(['ab', 'cd']), '\x1b[1;1Hab\x1b[2;1Hcd');
  t.is(frameText([]), '');
});

test('leaving undoes what entering did: the alternate screen, the hidden cursor, the attributes', (t) => {
  t.true(ENTER_SCREEN.includes('\x1b[?1049h') && ENTER_SCREEN.includes('\x1b[?25l'));
  t.true(LEAVE_SCREEN.includes('\x1b[?1049l') && LEAVE_SCREEN.includes('\x1b[?25h') && LEAVE_SCREEN.startsWith('\x1b[0m'));
});
