/**
 * Walking the records of a v2 file (spec/format-v2.md#record, spec/format-v2.md#publication):
 * from `header_size`, record after record, to the first whose `state` is 0.
 *
 * @module
 */
import { MmstatsError, NoticeCodes, failure, type Notice, type Result } from '../common/errors.js';
import type { V2Header } from './header.js';
import { V2_ENCODINGS, v2EncodingName, v2KindName, v2MergeName, type V2EncodingName } from './kinds.js';
import { decodeUtf8Strict } from '../common/utf8.js';
import { V2_EXP_HISTOGRAM_LIMITS } from './exp-histogram.js';
import type { V2StatsBytes } from './views.js';

/** Bytes of a record's fixed part, before its label (spec/format-v2.md#record). */
export const V2_RECORD_FIXED_SIZE = 48;

/** Byte offsets inside a record, from its start. */
export const V2_RECORD_OFFSETS = {
  /** Byte offset of `state` from the record's start. */
  state: 0,
  /** Byte offset of `size` from the record's start. */
  size: 4,
  /** Byte offset of `kind` from the record's start. */
  kind: 8,
  /** Byte offset of `encoding` from the record's start. */
  encoding: 10,
  /** Byte offset of `merge` from the record's start. */
  merge: 11,
  /** Byte offset of `value_offset` from the record's start. */
  valueOffset: 12,
  /** Byte offset of `value_size` from the record's start. */
  valueSize: 16,
  /** Byte offset of `label_len` from the record's start. */
  labelLen: 20,
  /** Byte offset of `unit_len` from the record's start. */
  unitLen: 22,
  /** Byte offset of `help_len` from the record's start. */
  helpLen: 24,
  /** Byte offset of `dims_len` from the record's start. */
  dimsLen: 26,
  /** Byte offset of `param0` from the record's start. */
  param0: 28,
  /** Byte offset of `param1` from the record's start. */
  param1: 32,
  /** Byte offset of `param2` from the record's start. */
  param2: 36,
} as const;

/** `state` of a published record; 0 is "not published" (spec/format-v2.md#publication). */
export const V2_PUBLISHED = 1;

/** Largest histogram `k` (sub-bucket bits), and the exponent range (spec/format-v2.md#enc-histogram). */
export const V2_HISTOGRAM_LIMITS = {
  /** Largest `k`: 256 sub-buckets per power of two. */
  maxK: 8,
  /** Smallest `min_exp`: 2^−1022 is the smallest normal double, so every bucket's value has an exponent. */
  minExp: -1022,
  /** Largest `max_exp`: 2^1023 is the largest power of two a double holds. */
  maxExp: 1023,
} as const;

/** Limits of a window's parameters (spec/format-v2.md#enc-window). */
export const V2_WINDOW_LIMITS = {
  /** Fewest slots. */
  minSlots: 1,
  /** Most slots (an hour of one-second slots). */
  maxSlots: 3600,
  /** Narrowest slot, in milliseconds. */
  minSlotMillis: 1,
} as const;

/** One key=value dimension (spec/format-v2.md#dims). */
export type V2Dimension = readonly [key: string, value: string];

/** Where one published record lives in a v2 file and what it says about its value. */
export interface V2RecordLayout {
  /** Offset of the record (of its `state` word) from the start of the file. */
  readonly offset: number;
  /** Bytes of the whole record. */
  readonly size: number;
  /** The kind number (spec/format-v2.md#kinds). */
  readonly kind: number;
  /** The kind's name, or `"kind-N"` for a kind this package does not know. */
  readonly kindName: string;
  /** The encoding number (spec/format-v2.md#encodings). */
  readonly encoding: number;
  /** The encoding's name (records of unknown encodings are skipped, so it is always known). */
  readonly encodingName: V2EncodingName;
  /** The merge rule number (spec/format-v2.md#merge). */
  readonly merge: number;
  /** The merge rule's name, or `"merge-N"` for one this package does not know (treated as `none`). */
  readonly mergeName: string;
  /** Offset of the value area **from the start of the file** (the record's offset + its stored `value_offset`). */
  readonly valueOffset: number;
  /** Bytes of the value area. */
  readonly valueSize: number;
  /** The label, e.g. `"http.requests"`. */
  readonly label: string;
  /** The unit, e.g. `"seconds"`; `""` when unitless. */
  readonly unit: string;
  /** One line of help; `""` when there is none. */
  readonly help: string;
  /** The dimensions in file order. */
  readonly dims: readonly V2Dimension[];
  /** `param0`, `param1` (signed), `param2` as stored. */
  readonly params: readonly [number, number, number];
}

/** The result of {@link walkV2Records}. */
export interface V2Walk {
  /** The records published between the start and `end`, in file order. */
  readonly records: readonly V2RecordLayout[];
  /** Records skipped (unknown encoding, `MMSTATS-W001`) or read as gauges (unknown kind, `MMSTATS-W002`). */
  readonly notices: readonly Notice[];
  /** Where the walk stopped: the next record, when one is published, will be here. Pass it back as `from`. */
  readonly end: number;
}

/**
 * Walks the published records (spec/format-v2.md#publication), reading `state` with acquire
 * ordering (`Atomics.load`) when `file` has typed views. A poller passes the previous walk's
 * `end` as `from` to look only at records added since; walking always ends, since every
 * record advances by its `size` (at least 48 bytes).
 *
 * @param file - the file's bytes, or its views ({@link statsBytesV2}) for a live mapping
 * @param header - the header, from {@link parseV2Header}
 * @param from - where to start: `header.headerSize` (the default) or a previous walk's `end`
 * @returns the records, or the first coded error met (`E013`, `E007`)
 * @throws RangeError when `from` is not a multiple of 8 inside the file (a caller's bug, not bad bytes)
 */
export function walkV2Records(file: Uint8Array | V2StatsBytes, header: V2Header, from: number = header.headerSize): Result<V2Walk> {
  const bytes = file instanceof Uint8Array ? file : file.bytes;
  const i32 = file instanceof Uint8Array ? undefined : file.i32;
  if (from % 8 !== 0 || from < header.headerSize || from > header.capacity) {
    throw new RangeError(`walk must start at header_size or a previous end, not ${from}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: V2RecordLayout[] = [];
  const notices: Notice[] = [];
  let at = from;
  while (header.capacity - at >= V2_RECORD_FIXED_SIZE) {
    const state = i32 === undefined ? view.getUint32(at, true) : Atomics.load(i32, at >> 2) >>> 0;
    if (state === 0) break;
    if (state !== V2_PUBLISHED) return failure('BAD_RECORD', `state ${state} is neither 0 nor 1`, at);
    const record = parseRecord(bytes, view, header.capacity, at);
    if (record instanceof MmstatsError) return { ok: false, error: record };
    if ('code' in record) notices.push(record);
    else {
      records.push(record);
      if (record.kindName.startsWith('kind-')) {
        notices.push({ code: NoticeCodes.UNKNOWN_KIND, offset: at, detail: `record ${JSON.stringify(record.label)} has unknown kind ${record.kind}: read as a gauge by its encoding ${record.encodingName}` });
      }
    }
    at += view.getUint32(at + V2_RECORD_OFFSETS.size, true);
  }
  return { ok: true, value: { records, notices, end: at } };
}

/** Checks one published record, in the order of spec/format-v2.md#decoding. */
function parseRecord(bytes: Uint8Array, view: DataView, capacity: number, r: number): V2RecordLayout | Notice | MmstatsError {
  const o = V2_RECORD_OFFSETS;
  const size = view.getUint32(r + o.size, true);
  if (size < V2_RECORD_FIXED_SIZE || size % 8 !== 0 || r + size > capacity) {
    return badRecord(`size ${size} is below 48, not a multiple of 8, or past capacity ${capacity}`, r + o.size);
  }
  const valueOffset = view.getUint32(r + o.valueOffset, true);
  const valueSize = view.getUint32(r + o.valueSize, true);
  const labelLen = view.getUint16(r + o.labelLen, true);
  const unitLen = view.getUint16(r + o.unitLen, true);
  const helpLen = view.getUint16(r + o.helpLen, true);
  const dimsLen = view.getUint16(r + o.dimsLen, true);
  if (labelLen === 0) return badRecord('label_len is 0', r + o.labelLen);
  const namesEnd = V2_RECORD_FIXED_SIZE + labelLen + unitLen + helpLen + dimsLen;
  if (valueOffset % 8 !== 0 || valueSize % 8 !== 0 || namesEnd > valueOffset || valueOffset + valueSize > size) {
    return badRecord(`value_offset ${valueOffset} / value_size ${valueSize} do not fit after ${namesEnd} bytes of names in a ${size}-byte record`, r + o.valueOffset);
  }
  const kind = view.getUint16(r + o.kind, true);
  const encoding = bytes[r + o.encoding]!;
  const labelAt = r + V2_RECORD_FIXED_SIZE;
  const encodingName = v2EncodingName(encoding);
  if (encodingName === undefined) {
    return { code: NoticeCodes.SKIPPED_ENCODING, offset: r, detail: `skipped a record of unknown encoding ${encoding} (${size} bytes)` };
  }
  const params = [view.getUint32(r + o.param0, true), view.getInt32(r + o.param1, true), view.getUint32(r + o.param2, true)] as const;
  const required = v2ValueSize(encoding, params);
  if (required === undefined) return badRecord(`bad parameters ${params.join(', ')} for encoding ${encodingName}`, r + o.param0);
  if (required !== valueSize) return badRecord(`value_size ${valueSize}, but encoding ${encodingName} with these parameters needs ${required}`, r + o.valueSize);

  const label = text(bytes, labelAt, labelLen, 'label');
  if (label instanceof MmstatsError) return label;
  const unit = text(bytes, labelAt + labelLen, unitLen, 'unit');
  if (unit instanceof MmstatsError) return unit;
  const help = text(bytes, labelAt + labelLen + unitLen, helpLen, 'help');
  if (help instanceof MmstatsError) return help;
  const dims = parseDims(bytes, view, labelAt + labelLen + unitLen + helpLen, dimsLen);
  if (dims instanceof MmstatsError) return dims;
  const merge = bytes[r + o.merge]!;
  return {
    offset: r,
    size,
    kind,
    kindName: v2KindName(kind),
    encoding,
    encodingName,
    merge,
    mergeName: v2MergeName(merge),
    valueOffset: r + valueOffset,
    valueSize,
    label,
    unit,
    help,
    dims,
    params,
  };
}

/**
 * The `value_size` an encoding requires with these parameters (spec/format-v2.md#encodings),
 * or `undefined` when the parameters are out of range.
 */
export function v2ValueSize(encoding: number, params: readonly [number, number, number]): number | undefined {
  const [p0, p1, p2] = params;
  switch (encoding) {
    case V2_ENCODINGS.f64:
    case V2_ENCODINGS.i64:
    case V2_ENCODINGS.u64:
      return 8;
    case V2_ENCODINGS.text:
      return 8 + Math.ceil(p0 / 8) * 8;
    case V2_ENCODINGS.average:
      return 24;
    case V2_ENCODINGS.histogram: {
      const n = v2BucketCount({ k: p0, minExp: p1, maxExp: p2 | 0 });
      return n === undefined ? undefined : 40 + 8 * n;
    }
    case V2_ENCODINGS.window: {
      const L = V2_WINDOW_LIMITS;
      if (p0 < L.minSlots || p0 > L.maxSlots || p2 < L.minSlotMillis) return undefined;
      return 8 + 24 * p0;
    }
    case V2_ENCODINGS.exphistogram: {
      const L = V2_EXP_HISTOGRAM_LIMITS;
      return p0 < L.minBuckets || p0 > L.maxBuckets ? undefined : 72 + 16 * p0;
    }
    default:
      return undefined;
  }
}

/**
 * Buckets of a histogram, `(max_exp − min_exp) × 2^k + 2` (spec/format-v2.md#enc-histogram),
 * or `undefined` when `k` is not 0 to 8 or the exponents are not `−1022 ≤ min_exp < max_exp ≤ 1023`.
 */
export function v2BucketCount(params: { readonly k: number; readonly minExp: number; readonly maxExp: number }): number | undefined {
  const { k, minExp, maxExp } = params;
  const L = V2_HISTOGRAM_LIMITS;
  if (!Number.isInteger(k) || k < 0 || k > L.maxK) return undefined;
  if (!Number.isInteger(minExp) || !Number.isInteger(maxExp) || minExp < L.minExp || maxExp > L.maxExp || minExp >= maxExp) return undefined;
  return (maxExp - minExp) * 2 ** k + 2;
}

function text(bytes: Uint8Array, at: number, length: number, what: string): string | MmstatsError {
  const decoded = decodeUtf8Strict(bytes.subarray(at, at + length));
  return decoded ?? new MmstatsError('INVALID_UTF8', `${what} is not valid UTF-8`, { offset: at });
}

/** `u16 key_len | key | u16 value_len | value`, repeated to fill exactly `dims_len` bytes (spec/format-v2.md#dims). */
function parseDims(bytes: Uint8Array, view: DataView, start: number, length: number): V2Dimension[] | MmstatsError {
  const dims: V2Dimension[] = [];
  const seen = new Set<string>();
  const end = start + length;
  let at = start;
  while (at < end) {
    const pairAt = at;
    const parts: string[] = [];
    for (const what of ['key', 'value']) {
      if (at + 2 > end) return badRecord(`dimension ${what} length cut off by dims_len`, at);
      const len = view.getUint16(at, true);
      at += 2;
      if (at + len > end) return badRecord(`dimension ${what} of ${len} bytes goes past dims_len`, at - 2);
      const part = text(bytes, at, len, `dimension ${what}`);
      if (part instanceof MmstatsError) return part;
      parts.push(part);
      at += len;
    }
    const [key, value] = parts as [string, string];
    if (key === '') return badRecord('empty dimension key', pairAt);
    if (seen.has(key)) return badRecord(`dimension key ${JSON.stringify(key)} repeated`, pairAt);
    seen.add(key);
    dims.push([key, value]);
  }
  return dims;
}

function badRecord(detail: string, offset: number): MmstatsError {
  return new MmstatsError('BAD_RECORD', detail, { offset });
}
