/**
 * This package's version, read without loading anything else (`mmstats --version` answers
 * from it before the command line is parsed).
 *
 * @module
 */
import { readFileSync } from 'node:fs';

/**
 * This package's version, from its own package.json (found from this module's file, so it is
 * the same whichever directory the command runs in and whichever application installed it).
 */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
