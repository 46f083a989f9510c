/**
 * The keys `mmstats top` reads from a terminal in raw mode: the bytes of one `data` event
 * decoded into key presses. Only what every terminal sends (xterm, the Linux console, tmux,
 * screen, over SSH) is decoded: printable characters, Enter, Backspace, Escape, control keys
 * and the cursor and paging keys in their `ESC [` and `ESC O` forms. Anything else (mouse
 * reports, function keys) is dropped whole, so its bytes never turn into typed characters.
 *
 * @module
 */

/** One key press. */
export type Key =
  /** A printable character (one code point), as typed. */
  | { readonly name: 'char'; readonly char: string }
  | { readonly name: 'enter' | 'backspace' | 'escape' | 'up' | 'down' | 'left' | 'right' | 'pageup' | 'pagedown' | 'home' | 'end' | 'tab' }
  /** Ctrl with a letter: `letter` is lower case (`c` for Ctrl-C). */
  | { readonly name: 'ctrl'; readonly letter: string };

const CSI_FINAL: Readonly<Record<string, Key['name']>> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };
const CSI_TILDE: Readonly<Record<string, Key['name']>> = { '1': 'home', '7': 'home', '4': 'end', '8': 'end', '5': 'pageup', '6': 'pagedown' };

/**
 * The keys in `input` (one read from stdin, UTF-8). A lone `ESC` at the end is the Escape key
 * (terminals send an escape sequence in one write, so it is not split across reads in practice).
 */
export function decodeKeys(input: string): Key[] {
  const keys: Key[] = [];
  const chars = [...input];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\x1b') {
      const sequence = escapeSequence(chars, i);
      if (sequence === undefined) keys.push({ name: 'escape' });
      else {
        if (sequence.key !== undefined) keys.push(sequence.key);
        i = sequence.end;
      }
      continue;
    }
    const code = c.codePointAt(0)!;
    if (c === '\r' || c === '\n') keys.push({ name: 'enter' });
    else if (c === '\x7f' || c === '\b') keys.push({ name: 'backspace' });
    else if (c === '\t') keys.push({ name: 'tab' });
    else if (code >= 1 && code <= 26) keys.push({ name: 'ctrl', letter: String.fromCharCode(code + 96) });
    // Other C0 and C1 controls (and NUL) are no key we know.
    else if (code >= 0x20 && !(code >= 0x7f && code <= 0x9f)) keys.push({ name: 'char', char: c });
  }
  return keys;
}

/**
 * The escape sequence starting at `chars[start]` (an `ESC`): its key (`undefined` for one we
 * do not use) and the index of its last character; `undefined` when the `ESC` stands alone.
 */
function escapeSequence(chars: readonly string[], start: number): { key: Key | undefined; end: number } | undefined {
  const introducer = chars[start + 1];
  if (introducer === 'O' && start + 2 < chars.length) {
    const name = CSI_FINAL[chars[start + 2]!];
    return { key: name === undefined ? undefined : ({ name } as Key), end: start + 2 };
  }
  if (introducer !== '[') return undefined;
  // CSI: parameter and intermediate bytes (0x20..0x3f), then one final byte (0x40..0x7e).
  let i = start + 2;
  while (i < chars.length && chars[i]! >= ' ' && chars[i]! <= '?') i++;
  if (i >= chars.length) return { key: undefined, end: chars.length - 1 };
  const params = chars.slice(start + 2, i).join('');
  const final = chars[i]!;
  const name = final === '~' ? CSI_TILDE[params.split(';')[0]!] : params === '' || /^1;\d+$/.test(params) ? CSI_FINAL[final] : undefined;
  return { key: name === undefined ? undefined : ({ name } as Key), end: i };
}
