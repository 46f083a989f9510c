/**
 * `@mmstats/cli`: the `mmstats` command line, also usable from code.
 *
 * @packageDocumentation
 */
export { runCli } from './cli.js';
export { slurp, type SlurpOptions } from './commands/slurp.js';
export { pythonFloat, pythonText } from './python-text.js';
