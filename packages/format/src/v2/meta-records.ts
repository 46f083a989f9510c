/**
 * The records that say what a file is rather than hold a value (spec/files.md#service): its
 * service, its worker slot, and an archive's generation and folded files
 * (spec/files.md#archive-file). Writers write them, readers leave them out of merged views.
 *
 * @module
 */

/** The `info` text record naming a file's service (spec/files.md#service). */
export const SERVICE_LABEL = 'mmstats.service';
/** The `info` text record of a writer's worker slot, in decimal (spec/files.md#worker-slot). */
export const WORKER_LABEL = 'mmstats.worker';
/** The archive's `u64` record holding its generation (spec/files.md#archive-file). */
export const ARCHIVE_GENERATION_LABEL = 'mmstats.archive.generation';
/** The archive's records of folded files, dimension `file_id` (spec/files.md#archive-file). */
export const ARCHIVE_FOLDED_LABEL = 'mmstats.archive.folded';

/**
 * Whether `label` says what a file is rather than holding a value: `mmstats.service`,
 * `mmstats.worker` and the archive's `mmstats.archive.*` records. Merged views leave them out
 * (spec/files.md#service).
 */
export function isFileMetaLabel(label: string): boolean {
  return label === SERVICE_LABEL || label === WORKER_LABEL || label.startsWith('mmstats.archive.');
}

/** `file_id` as the folded list writes it: 16 lowercase hex digits. */
export function fileIdText(fileId: bigint): string {
  return fileId.toString(16).padStart(16, '0');
}

/** The `file_id` a folded record's `file_id` dimension names, or `undefined` when it is not 16 lowercase hex digits. */
export function parseFileIdText(text: string | undefined): bigint | undefined {
  return text !== undefined && /^[0-9a-f]{16}$/u.test(text) ? BigInt(`0x${text}`) : undefined;
}
