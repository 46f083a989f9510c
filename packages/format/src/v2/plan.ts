/**
 * Laying out and publishing v2 records: what a writer does to add a record to a file, new
 * or open (spec/format-v2.md#record, spec/format-v2.md#publication,
 * spec/format-v2.md#capacity). No I/O: the writer brings the mapped bytes.
 *
 * @module
 */
import { failure, type Result } from '../common/errors.js';
import { V2_FLAGS, V2_HEADER_OFFSETS, setV2Flags } from './header.js';
import { DEFAULT_EXP_HISTOGRAM_PARAMS, EXP_HISTOGRAM_WORDS, validExpHistogramState, type ExpHistogramParams } from './exp-histogram.js';
import { DEFAULT_HISTOGRAM_PARAMS, type HistogramParams } from './histogram.js';
import { V2_ENCODINGS, V2_KIND_RULES, V2_KINDS, V2_MERGES, v2KindName, v2MergeName, type V2EncodingName, type V2KindName, type V2MergeName } from './kinds.js';
import {
  V2_PUBLISHED,
  V2_RECORD_FIXED_SIZE,
  V2_RECORD_OFFSETS,
  v2ValueSize,
  type V2Dimension,
  type V2RecordLayout,
} from './records.js';
import { encodeUtf8 } from '../common/utf8.js';
import type { V2StatsBytes } from './views.js';
import { DEFAULT_WINDOW_PARAMS } from './window.js';

/** Capacity of a `text` record when none is given, in bytes of UTF-8 (v1's `StaticText` size). */
export const DEFAULT_TEXT_CAPACITY = 256;

/** What a writer declares for one record. Only `label` and `kind` are required. */
export interface V2RecordSpec {
  /** The label, e.g. `"http.requests"`: 1 to 65535 bytes of UTF-8. */
  readonly label: string;
  /** What the value means (spec/format-v2.md#kinds). */
  readonly kind: V2KindName;
  /** How it is stored; default: the kind's first encoding (`f64` for counters, gauges and info). */
  readonly encoding?: V2EncodingName;
  /** How values combine across files; default: the kind's (`sum`, `none` for text and info). */
  readonly merge?: V2MergeName;
  /** Prometheus base unit, plural, e.g. `"seconds"`; default `""` (unitless). */
  readonly unit?: string;
  /** One line saying what the value is; default `""`. */
  readonly help?: string;
  /** Key=value dimensions; keys unique and non-empty. Stored sorted by key bytes. Default none. */
  readonly dims?: Readonly<Record<string, string>> | readonly V2Dimension[];
  /** `text`: capacity in bytes of UTF-8; default {@link DEFAULT_TEXT_CAPACITY} (256). */
  readonly textCapacity?: number;
  /** `histogram`: bucket parameters; default {@link DEFAULT_HISTOGRAM_PARAMS} (k 4, 2^−30 to 2^34). */
  readonly histogram?: HistogramParams;
  /**
   * `exphistogram`: slots per sign, starting scale and zero threshold; default
   * {@link DEFAULT_EXP_HISTOGRAM_PARAMS} (160 slots, scale 8, threshold 0).
   */
  readonly exponential?: ExpHistogramParams;
  /** `window`: slots and slot width; default {@link DEFAULT_WINDOW_PARAMS} (60 slots of 1000 ms). */
  readonly window?: {
    /** `N`, 1 to 3600. */
    readonly slots: number;
    /** `w` in milliseconds, at least 1. */
    readonly slotMillis: number;
  };
}

/** A record laid out but not yet placed: every byte it will hold, by field. */
export interface V2RecordPlan {
  /** The label. */
  readonly label: string;
  /** Kind number. */
  readonly kind: number;
  /** Encoding number. */
  readonly encoding: number;
  /** Encoding name. */
  readonly encodingName: V2EncodingName;
  /** Merge rule number. */
  readonly merge: number;
  /** The unit (`""` when none). */
  readonly unit: string;
  /** The help line (`""` when none). */
  readonly help: string;
  /** The dimensions, sorted by key bytes. */
  readonly dims: readonly V2Dimension[];
  /** `param0`, `param1`, `param2`. */
  readonly params: readonly [number, number, number];
  /** UTF-8 of label, unit, help and encoded dims, back to back: what follows the 48 fixed bytes. */
  readonly names: Uint8Array;
  /** Byte lengths of label, unit, help, dims inside `names`. */
  readonly nameLengths: readonly [number, number, number, number];
  /** Offset of the value area **from the record's start** (the stored `value_offset`), a multiple of 8. */
  readonly valueOffset: number;
  /** Bytes of the value area. */
  readonly valueSize: number;
  /** Bytes of the whole record, a multiple of 8. */
  readonly size: number;
  /** `exphistogram`: the scale and zero threshold the value area starts with (spec/format-v2.md#enc-exphistogram). */
  readonly exponential?: {
    /** The starting scale. */
    readonly scale: number;
    /** The zero bucket's threshold. */
    readonly zeroThreshold: number;
  };
}

/**
 * Lays out one record (spec/format-v2.md#record): the kind's default encoding and merge rule
 * when not given, names and dimensions encoded, value area 8-byte aligned after them.
 *
 * @returns the plan, or `MMSTATS-E208` (`INVALID_FIELD`) for an empty or over-long name, an
 *   encoding the kind does not allow, bad parameters or bad dimensions
 */
export function planV2Record(spec: V2RecordSpec): Result<V2RecordPlan> {
  const shown = JSON.stringify(spec.label.slice(0, 60));
  const rule = V2_KIND_RULES[spec.kind];
  if (rule === undefined) return failure('INVALID_FIELD', `record ${shown}: unknown kind ${JSON.stringify(spec.kind)}`);
  const encodingName = spec.encoding ?? rule.encodings[0]!;
  if (!rule.encodings.includes(encodingName)) {
    return failure('INVALID_FIELD', `record ${shown}: kind ${spec.kind} cannot use encoding ${encodingName} (only ${rule.encodings.join(', ')})`);
  }
  const mergeName = spec.merge ?? rule.merge;
  if (!(mergeName in V2_MERGES)) return failure('INVALID_FIELD', `record ${shown}: unknown merge rule ${JSON.stringify(mergeName)}`);

  const params = encodingParams(encodingName, spec);
  const encoding = V2_ENCODINGS[encodingName];
  const valueSize = v2ValueSize(encoding, params);
  if (valueSize === undefined || valueSize > 0x7fff_0000 || !params.every(Number.isInteger)) {
    return failure('INVALID_FIELD', `record ${shown}: bad ${encodingName} parameters ${params.join(', ')}`);
  }

  const exponential = encodingName === 'exphistogram' ? (spec.exponential ?? DEFAULT_EXP_HISTOGRAM_PARAMS) : undefined;
  if (exponential !== undefined && !validExpHistogramState(exponential.scale, exponential.zeroThreshold)) {
    return failure('INVALID_FIELD', `record ${shown}: exphistogram scale ${exponential.scale} (−4 to 8) or zero threshold ${exponential.zeroThreshold} (finite, ≥ 0) out of range`);
  }

  const dims = sortedDims(spec.dims);
  if (typeof dims === 'string') return failure('INVALID_FIELD', `record ${shown}: ${dims}`);
  const parts = [encodeUtf8(spec.label), encodeUtf8(spec.unit ?? ''), encodeUtf8(spec.help ?? ''), encodeDims(dims)] as const;
  if (parts[0].length === 0) return failure('INVALID_FIELD', 'a record needs a label');
  const tooLong = parts.findIndex((part) => part.length > 0xffff);
  if (tooLong >= 0) return failure('INVALID_FIELD', `record ${shown}: ${['label', 'unit', 'help', 'dimensions'][tooLong]} longer than 65535 bytes`);

  const names = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    names.set(part, at);
    at += part.length;
  }
  const valueOffset = align8(V2_RECORD_FIXED_SIZE + names.length);
  return {
    ok: true,
    value: {
      label: spec.label,
      kind: V2_KINDS[spec.kind],
      encoding,
      encodingName,
      merge: V2_MERGES[mergeName],
      unit: spec.unit ?? '',
      help: spec.help ?? '',
      dims,
      params,
      names,
      nameLengths: [parts[0].length, parts[1].length, parts[2].length, parts[3].length],
      valueOffset,
      valueSize,
      size: valueOffset + valueSize,
      ...(exponential === undefined ? {} : { exponential: { scale: exponential.scale, zeroThreshold: exponential.zeroThreshold } }),
    },
  };
}

function encodingParams(encoding: V2EncodingName, spec: V2RecordSpec): [number, number, number] {
  switch (encoding) {
    case 'text':
      return [spec.textCapacity ?? DEFAULT_TEXT_CAPACITY, 0, 0];
    case 'histogram': {
      const h = spec.histogram ?? DEFAULT_HISTOGRAM_PARAMS;
      return [h.k, h.minExp, h.maxExp];
    }
    case 'exphistogram':
      return [(spec.exponential ?? DEFAULT_EXP_HISTOGRAM_PARAMS).buckets, 0, 0];
    case 'window': {
      const w = spec.window ?? DEFAULT_WINDOW_PARAMS;
      return [w.slots, 0, w.slotMillis];
    }
    default:
      return [0, 0, 0];
  }
}

/** Dimensions sorted by key bytes (spec/format-v2.md#dims), or what is wrong with them. */
function sortedDims(dims: V2RecordSpec['dims']): V2Dimension[] | string {
  const pairs: V2Dimension[] = dims === undefined ? [] : Array.isArray(dims) ? [...(dims as readonly V2Dimension[])] : Object.entries(dims);
  const keyed = pairs.map((pair) => ({ pair, key: encodeUtf8(pair[0]) }));
  keyed.sort((a, b) => compareBytes(a.key, b.key));
  for (let i = 0; i < keyed.length; i++) {
    if (keyed[i]!.key.length === 0) return 'empty dimension key';
    if (i > 0 && compareBytes(keyed[i - 1]!.key, keyed[i]!.key) === 0) return `dimension key ${JSON.stringify(keyed[i]!.pair[0])} repeated`;
  }
  return keyed.map((k) => k.pair);
}

function encodeDims(dims: readonly V2Dimension[]): Uint8Array {
  const parts = dims.flatMap(([key, value]) => [encodeUtf8(key), encodeUtf8(value)]);
  const out = new Uint8Array(parts.reduce((n, part) => n + 2 + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out[at] = part.length & 0xff;
    out[at + 1] = part.length >> 8;
    out.set(part, at + 2);
    at += 2 + part.length;
  }
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Writes every byte of a planned record at `offset` except its `state` (publication step 2):
 * metadata, names, zero padding and an empty value area (an empty text, average, histogram or
 * window; a scalar 0). Readers ignore it until {@link publishV2Record}.
 *
 * @returns where the record lives, for the value writers
 */
export function writeV2Record(file: V2StatsBytes, offset: number, plan: V2RecordPlan): V2RecordLayout {
  const { bytes, view } = file;
  const o = V2_RECORD_OFFSETS;
  bytes.fill(0, offset + 4, offset + plan.size);
  view.setUint32(offset + o.size, plan.size, true);
  view.setUint16(offset + o.kind, plan.kind, true);
  bytes[offset + o.encoding] = plan.encoding;
  bytes[offset + o.merge] = plan.merge;
  view.setUint32(offset + o.valueOffset, plan.valueOffset, true);
  view.setUint32(offset + o.valueSize, plan.valueSize, true);
  const [labelLen, unitLen, helpLen, dimsLen] = plan.nameLengths;
  view.setUint16(offset + o.labelLen, labelLen, true);
  view.setUint16(offset + o.unitLen, unitLen, true);
  view.setUint16(offset + o.helpLen, helpLen, true);
  view.setUint16(offset + o.dimsLen, dimsLen, true);
  view.setUint32(offset + o.param0, plan.params[0], true);
  view.setInt32(offset + o.param1, plan.params[1], true);
  view.setUint32(offset + o.param2, plan.params[2] >>> 0, true);
  bytes.set(plan.names, offset + V2_RECORD_FIXED_SIZE);
  if (plan.exponential !== undefined) {
    // Before publication, so no sequence word: readers see the record whole or not at all.
    const w = (offset + plan.valueOffset) >> 3;
    file.f64[w + EXP_HISTOGRAM_WORDS.zeroThreshold] = plan.exponential.zeroThreshold;
    file.i32[2 * (w + EXP_HISTOGRAM_WORDS.scale)] = plan.exponential.scale;
  }
  return v2RecordLayoutOf(offset, plan);
}

/** The layout a reader will find for `plan` written at `offset`. */
function v2RecordLayoutOf(offset: number, plan: V2RecordPlan): V2RecordLayout {
  return {
    offset,
    size: plan.size,
    kind: plan.kind,
    kindName: v2KindName(plan.kind),
    encoding: plan.encoding,
    encodingName: plan.encodingName,
    merge: plan.merge,
    mergeName: v2MergeName(plan.merge),
    valueOffset: offset + plan.valueOffset,
    valueSize: plan.valueSize,
    label: plan.label,
    unit: plan.unit,
    help: plan.help,
    dims: plan.dims,
    params: plan.params,
  };
}

/**
 * Publishes a written record (publication steps 3 and 4): `state = 1`, then `used` and
 * `record_count` in the header, each an `Atomics.store`, in that order, so a reader that sees
 * the new count finds the record.
 */
export function publishV2Record(file: V2StatsBytes, offset: number, plan: V2RecordPlan): void {
  Atomics.store(file.i32, offset >> 2, V2_PUBLISHED);
  const h = V2_HEADER_OFFSETS;
  Atomics.store(file.i32, h.used >> 2, offset + plan.size);
  Atomics.store(file.i32, h.recordCount >> 2, (Atomics.load(file.i32, h.recordCount >> 2) + 1) | 0);
}

/**
 * Adds a record at the header's `used` (spec/format-v2.md#publication), or, when it does not
 * fit before `capacity`, drops it (spec/format-v2.md#capacity): sets `FULL` and adds 1 to
 * `dropped_records`.
 *
 * @returns the published record's layout, or `undefined` when it was dropped (the writer
 *   reports that once and keeps the value in memory)
 */
export function appendV2Record(file: V2StatsBytes, plan: V2RecordPlan): V2RecordLayout | undefined {
  const h = V2_HEADER_OFFSETS;
  const offset = Atomics.load(file.i32, h.used >> 2) >>> 0;
  const capacity = Atomics.load(file.i32, h.capacity >> 2) >>> 0;
  if (offset + plan.size > capacity) {
    Atomics.add(file.i32, h.droppedRecords >> 2, 1);
    setV2Flags(file, V2_FLAGS.FULL);
    return undefined;
  }
  const layout = writeV2Record(file, offset, plan);
  publishV2Record(file, offset, plan);
  return layout;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
