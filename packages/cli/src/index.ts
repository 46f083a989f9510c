/**
 * `@mmstats/cli`: the `mmstats` command line, also usable from code.
 *
 * @packageDocumentation
 */
export { runCli } from './cli.js';
export { slurp, type SlurpOptions } from './commands/slurp.js';
export { poll, EXIT_INTERRUPTED, EXIT_TERMINATED, type PollOptions } from './commands/poll.js';
export type { KindOverrides } from './poll/field-kinds.js';
export { DEFAULT_SELECTORS } from './poll/field-kinds.js';
export { clean, findTemporaryFiles, type CleanOptions } from './commands/clean.js';
/** Moved to `@mmstats/reader`, re-exported here for code that imported them from the CLI. */
export { judgeStatsFile, type JudgeOptions, type OwnFile, type Verdict } from '@mmstats/reader';
export { get, mergedJson, type GetOptions } from './commands/get.js';
export { validate, compareWithExpected, VALIDATE_MATCH, VALIDATE_MISMATCH, VALIDATE_USAGE, type Comparison, type ValidateOptions } from './commands/validate.js';
export { pythonFloat, pythonText } from './python-text.js';
export { EXIT_USAGE } from './usage.js';
export { fieldValueText, v2ValueText, labelText } from './value-text.js';
