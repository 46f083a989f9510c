import test from 'ava';
import { ASCII_GLYPHS, glyphsFor, lineStyleFor, localeIsUtf8, UNICODE_GLYPHS } from './glyphs.js';

test('the locale is read as setlocale reads it: LC_ALL, then LC_CTYPE, then LANG; unset is C', (t) => {
  t.true(localeIsUtf8({ LANG: 'en_US.UTF-8' }));
  t.true(localeIsUtf8({ LC_CTYPE: 'C.utf8', LANG: 'C' }));
  t.false(localeIsUtf8({ LC_ALL: 'C', LANG: 'en_US.UTF-8' }));
  t.true(localeIsUtf8({ LC_ALL: '', LANG: 'de_DE.utf8' }), 'an empty variable is as good as unset');
  t.false(localeIsUtf8({}));
  t.is(glyphsFor({ LANG: 'C.UTF-8' }), UNICODE_GLYPHS);
  t.is(glyphsFor({ LANG: 'en_US.ISO-8859-1' }), ASCII_GLYPHS);
  t.true([...Object.values(ASCII_GLYPHS).join('')].every((c) => c.charCodeAt(0) < 0x80));
});

test('NO_COLOR set to anything but "" leaves every line as it is', (t) => {
  t.is(lineStyleFor({ NO_COLOR: '1' }).header('NAME'), 'NAME');
  t.is(lineStyleFor({ NO_COLOR: '' }).header('NAME'), '\x1b[7mNAME\x1b[0m');
  t.is(lineStyleFor({}).dead('gone'), '\x1b[31mgone\x1b[0m');
});
