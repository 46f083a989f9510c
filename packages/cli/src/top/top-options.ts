/**
 * Checks of `mmstats top`'s arguments, light enough to run while the command line is parsed.
 *
 * @module
 */

/** Why `options` cannot be used, or `undefined` when they can: an interval that is not a positive number of seconds. */
export function topOptionsProblem(options: { readonly interval?: number | undefined }): string | undefined {
  if (options.interval !== undefined && !(Number.isFinite(options.interval) && options.interval > 0)) return `--interval must be a positive number of seconds, got ${options.interval}`;
  return undefined;
}
