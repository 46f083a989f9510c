/**
 * Every error mmstats reports about a file, defined once. The codes are stable: tools and
 * ports match on them, so a code is never reused or renumbered (spec: `spec/errors.md`).
 *
 * `E0xx` are format errors found in the bytes (any implementation reports them the same way);
 * `E1xx` are errors met while getting at the bytes (opening, mapping, reading a file);
 * `E2xx` are errors a writer meets while defining, creating or flushing a file.
 *
 * @module
 */

/** The catalogue: a stable code and a one-line meaning for each kind of failure. */
export const ErrorCodes = {
  /** The file has no bytes at all (a writer may be creating it). See spec/format-v1.md#file-version. */
  EMPTY_FILE: 'MMSTATS-E001',
  /** The first byte is not a format version this reader knows (0x01; 0x02 for a v2 reader), or says the file is from a future major version. See spec/format-v1.md#file-version, spec/format-v2.md#compatibility. */
  UNSUPPORTED_VERSION: 'MMSTATS-E002',
  /** A fixed-size part of a record (a size, the write-buffer byte, a value) is cut off by the end of the file. See spec/format-v1.md#end-of-fields. */
  TRUNCATED_RECORD: 'MMSTATS-E003',
  /** A `label_sz` or `type_sz` says there are more bytes than the file has left. See spec/format-v1.md#field-record. */
  SIZE_PAST_END: 'MMSTATS-E004',
  /** The type signature names a code this format does not have. See spec/format-v1.md#type-signatures. */
  UNKNOWN_TYPE: 'MMSTATS-E005',
  /** The type signature does not follow the grammar (empty, a count without `s`, two codes...). See spec/format-v1.md#type-signatures. */
  MALFORMED_TYPE: 'MMSTATS-E006',
  /** A label is not valid UTF-8. See spec/format-v1.md#text. */
  INVALID_UTF8: 'MMSTATS-E007',
  /** The write-buffer byte is neither 0, 1 nor 0xff. See spec/format-v1.md#buffering. */
  BAD_WRITE_BUFFER: 'MMSTATS-E008',
  /** v2: byte 0 is 0x02 but bytes 1 to 7 are not ASCII `mmstats`. See spec/format-v2.md#header. */
  BAD_SIGNATURE: 'MMSTATS-E009',
  /** v2: the `byte_order` byte is not 0x01 (little-endian). See spec/format-v2.md#header. */
  UNSUPPORTED_BYTE_ORDER: 'MMSTATS-E010',
  /** v2: the `READY` flag is not set: the writer is still creating the file (a poller may retry). See spec/format-v2.md#lifecycle. */
  NOT_READY: 'MMSTATS-E011',
  /** v2: a bad `header_size`, `capacity` or `file_id`. See spec/format-v2.md#header. */
  BAD_HEADER: 'MMSTATS-E012',
  /** v2: a record with a bad state, size, offsets, name lengths, dimensions, parameters or value size. See spec/format-v2.md#record. */
  BAD_RECORD: 'MMSTATS-E013',
  /** v2: a record's sequence word never settled, so its value could not be read (only that record fails). See spec/format-v2.md#seqlock. */
  VALUE_UNSTABLE: 'MMSTATS-E014',
  /** The file does not exist (any more). */
  NOT_FOUND: 'MMSTATS-E101',
  /** The path is not a regular file (a directory, a device, a socket...). */
  NOT_A_FILE: 'MMSTATS-E102',
  /** The file exists but could not be opened or read (permissions, I/O error). */
  READ_FAILED: 'MMSTATS-E103',
  /** The reader could not open the file: it has no file descriptor left (EMFILE, ENFILE). Other files of the same answer may be missing too. */
  TOO_MANY_OPEN_FILES: 'MMSTATS-E104',
  /** The file changed under the reader while it was read: it shrank, or another file (or a rewrite, v2 `file_id`) took its place. Reading it again may work. */
  FILE_CHANGED: 'MMSTATS-E105',
  /** A read of many files took longer than an archive's folded list keeps a removed file (60 s) in every try: a dead writer's file folded meanwhile may count twice, in the archive and from its own bytes. See spec/files.md#archive-order. */
  READ_TOO_SLOW: 'MMSTATS-E106',
  /** Writer: the directory the stats file goes in does not exist. */
  DIRECTORY_NOT_FOUND: 'MMSTATS-E201',
  /** Writer: the directory or file may not be written (EACCES, EPERM, read-only file system). */
  ACCESS_DENIED: 'MMSTATS-E202',
  /** Writer: a symbolic link sits at the target path; writers never follow one. */
  SYMLINK_REFUSED: 'MMSTATS-E203',
  /** Writer: a file exists at the target path but belongs to another user, so it is not ours to reuse. */
  NOT_OWNER: 'MMSTATS-E204',
  /** Writer: something other than a plain, singly linked file sits at the target path. */
  NOT_REGULAR_FILE: 'MMSTATS-E205',
  /** Writer: this process already writes stats to that path; two writers must never share a file. */
  FILE_IN_USE: 'MMSTATS-E206',
  /** Writer: creating, sizing or mapping the file failed for another reason (I/O error, mmap refused; a full disk is NO_SPACE). */
  CREATE_FAILED: 'MMSTATS-E207',
  /** Writer: a field definition or option cannot be used (duplicate or over-long label, bad size, reserved name, a kind format v1 cannot hold, an out-of-range capacity). */
  INVALID_FIELD: 'MMSTATS-E208',
  /** Writer: msync failed while flushing the mapping to disk. */
  FLUSH_FAILED: 'MMSTATS-E209',
  /** Writer: the file system has no room (ENOSPC, EDQUOT) for every byte of the stats file, so it is not made (a sparse mapping would SIGBUS). See spec/files.md#creation. */
  NO_SPACE: 'MMSTATS-E210',
  /** Cleaner: no new generation of an archive could be claimed, other cleaners winning every try; the dead files are left for the next clean. See spec/files.md#folding. */
  ARCHIVE_CONTENDED: 'MMSTATS-E211',
  /** Cleaner: a dead file holds an exponential histogram whose zero threshold differs from the archive's of that name (such histograms must not merge); the file is kept, whole, and counted from its own bytes. See spec/files.md#archive-exphistogram. */
  ARCHIVE_CONFLICT: 'MMSTATS-E212',
} as const;

/** One of the {@link ErrorCodes} values, e.g. `"MMSTATS-E003"`. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** The symbolic name of an error code, e.g. `"TRUNCATED_RECORD"`. */
export type ErrorName = keyof typeof ErrorCodes;

/**
 * An error about the contents of a stats file or about getting at it. Decoders return it
 * (they never throw on bad bytes); readers throw it with {@link MmstatsError.path} set.
 */
export class MmstatsError extends Error {
  /** The stable code, e.g. `"MMSTATS-E003"`. */
  readonly code: ErrorCode;
  /** The symbolic name of the code, e.g. `"TRUNCATED_RECORD"`. */
  readonly errorName: ErrorName;
  /** What was found, without code, offset or path: for messages that add their own context. */
  readonly detail: string;
  /** Byte offset in the file where the problem was found, when it is about bytes. */
  readonly offset: number | undefined;
  /** The file the error is about, when known (readers set it; decoders see only bytes). */
  readonly path: string | undefined;

  /**
   * @param name - which error, from {@link ErrorCodes}
   * @param detail - what was found, in words, without the code or path (they are added)
   * @param where - the byte offset and/or file path, when known
   */
  constructor(
    name: ErrorName,
    detail: string,
    where: { offset?: number; path?: string; cause?: unknown } = {},
  ) {
    const code = ErrorCodes[name];
    const at = where.offset === undefined ? '' : ` at byte ${where.offset}`;
    const file = where.path === undefined ? '' : `${where.path}: `;
    super(`${file}${code} ${detail}${at}`, where.cause === undefined ? undefined : { cause: where.cause });
    this.name = 'MmstatsError';
    this.code = code;
    this.errorName = name;
    this.offset = where.offset;
    this.path = where.path;
    this.detail = detail;
  }

  /** The same error, about the file at `path` (decoders do not know paths; readers do). */
  withPath(path: string): MmstatsError {
    return new MmstatsError(this.errorName, this.detail, {
      ...(this.offset === undefined ? {} : { offset: this.offset }),
      path,
      ...(this.cause === undefined ? {} : { cause: this.cause }),
    });
  }
}

/** A failed {@link Result}: the coded error `name` with `detail`, at byte `offset` when given. */
export function failure(name: ErrorName, detail: string, offset?: number): { ok: false; error: MmstatsError } {
  return { ok: false, error: new MmstatsError(name, detail, offset === undefined ? {} : { offset }) };
}

/** A byte as two hex digits, for error details (`0x${byteHex(b)}`). */
export function byteHex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** `true` when `error` is an {@link MmstatsError} (also across package copies, by shape). */
export function isMmstatsError(error: unknown): error is MmstatsError {
  return (
    error instanceof MmstatsError ||
    (error instanceof Error &&
      typeof (error as Partial<MmstatsError>).code === 'string' &&
      (error as Partial<MmstatsError>).code!.startsWith('MMSTATS-E'))
  );
}

/**
 * Notices: what a v2 reader skipped or guessed while still reading the file (not errors: the
 * file decodes). Stable like {@link ErrorCodes} (spec: `spec/errors.md#v2-notices`).
 */
export const NoticeCodes = {
  /** A record of an encoding this reader does not know was skipped by its `size`. See spec/format-v2.md#compatibility. */
  SKIPPED_ENCODING: 'MMSTATS-W001',
  /** A record of a kind this reader does not know was read by its encoding (shown as a gauge). See spec/format-v2.md#kinds. */
  UNKNOWN_KIND: 'MMSTATS-W002',
  /** Writer: a record did not fit in the file; it works in memory only and the file is marked FULL. See spec/format-v2.md#capacity. */
  FILE_FULL: 'MMSTATS-W201',
  /** The default stats directory `<tmpdir>/mmstats-<euid>` is not this user's private directory: the writer used a fresh one, default discovery skipped it. See spec/files.md#default-directory. */
  UNSAFE_DEFAULT_DIRECTORY: 'MMSTATS-W202',
  /** Writer: an update got a value its field cannot take (NaN, ±Infinity, not a number, a negative count step...): ignored and counted, warned once per field. See spec/files.md#bad-values. */
  REJECTED_VALUE: 'MMSTATS-W203',
  /** The OpenTelemetry provider (`@mmstats/otel`): an observable callback failed, or an attribute set could not become a record; what it observed was dropped, warned once per callback or instrument. See spec/files.md#otel. */
  OTEL_DROPPED: 'MMSTATS-W204',
} as const;

/** One of the {@link NoticeCodes} values, e.g. `"MMSTATS-W001"`. */
export type NoticeCode = (typeof NoticeCodes)[keyof typeof NoticeCodes];

/** Something a v2 reader skipped or could not interpret, while the rest of the file was read. */
export interface Notice {
  /** The stable code, e.g. `"MMSTATS-W001"`. */
  readonly code: NoticeCode;
  /** Offset of the record the notice is about. */
  readonly offset: number;
  /** What was found, for people (tools must not match on it). */
  readonly detail: string;
}

/** The outcome of a decode: the value, or the coded error that stopped it. */
export type Result<T> =
  | {
      /** It worked. */
      ok: true;
      /** What was decoded. */
      value: T;
    }
  | {
      /** It failed. */
      ok: false;
      /** Why, with a stable code. */
      error: MmstatsError;
    };
