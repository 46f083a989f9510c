// Terminal tests in a real terminal emulator: tmux, on a server of the test's own (its own
// socket, no configuration file), so that tests never touch anyone's tmux and are not
// affected by it. `tmux capture-pane -p` gives the screen as text, `display -p` the pane's
// modes (alternate screen, cursor) without any terminfo lookup.
import test, { type ExecutionContext } from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { eventually } from './test-files.test.util.js';

/** Debian's tmux. */
export const TMUX = '/usr/bin/tmux';

/**
 * Declares a test that needs tmux, serially (each starts writers and a full-screen program):
 * without tmux it fails under `CI=true` and is skipped (with a note) otherwise.
 */
export function tmuxTest(title: string, fn: (t: ExecutionContext) => Promise<void>): void {
  if (existsSync(TMUX)) {
    test.serial(title, fn);
    return;
  }
  const message = `${TMUX} is not installed: apt-get install -y tmux`;
  if (process.env['CI'] === 'true') test(title, (t) => t.fail(message));
  else test.skip(title, fn);
}

let sessions = 0;

/** A tmux server with one window running a plain shell, `columns` × `lines`, killed when the test ends. */
export class TmuxPane {
  readonly #socket: string;

  private constructor(socket: string) {
    this.#socket = socket;
  }

  /**
   * Starts a shell (bash without start-up files, prompt `$ `) in a new tmux server, with only
   * PATH, HOME, `TERM=screen` and `env` in its environment (the test's own, its locale and
   * NO_COLOR included, stay out).
   */
  static start(t: ExecutionContext, size: { columns: number; lines: number }, env: Record<string, string> = {}): TmuxPane {
    const pane = new TmuxPane(`mmstats-test-${process.pid}-${++sessions}`);
    const environment = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', TERM: 'screen', PS1: '$ ', ...env };
    const vars = Object.entries(environment).map(([name, value]) => `${name}=${value}`);
    pane.tmux('-f', '/dev/null', 'new-session', '-d', '-x', String(size.columns), '-y', String(size.lines), 'env', '-i', ...vars, 'bash', '--norc', '--noprofile', '-i');
    t.teardown(() => {
      spawnSync(TMUX, ['-L', pane.#socket, 'kill-server']);
    });
    return pane;
  }

  /** Runs a tmux command against this server; its stdout. */
  tmux(...args: string[]): string {
    return execFileSync(TMUX, ['-L', this.#socket, ...args], { encoding: 'utf8' });
  }

  /** The screen as text, one string per line, trailing spaces dropped (`escapes`: with the SGR codes, as `capture-pane -e` gives them). */
  screen(escapes = false): string[] {
    return this.tmux('capture-pane', '-p', ...(escapes ? ['-e'] : [])).replace(/\n$/, '').split('\n').map((line) => line.trimEnd());
  }

  /** Types `text` as it is. */
  type(text: string): void {
    this.tmux('send-keys', '-l', text);
  }

  /** Presses keys by tmux name: `Enter`, `Escape`, `C-c`, `Down`... */
  press(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }

  /** Types a shell command line and Enter. */
  run(commandLine: string): void {
    this.type(commandLine);
    this.press('Enter');
  }

  /** Resizes the window. */
  resize(columns: number, lines: number): void {
    this.tmux('resize-window', '-x', String(columns), '-y', String(lines));
  }

  /** A pane format value, e.g. `alternate_on` (`1` while the alternate screen is shown), `cursor_flag`. */
  format(name: string): string {
    return this.tmux('display', '-p', `#{${name}}`).trim();
  }

  /** Waits until the screen satisfies `check` (gets the lines), and returns them. */
  async waitFor(what: string, check: (lines: string[]) => boolean, ms = 20_000): Promise<string[]> {
    let last: string[] = [];
    try {
      return await eventually(what, () => {
        last = this.screen();
        return check(last) ? last : undefined;
      }, ms);
    } catch (error) {
      throw new Error(`${(error as Error).message}; the screen was:\n${last.join('\n')}`);
    }
  }
}
