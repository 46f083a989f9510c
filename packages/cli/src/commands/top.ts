/**
 * `mmstats top [PATH|DIR|GLOB...]`: an interactive full-screen view of every record of a
 * service's stats files, refreshed every interval, like `top` and `htop` for a machine.
 * Reads with the same parts as `mmstats poll` (`LiveFileSet`, the growth of counters and
 * histograms between readings) and draws with `top/`: the model, the frame, the keys and the
 * screen.
 *
 * @module
 */
import { findStatsFiles, judgeWriter, NoticeCodes, observer, writerInfo } from '@mmstats/reader';
import { matchesFilters, parseFilter } from '../poll/filters.js';
import { LiveFileSet } from '../poll/live-file-set.js';
import { warn } from '../stdout.js';
import { terminalText } from '../terminal-text.js';
import { pressKey, initialState, type TopState } from '../top/controls.js';
import { frame } from '../top/frame.js';
import { glyphsFor, lineStyleFor } from '../top/glyphs.js';
import { decodeKeys } from '../top/keys.js';
import { TopModel, type TopFile } from '../top/model.js';
import { restoreOnExit, Screen } from '../top/screen.js';
import { topOptionsProblem } from '../top/top-options.js';
import { EXIT_USAGE } from '../usage.js';
import { EXIT_INTERRUPTED, EXIT_TERMINATED } from './poll.js';

/** Options of `mmstats top`. */
export interface TopOptions {
  /** Files, directories and globs; empty means the defaults (spec/files.md#discovery). */
  readonly targets: readonly string[];
  /** Seconds between readings, fractions allowed. Default 1. */
  readonly interval?: number;
  /** `KEY` or `KEY=VALUE` filters a file must all match, as `mmstats poll -f` takes them. Default none. */
  readonly filters?: readonly string[];
  /** The row filter to start with, as typed after `/`. Default none. */
  readonly pattern?: string;
}

/** Exit code after SIGHUP (the terminal or SSH session went away): 128 + 1. */
export const EXIT_HANGUP = 129;

/**
 * Runs `top` on the terminal until `q` (exit 0), Ctrl-C or SIGINT (130), SIGTERM (143) or
 * SIGHUP (129). The terminal is restored in every case, and after an uncaught error too (which
 * is then printed, exit 1). Files that could not be read are reported on stderr once top has
 * left the screen.
 *
 * @returns the exit code; 2 ({@link EXIT_USAGE}) when stdin or stdout is not a terminal, or
 *   for unusable options
 */
export async function top(options: TopOptions): Promise<number> {
  const problem = topOptionsProblem(options);
  if (problem !== undefined) {
    warn(problem);
    return EXIT_USAGE;
  }
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    warn('top needs a terminal (stdin and stdout); for lines to a pipe or a file, use mmstats poll');
    return EXIT_USAGE;
  }
  const intervalMs = (options.interval ?? 1) * 1000;
  const filters = (options.filters ?? []).map(parseFilter);
  // Problems are kept for stderr until top has left the screen, where they would be overwritten (or garble it).
  const reports = new Set<string>();
  const report = (line: string): void => void reports.add(line);
  const onSkipped = (dir: string, why: string): void => report(`${dir}: ${NoticeCodes.UNSAFE_DEFAULT_DIRECTORY} default stats directory skipped: it ${why}`);
  const files = new LiveFileSet({ report, skipDeadWriters: false });
  const model = new TopModel();
  const screen = new Screen();
  const glyphs = glyphsFor(process.env);
  const style = lineStyleFor(process.env);
  let state: TopState = initialState(options.pattern);
  let page = 0;
  let readAt = new Date();
  const unguard = restoreOnExit(screen, reportCrash);

  const draw = (): void => {
    const { columns, height } = screen.size;
    const drawn = frame({ rows: (view) => model.rows(view), writers: model.writers, unreadable: files.unreadable, state, columns, height, interval: intervalMs / 1000, readAt, glyphs, style });
    page = drawn.page;
    // Keep the scroll where the frame clamped it, so that Up works at once after End.
    if (drawn.scroll !== state.scroll) state = { ...state, scroll: drawn.scroll };
    screen.draw(drawn.lines);
  };

  let lastRead: number | undefined;
  const read = async (): Promise<void> => {
    const watched = files.refresh(await findStatsFiles(options.targets, { onSkipped }));
    const seen = observer(); // once per reading: /proc is scanned at most once
    const readings: TopFile[] = watched
      .filter((file) => matchesFilters(file.snapshot.fields, filters))
      .map((file) => ({ ...file, judgement: judgeWriter(writerInfo(file.snapshot), file.snapshot.version, seen) }));
    const now = performance.now();
    model.update(readings, Date.now() / 1000, lastRead === undefined ? undefined : (now - lastRead) / 1000);
    lastRead = now;
    readAt = new Date();
  };

  return await new Promise<number>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      process.stdin.off('data', onData);
      process.stdout.off('resize', draw);
      process.off('SIGCONT', onContinue);
      for (const signal of SIGNALS) process.off(signal, onSignal);
      process.stdin.pause();
      screen.restore();
      unguard();
      files.close();
      for (const line of reports) warn(line);
      resolve(code);
    };
    const onData = (chunk: Buffer): void => {
      for (const key of decodeKeys(chunk.toString('utf8'))) {
        const pressed = pressKey(state, key, page);
        state = pressed.state;
        if (pressed.effect === 'quit') return finish(0);
        if (pressed.effect === 'interrupt') return finish(EXIT_INTERRUPTED);
        if (pressed.effect === 'redraw') screen.clear();
        if (pressed.effect === 'suspend') return suspend();
      }
      draw();
    };
    // Ctrl-Z arrives as a key in raw mode: give the terminal back, then stop the whole job
    // (the shell's process group, as the terminal's own Ctrl-Z would) until the shell's `fg`.
    const suspend = (): void => {
      screen.restore();
      process.kill(0, 'SIGTSTP');
    };
    const onContinue = (): void => {
      screen.enter();
      screen.clear();
      draw();
    };
    const onSignal = (signal: NodeJS.Signals): void => finish(signal === 'SIGINT' ? EXIT_INTERRUPTED : signal === 'SIGHUP' ? EXIT_HANGUP : EXIT_TERMINATED);
    // Readings stay on a fixed grid from the start, so they do not drift by the time each
    // takes; after a stall (a suspended laptop) the missed ones are skipped, not caught up.
    let started: number | undefined;
    let tick = 0;
    const next = (): void => {
      if (done) return;
      const now = performance.now();
      started ??= now;
      tick = Math.max(tick + 1, Math.ceil((now - started) / intervalMs));
      timer = setTimeout(() => void step(), started + tick * intervalMs - now);
    };
    const step = async (): Promise<void> => {
      try {
        if (!state.paused) await read();
        if (!done) draw();
        next();
      } catch (error) {
        finish(1);
        reportCrash(error);
      }
    };
    for (const signal of SIGNALS) process.on(signal, onSignal);
    process.stdout.on('resize', draw);
    process.on('SIGCONT', onContinue);
    process.stdin.on('data', onData);
    screen.enter();
    started = performance.now();
    void step();
  });
}

/** Prints an error top could not handle, each line escaped for the terminal (a message may quote a file's text). */
export function reportCrash(error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`mmstats top: ${text.split('\n').map(terminalText).join('\n')}\n`);
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
