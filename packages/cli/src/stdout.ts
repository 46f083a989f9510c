/**
 * Writing to stdout from a command-line tool that is often piped into `head`: when the
 * reader goes away (EPIPE), stop quietly with exit code 0 instead of dying with a stack trace.
 *
 * @module
 */
import { terminalText } from './terminal-text.js';

let guarded = false;

/** Makes a closed stdout end the process quietly. Call once, before writing. */
export function exitQuietlyOnClosedStdout(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/** Writes `text` to stdout and resolves once it has been handed to the OS (or buffered under back-pressure). */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', resolve);
  });
}

/**
 * Output in chunks of at least {@link BufferedOut.CHUNK} characters: one write per chunk rather
 * than one per file. A warning first writes out what came before it, so the two streams stay
 * in order on a terminal.
 */
export class BufferedOut {
  /** The size a chunk is written at: 64 Ki characters. */
  static readonly CHUNK = 1 << 16;
  private parts: string[] = [];
  private size = 0;

  /** Adds `text`; resolves at once, or once a full chunk has been handed to the OS ({@link writeOut}). */
  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= BufferedOut.CHUNK) await this.flush();
  }

  /** Writes out what was added, then reports `message` as {@link warn} does. */
  async warn(message: string): Promise<void> {
    await this.flush();
    warn(message);
  }

  /** Writes out everything added so far. */
  async flush(): Promise<void> {
    if (this.size === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await writeOut(text);
  }
}

/**
 * Reports a problem on stderr as one line, prefixed with the program name. The message often
 * names a file or a label, so its control characters are escaped ({@link terminalText}): it
 * stays one line and cannot drive the terminal.
 */
export function warn(message: string): void {
  process.stderr.write(`mmstats: ${terminalText(message)}\n`);
}
