import test from 'ava';
import { terminalText } from './terminal-text.js';

test('ordinary text, backslashes and non-ASCII letters included, is left as it is', (t) => {
  for (const text of ['http.requests', 'a\\b', 'naïve ✓ 東京', '']) t.is(terminalText(text), text);
});

test('terminal escape sequences lose their ESC and BEL: the window title and the screen stay as they are', (t) => {
  t.is(terminalText('\x1b]0;pwned\x07'), '\\x1b]0;pwned\\x07');
  t.is(terminalText('\x1b[2Jgone'), '\\x1b[2Jgone');
});

test('line breaks, carriage returns and tabs are shown, so no label can forge or overwrite a line', (t) => {
  t.is(terminalText('ok\r\nfake line\tx'), 'ok\\r\\nfake line\\tx');
});

test('C1 controls, DEL, line separators and bidirectional overrides are escaped too', (t) => {
  t.is(terminalText('\u009b2J'), '\\x9b2J');
  t.is(terminalText('a\u007fb'), 'a\\x7fb');
  t.is(terminalText('x\u2028y'), 'x\\u{2028}y');
  t.is(terminalText('\u202egnp.exe'), '\\u{202e}gnp.exe');
});
