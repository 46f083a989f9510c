import test from 'ava';
import { decodeKeys } from './keys.js';

test('characters, Enter, Backspace and control keys, several in one read', (t) => {
  t.deepEqual(decodeKeys('q'), [{ name: 'char', char: 'q' }]);
  t.deepEqual(decodeKeys('/re\x7f\r'), [
    { name: 'char', char: '/' },
    { name: 'char', char: 'r' },
    { name: 'char', char: 'e' },
    { name: 'backspace' },
    { name: 'enter' },
  ]);
  t.deepEqual(decodeKeys('\x03\x0c'), [
    { name: 'ctrl', letter: 'c' },
    { name: 'ctrl', letter: 'l' },
  ]);
  t.deepEqual(decodeKeys('é😀'), [
    { name: 'char', char: 'é' },
    { name: 'char', char: '😀' },
  ]);
});

test('cursor and paging keys in the forms terminals send; a lone ESC is Escape', (t) => {
  t.deepEqual(decodeKeys('\x1b[A\x1bOB\x1b[5~\x1b[6~\x1b[H\x1b[4~'), [{ name: 'up' }, { name: 'down' }, { name: 'pageup' }, { name: 'pagedown' }, { name: 'home' }, { name: 'end' }]);
  t.deepEqual(decodeKeys('\x1b[1;5C'), [{ name: 'right' }], 'with a modifier');
  t.deepEqual(decodeKeys('\x1b'), [{ name: 'escape' }]);
  t.deepEqual(decodeKeys('\x1bq'), [{ name: 'escape' }, { name: 'char', char: 'q' }]);
});

test('sequences we do not use are dropped whole: none of their bytes becomes a typed character', (t) => {
  t.deepEqual(decodeKeys('\x1b[<0;12;5M'), [], 'a mouse report');
  t.deepEqual(decodeKeys('\x1b[15~x'), [{ name: 'char', char: 'x' }], 'F5, then x');
  t.deepEqual(decodeKeys('\x1b[200~'), [], 'bracketed paste start');
  t.deepEqual(decodeKeys('\x00\x1c\x9b'), [], 'other controls');
});
