/**
 * The `[targets..]` positional every reading command takes: files, directories and globs,
 * found as spec/files.md#discovery says.
 *
 * @module
 */

/** Where stats files are looked for when no target is named, for help texts. */
export const DEFAULT_TARGETS_TEXT = '$MMSTATS_GLOB, else $MMSTATS_PATH/*.mmstats, else <tmpdir>/mmstats-<euid>/*.mmstats';

/**
 * The yargs positional for `[targets..]` (default: none named, so the defaults apply).
 *
 * @param note - words to add to the description, e.g. when the targets are looked up again
 */
export function targetsPositional(note = '') {
  return {
    describe: `stats files, directories or globs${note} (default: ${DEFAULT_TARGETS_TEXT})`,
    type: 'string',
    array: true,
    default: [] as string[],
  } as const;
}
