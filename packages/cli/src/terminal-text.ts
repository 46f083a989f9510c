/**
 * Text from stats files made safe for a terminal. Labels, dimensions, text values and file
 * names come from files that anyone able to write the stats directory can craft; printed raw,
 * `ESC ] 0 ;` retitles the window, `ESC [ 2 J` clears the screen, `\r` overwrites a line and a
 * `\n` forges a whole line of output. Every command's text output passes through
 * {@link terminalText}; `--json` output does not (JSON strings carry the exact text).
 *
 * @module
 */

// C0 controls, DEL, C1 controls (U+009B is a one-character CSI on some terminals), the line
// and paragraph separators, and the bidirectional overrides and isolates that reorder what
// follows them on screen. Matching control characters is the point of this pattern.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'gu');

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * `text` with every control character written as an escape: `\t`, `\n`, `\r`, `\xNN` for the
 * other C0 and C1 controls and DEL, `\u{NNNN}` for U+2028, U+2029 and the bidirectional
 * controls. Everything else, backslashes included, is left as it is, so ordinary labels print
 * exactly as the Python tools print them.
 */
export function terminalText(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeControl) : text;
}

function escapeControl(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}
