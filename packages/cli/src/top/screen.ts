/**
 * The terminal as `mmstats top` uses it: the alternate screen with the cursor hidden and the
 * keyboard in raw mode while it runs, one write per frame, and everything put back however
 * top ends.
 *
 * Only plain ANSI/ECMA-48 sequences every terminal emulator since xterm understands are sent
 * (cursor position, erase, SGR, DEC private modes 1049 and 25), so top needs no terminfo entry
 * and works over SSH and inside tmux or screen. A frame is drawn whole, every line exactly the
 * terminal's width and placed by an absolute cursor position, so nothing depends on the
 * terminal's idea of wrapping or scrolling.
 *
 * @module
 */
import { writeSync } from 'node:fs';

/** Enter the alternate screen, hide the cursor, clear. */
export const ENTER_SCREEN = '\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J';
/** Reset attributes, show the cursor, leave the alternate screen (the shell's screen comes back as it was). */
export const LEAVE_SCREEN = '\x1b[0m\x1b[?25h\x1b[?1049l';

/** The text that draws `lines` from the top-left corner, each at its own row (1-based `CSI row;1 H`). */
export function frameText(lines: readonly string[]): string {
  return lines.map((line, i) => `\x1b[${i + 1};1H${line}`).join('');
}

/** The terminal top draws on: its output (a TTY) and its keyboard. */
export interface Terminal {
  readonly output: NodeJS.WriteStream & { fd: number };
  readonly input: NodeJS.ReadStream & { fd: number };
}

/**
 * The alternate screen, entered by {@link Screen.enter} and left by {@link Screen.restore},
 * which may be called any number of times, from anywhere (a signal handler, an `exit`
 * handler, after a crash): it writes synchronously, so what it writes is out before the
 * process ends.
 */
export class Screen {
  readonly #terminal: Terminal;
  #entered = false;

  /** @param terminal - default `process.stdout` and `process.stdin` */
  constructor(terminal: Terminal = { output: process.stdout, input: process.stdin }) {
    this.#terminal = terminal;
  }

  /** The terminal's width and height; 80 × 24 if it does not say. */
  get size(): { columns: number; height: number } {
    return { columns: this.#terminal.output.columns || 80, height: this.#terminal.output.rows || 24 };
  }

  /** Switches to the alternate screen and raw keyboard input (keys arrive one by one, Ctrl-C as a key). */
  enter(): void {
    if (this.#entered) return;
    this.#entered = true;
    if (this.#terminal.input.isTTY) this.#terminal.input.setRawMode(true);
    writeSync(this.#terminal.output.fd, ENTER_SCREEN);
  }

  /** Draws `lines` (see {@link frameText}) in one write. */
  draw(lines: readonly string[]): void {
    if (this.#entered) this.#terminal.output.write(frameText(lines));
  }

  /** Clears the screen, for a redraw from scratch (Ctrl-L: something else wrote on it). */
  clear(): void {
    if (this.#entered) this.#terminal.output.write('\x1b[H\x1b[2J');
  }

  /** Puts the terminal back as it was: cooked keyboard, cursor shown, the shell's screen. Does nothing when not entered. */
  restore(): void {
    if (!this.#entered) return;
    this.#entered = false;
    try {
      if (this.#terminal.input.isTTY) this.#terminal.input.setRawMode(false);
      writeSync(this.#terminal.output.fd, LEAVE_SCREEN);
    } catch {
      // The terminal is gone (a closed SSH session): there is nothing left to restore.
    }
  }
}

/**
 * Makes sure `screen` is restored however the process ends: on `exit` (any `process.exit`),
 * and on an uncaught exception or unhandled rejection, which are reported after the restore
 * (so the message lands on the shell's screen, not on the alternate one that is about to
 * vanish) by `report`, before exiting with code 1.
 *
 * @returns a function that removes the handlers again
 */
export function restoreOnExit(screen: Screen, report: (error: unknown) => void): () => void {
  const onExit = (): void => screen.restore();
  const onCrash = (error: unknown): void => {
    screen.restore();
    report(error);
    process.exit(1);
  };
  process.on('exit', onExit);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  return () => {
    process.off('exit', onExit);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  };
}
