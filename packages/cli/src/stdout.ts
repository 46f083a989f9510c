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
 * Reports a problem on stderr as one line, prefixed with the program name. The message often
 * names a file or a label, so its control characters are escaped ({@link terminalText}): it
 * stays one line and cannot drive the terminal.
 */
export function warn(message: string): void {
  process.stderr.write(`mmstats: ${terminalText(message)}\n`);
}
