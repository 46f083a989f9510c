/**
 * The v2 header (spec/format-v2.md#header): signature, byte order, sizes, flags and who
 * wrote the file. Parsing checks it in the order of spec/format-v2.md#decoding, so every
 * reader gives one answer for a file with several faults.
 *
 * @module
 */
import { byteHex, failure, type Result } from '../common/errors.js';
import { MAGIC, V2_VERSION, versionError } from '../common/version.js';
import type { V2StatsBytes } from './views.js';

/** Bytes of the header this package writes, and the smallest a reader accepts. */
export const V2_HEADER_SIZE = 128;

/**
 * The newest minor version this package defines and writes (spec/format-v2.md#compatibility):
 * minor 1 adds `pid_ns` and `boot_id` in bytes 80 to 103 of the header.
 */
export const V2_MINOR = 1;

/** The `byte_order` byte of a little-endian file, the only one defined. */
export const V2_LITTLE_ENDIAN = 0x01;

/** Flag bits of the header's `flags` word (spec/format-v2.md#header). */
export const V2_FLAGS = {
  /** Set last when the file is created: readers decode nothing before. */
  READY: 1,
  /** A record did not fit (spec/format-v2.md#capacity). */
  FULL: 2,
  /** The writer closed the file on purpose; its values are final. */
  CLOSED: 4,
  /** Minor 2: a cleaner's archive of what dead writers counted (spec/files.md#archive). */
  ARCHIVE: 8,
} as const;

/** Byte offsets of the header's fields. */
export const V2_HEADER_OFFSETS = {
  /** Byte offset of `signature` in the header. */
  signature: 0,
  /** Byte offset of `byte_order` in the header. */
  byteOrder: 8,
  /** Byte offset of `minor` in the header. */
  minor: 9,
  /** Byte offset of `header_size` in the header. */
  headerSize: 10,
  /** Byte offset of `flags` in the header. */
  flags: 12,
  /** Byte offset of `capacity` in the header. */
  capacity: 16,
  /** Byte offset of `used` in the header. */
  used: 20,
  /** Byte offset of `record_count` in the header. */
  recordCount: 24,
  /** Byte offset of `dropped_records` in the header. */
  droppedRecords: 28,
  /** Byte offset of `file_id` in the header. */
  fileId: 32,
  /** Byte offset of `pid` in the header. */
  pid: 40,
  /** Byte offset of `heartbeat_interval_ms` in the header. */
  heartbeatIntervalMs: 44,
  /** Byte offset of `tid` in the header. */
  tid: 48,
  /** Byte offset of `process_start` in the header. */
  processStart: 56,
  /** Byte offset of `created` in the header. */
  created: 64,
  /** Byte offset of `heartbeat` in the header. */
  heartbeat: 72,
  /** Byte offset of `pid_ns` in the header (minor 1 and later). */
  pidNs: 80,
  /** Byte offset of the 16 bytes of `boot_id` in the header (minor 1 and later). */
  bootId: 88,
} as const;

/** The `boot_id` of a file that does not say (all 16 bytes zero), in text form. */
export const UNKNOWN_BOOT_ID = '00000000-0000-0000-0000-000000000000';

/** A parsed v2 header. Times are Unix seconds. */
export interface V2Header {
  /** Always 2. */
  readonly version: 2;
  /** The minor version: 0 for spec/format-v2.md as written; later minors only add. */
  readonly minor: number;
  /** Where records start (128 for minor 0). */
  readonly headerSize: number;
  /** The raw `flags` word (unknown bits kept, and ignored). */
  readonly flags: number;
  /** `READY` is set (always, for a header that parsed). */
  readonly ready: boolean;
  /** `FULL`: a record was dropped for lack of room. */
  readonly full: boolean;
  /** `CLOSED`: the writer closed the file; its values are final. */
  readonly closed: boolean;
  /** The file's size in bytes; records lie inside it. */
  readonly capacity: number;
  /** Offset just past the last published record (a hint, not used for walking). */
  readonly used: number;
  /** Published records (a hint for change detection). */
  readonly recordCount: number;
  /** Records the writer could not add because the file was full. */
  readonly droppedRecords: number;
  /** Random id of this file; a new file at the same path has another. Never 0. */
  readonly fileId: bigint;
  /** Process id of the writer. */
  readonly pid: number;
  /** How often the writer updates `heartbeat`, in milliseconds; 0 = never. */
  readonly heartbeatIntervalMs: number;
  /** OS thread id of the writing thread. */
  readonly tid: bigint;
  /** When the writer's process started. */
  readonly processStart: number;
  /** When the file was created. */
  readonly created: number;
  /** The last heartbeat; 0 = none yet. */
  readonly heartbeat: number;
  /**
   * Minor 1: the inode of the writer's pid namespace (`/proc/self/ns/pid`); `0n` = unknown,
   * always for minor 0 (spec/format-v2.md#header).
   */
  readonly pidNs: bigint;
  /**
   * Minor 1: the boot the file was written in, Linux's `/proc/sys/kernel/random/boot_id`, in
   * that text form; all zero (`UNKNOWN_BOOT_ID`) = unknown, always for minor 0.
   */
  readonly bootId: string;
}

/**
 * Parses and checks a v2 header, in the order of spec/format-v2.md#decoding: version byte
 * (`E001`, `E002`), length (`E003`), signature (`E009`), byte order (`E010`), `READY`
 * (`E011`), `header_size` / `capacity` / `file_id` (`E012`), then `capacity` against the
 * length (`E003`). Never throws.
 *
 * @param bytes - the whole file (or a mapping of it); bytes past `capacity` are ignored
 */
export function parseV2Header(bytes: Uint8Array): Result<V2Header> {
  const unsupported = versionError(bytes, [V2_VERSION]);
  if (unsupported !== undefined) return { ok: false, error: unsupported };
  if (bytes.length < V2_HEADER_SIZE) {
    return failure('TRUNCATED_RECORD', `file of ${bytes.length} bytes is shorter than the 128-byte v2 header`, 0);
  }
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i + 1] !== MAGIC[i]) return failure('BAD_SIGNATURE', 'bytes 1 to 7 are not "mmstats"', i + 1);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = V2_HEADER_OFFSETS;
  const byteOrder = bytes[at.byteOrder]!;
  if (byteOrder !== V2_LITTLE_ENDIAN) {
    return failure('UNSUPPORTED_BYTE_ORDER', `byte_order is 0x${byteHex(byteOrder)}, only 0x01 (little-endian) is defined`, at.byteOrder);
  }
  const flags = view.getUint32(at.flags, true);
  if ((flags & V2_FLAGS.READY) === 0) {
    return failure('NOT_READY', 'the READY flag is not set: the writer is still creating the file', at.flags);
  }
  const headerSize = view.getUint16(at.headerSize, true);
  if (headerSize < V2_HEADER_SIZE || headerSize % 8 !== 0) {
    return failure('BAD_HEADER', `header_size ${headerSize} is below 128 or not a multiple of 8`, at.headerSize);
  }
  const capacity = view.getUint32(at.capacity, true);
  if (capacity % 8 !== 0 || capacity < headerSize) {
    return failure('BAD_HEADER', `capacity ${capacity} is not a multiple of 8 or is below header_size ${headerSize}`, at.capacity);
  }
  const fileId = view.getBigUint64(at.fileId, true);
  if (fileId === 0n) return failure('BAD_HEADER', 'file_id is 0', at.fileId);
  if (capacity > bytes.length) {
    return failure('TRUNCATED_RECORD', `capacity ${capacity} is past the end of the ${bytes.length}-byte file (it was cut)`, at.capacity);
  }
  return {
    ok: true,
    value: {
      version: 2,
      minor: bytes[at.minor]!,
      headerSize,
      flags,
      ready: true,
      full: (flags & V2_FLAGS.FULL) !== 0,
      closed: (flags & V2_FLAGS.CLOSED) !== 0,
      capacity,
      used: view.getUint32(at.used, true),
      recordCount: view.getUint32(at.recordCount, true),
      droppedRecords: view.getUint32(at.droppedRecords, true),
      fileId,
      pid: view.getUint32(at.pid, true),
      heartbeatIntervalMs: view.getUint32(at.heartbeatIntervalMs, true),
      tid: view.getBigUint64(at.tid, true),
      processStart: view.getFloat64(at.processStart, true),
      created: view.getFloat64(at.created, true),
      heartbeat: view.getFloat64(at.heartbeat, true),
      // Bytes 80 to 127 are reserved in minor 0: a minor-0 file says nothing there.
      pidNs: bytes[at.minor]! >= 1 ? view.getBigUint64(at.pidNs, true) : 0n,
      bootId: bytes[at.minor]! >= 1 ? bootIdText(bytes.subarray(at.bootId, at.bootId + 16)) : UNKNOWN_BOOT_ID,
    },
  };
}

/** The text form (`8-4-4-4-12` lowercase hex digits) of the 16 bytes of a `boot_id`. */
export function bootIdText(bytes: Uint8Array): string {
  const hex = Array.from(bytes.subarray(0, 16), (b) => byteHex(b)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The 16 bytes of a `boot_id` given in text form (32 hex digits, dashes anywhere ignored, as
 * `/proc/sys/kernel/random/boot_id` has them); `undefined` for anything else.
 */
export function bootIdBytes(text: string): Uint8Array | undefined {
  const hex = text.trim().replaceAll('-', '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return undefined;
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

/** What a writer puts in a new file's header ({@link writeV2Header}). Times are Unix seconds. */
export interface V2HeaderFields {
  /** The file's size in bytes: a multiple of 4096 (the TypeScript writer's default is 65536). */
  readonly capacity: number;
  /** A random non-zero id, new for every file. */
  readonly fileId: bigint;
  /** Process id of the writer. */
  readonly pid: number;
  /** OS thread id of the writing thread (Linux `gettid`). */
  readonly tid: bigint | number;
  /** When the writer's process started. */
  readonly processStart: number;
  /** When the file is created. */
  readonly created: number;
  /** How often the writer will update `heartbeat`; default 0 (never). */
  readonly heartbeatIntervalMs?: number;
  /** Minor 1: the inode of the writer's pid namespace; default 0 (unknown). */
  readonly pidNs?: bigint;
  /** Minor 1: the boot id in text form ({@link bootIdText}); default {@link UNKNOWN_BOOT_ID}. */
  readonly bootId?: string;
  /** Default {@link V2_MINOR}. Only tests of readers write other minors. */
  readonly minor?: number;
  /** Default 128. Only tests of readers write larger headers (later minors). */
  readonly headerSize?: number;
}

/**
 * Writes a new file's header into zero-filled `bytes` (spec/format-v2.md#lifecycle step 2):
 * `flags` 0 (not ready), `used` = `header_size`, no records, no heartbeat yet. Publish the
 * initial records next, then call {@link setV2Ready}.
 */
export function writeV2Header(bytes: Uint8Array, fields: V2HeaderFields): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = V2_HEADER_OFFSETS;
  const headerSize = fields.headerSize ?? V2_HEADER_SIZE;
  bytes.fill(0, 0, headerSize);
  bytes[0] = V2_VERSION;
  bytes.set(MAGIC, 1);
  bytes[at.byteOrder] = V2_LITTLE_ENDIAN;
  bytes[at.minor] = fields.minor ?? V2_MINOR;
  view.setUint16(at.headerSize, headerSize, true);
  view.setUint32(at.flags, 0, true);
  view.setUint32(at.capacity, fields.capacity, true);
  view.setUint32(at.used, headerSize, true);
  view.setBigUint64(at.fileId, BigInt.asUintN(64, fields.fileId), true);
  view.setUint32(at.pid, fields.pid, true);
  view.setUint32(at.heartbeatIntervalMs, fields.heartbeatIntervalMs ?? 0, true);
  view.setBigUint64(at.tid, BigInt.asUintN(64, BigInt(fields.tid)), true);
  view.setFloat64(at.processStart, fields.processStart, true);
  view.setFloat64(at.created, fields.created, true);
  view.setBigUint64(at.pidNs, BigInt.asUintN(64, fields.pidNs ?? 0n), true);
  bytes.set(bootIdBytes(fields.bootId ?? UNKNOWN_BOOT_ID) ?? new Uint8Array(16), at.bootId);
}

/** Sets flag bits (`READY`, `FULL`, `CLOSED` of {@link V2_FLAGS}) with one atomic OR: readers see all or none. */
export function setV2Flags(file: V2StatsBytes, bits: number): void {
  Atomics.or(file.i32, V2_HEADER_OFFSETS.flags >> 2, bits);
}

/** Sets `READY` (spec/format-v2.md#lifecycle step 3): call it after the initial records are published. */
export function setV2Ready(file: V2StatsBytes): void {
  setV2Flags(file, V2_FLAGS.READY);
}

/** Stores `heartbeat` (Unix seconds): a single aligned 8-byte store (spec/format-v2.md#header). */
export function setV2Heartbeat(file: V2StatsBytes, seconds: number): void {
  file.f64[V2_HEADER_OFFSETS.heartbeat >> 3] = seconds;
}
