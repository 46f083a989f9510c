/**
 * Reading and writing v2 values (spec/format-v2.md#encodings). Scalars are one aligned
 * 8-byte load or store; composite values (text, average, histogram, window) are read and
 * written under their record's sequence word (spec/format-v2.md#seqlock).
 *
 * @module
 */
import { MmstatsError, type Result } from '../common/errors.js';
import { bucketIndex, type HistogramValue } from './histogram.js';
import type { V2RecordLayout } from './records.js';
import { beginV2Write, endV2Write, readSeqlocked, type SeqlockReadOptions } from './seqlock.js';
import { decodeUtf8Lenient, encodeUtf8Within } from '../common/utf8.js';
import { statsBytesV2, type V2StatsBytes } from './views.js';
import { intervalAt, intervalStart, slotIndex, type WindowSlot, type WindowValue } from './window.js';

/** An `average` value: the mean is `sum / count` (none while `count` is 0). */
export interface AverageValue {
  /** Sum of the values added. */
  readonly sum: number;
  /** How many were added. */
  readonly count: number;
}

/**
 * A decoded v2 value, by encoding: `f64` a number; `i64` and `u64` a bigint (exact over the
 * whole 64-bit range, as v1 does for `q`/`Q`); `text` a string; `average` an
 * {@link AverageValue}; `histogram` a {@link HistogramValue}; `window` a {@link WindowValue}.
 */
export type V2Value = number | bigint | string | AverageValue | HistogramValue | WindowValue;

/**
 * `true` for the single-word encodings `f64`, `i64` and `u64` (spec/format-v2.md#enc-scalar),
 * read with one load and no sequence word.
 */
export function isV2ScalarEncoding(encoding: string): boolean {
  return encoding === 'f64' || encoding === 'i64' || encoding === 'u64';
}

/**
 * The mean of the values an `average` or a `histogram` has counted
 * (spec/format-v2.md#enc-average): `sum / count`, `undefined` while `count` is 0.
 */
export function meanOf(value: { readonly sum: number; readonly count: number }): number | undefined {
  return value.count > 0 ? value.sum / value.count : undefined;
}

/** `true` when `value` is a histogram's value (a `histogram` encoding: kinds histogram and timer). */
export function isHistogramValue(value: unknown): value is HistogramValue {
  return typeof value === 'object' && value !== null && 'buckets' in value;
}

/** `true` when `value` is a window's value (the `window` encoding). */
export function isWindowValue(value: unknown): value is WindowValue {
  return typeof value === 'object' && value !== null && 'slots' in value;
}

/** `true` when `value` is an average's value (`sum` and `count`, the `average` encoding). */
export function isAverageValue(value: unknown): value is AverageValue {
  return typeof value === 'object' && value !== null && 'sum' in value && 'count' in value && !isHistogramValue(value);
}

/**
 * The outcome of {@link readV2Value}: the value, or the error; an `MMSTATS-E014` also says
 * why the value did not settle (spec/format-v2.md#seqlock): `stuck`, the sequence word odd
 * and unchanged through every try (a writer that died mid-write), or `busy`, still moving (a
 * writer updating it faster than a copy takes; a poller may keep its last good copy).
 */
export type V2ValueRead = Result<V2Value> & {
  /** Set exactly when the error is `MMSTATS-E014`. */
  readonly reason?: 'stuck' | 'busy';
};

/**
 * Reads the current value of `record`. Scalars cannot tear. A composite value's bytes are
 * copied under the seqlock, retried up to `options.tries` times (default 1000), and the
 * consistent copy is then decoded once: a try costs one `memcpy` of the value area.
 *
 * @returns the value; or `MMSTATS-E014` (with its `reason`) when the sequence word never
 *   settled, or `MMSTATS-E013` for a text length past its capacity in a consistent copy
 *   (bad bytes, not a race): that record only, the file's other records read as usual
 */
export function readV2Value(file: V2StatsBytes, record: V2RecordLayout, options: SeqlockReadOptions = {}): V2ValueRead {
  const at = record.valueOffset;
  switch (record.encodingName) {
    case 'f64':
      return { ok: true, value: file.f64[at >> 3]! };
    case 'i64':
      return { ok: true, value: Atomics.load(file.i64, at >> 3) };
    case 'u64':
      return { ok: true, value: BigInt.asUintN(64, Atomics.load(file.i64, at >> 3)) };
  }
  const copy = copyAreaOf(record);
  const end = at + record.valueSize;
  const read = readSeqlocked(file, at, () => copy.bytes.set(file.bytes.subarray(at, end)), options);
  if (!read.ok) return { ok: false, error: valueUnstableError(record, read.reason, read.seq, read.tries), reason: read.reason };
  return compositeRead(copy, record, 0);
}

/**
 * Decodes the value of composite `record` from a copy of its value area that is already
 * consistent (its `seq` even and unchanged across the copy, spec/format-v2.md#seqlock), in
 * place at the record's own offset: for a reader that ran the protocol itself, over positioned
 * reads of the file, and holds such a copy of the file.
 *
 * @returns the value, or `MMSTATS-E013` for a text length past its capacity (bad bytes)
 * @throws TypeError for a scalar record (read those with {@link readV2Value})
 */
export function decodeV2Consistent(file: V2StatsBytes, record: V2RecordLayout): V2ValueRead {
  if (isV2ScalarEncoding(record.encodingName)) {
    throw new TypeError(`record ${JSON.stringify(record.label)} is a scalar (${record.encodingName}): read it with readV2Value`);
  }
  return compositeRead(file, record, record.valueOffset);
}

function compositeRead(file: V2StatsBytes, record: V2RecordLayout, at: number): V2ValueRead {
  const value = decodeComposite(file, record, at);
  if (value !== undefined) return { ok: true, value };
  const detail = `value of record ${JSON.stringify(record.label)} is invalid (text length past its capacity)`;
  return { ok: false, error: new MmstatsError('BAD_RECORD', detail, { offset: record.valueOffset }) };
}

/**
 * The `MMSTATS-E014` of a value that did not settle in `tries` tries, its detail saying which
 * case was seen (spec/format-v2.md#seqlock): for readers that run the seqlock protocol
 * themselves (over positioned reads of a file, say).
 */
export function valueUnstableError(record: V2RecordLayout, reason: 'stuck' | 'busy', seq: number, tries: number): MmstatsError {
  const why = reason === 'stuck' ? 'odd and unchanged: a writer stopped mid-write' : 'still changing: the writer updates it faster than it can be copied';
  const detail = `value of record ${JSON.stringify(record.label)} did not settle in ${tries} tries (seq ${seq >>> 0}, ${why})`;
  return new MmstatsError('VALUE_UNSTABLE', detail, { offset: record.valueOffset });
}

// A private buffer per composite record (a walked layout never changes), collected with it:
// the value area is copied there under the seqlock, then decoded from offset 0.
const copyAreas = new WeakMap<V2RecordLayout, V2StatsBytes>();

function copyAreaOf(record: V2RecordLayout): V2StatsBytes {
  let area = copyAreas.get(record);
  if (area === undefined) {
    area = statsBytesV2(new Uint8Array(record.valueSize));
    copyAreas.set(record, area);
  }
  return area;
}

/**
 * Decodes a consistent copy of `record`'s value area that starts at offset `at` of `copy`;
 * `undefined` for a text length past its capacity.
 */
function decodeComposite(copy: V2StatsBytes, record: V2RecordLayout, at: number): V2Value | undefined {
  const { f64 } = copy;
  const w = at >> 3;
  switch (record.encodingName) {
    case 'text': {
      const length = copy.view.getUint32(at + 4, true);
      // A consistent copy with a length past the capacity is bad bytes (spec/format-v2.md#enc-text).
      if (length > record.params[0]) return undefined;
      return decodeUtf8Lenient(copy.bytes.subarray(at + 8, at + 8 + length));
    }
    case 'average':
      return { sum: f64[w + 1]!, count: f64[w + 2]! };
    case 'histogram':
      return {
        params: { k: record.params[0], minExp: record.params[1], maxExp: record.params[2] | 0 },
        count: f64[w + 1]!,
        sum: f64[w + 2]!,
        min: f64[w + 3]!,
        max: f64[w + 4]!,
        buckets: f64.slice(w + 5, w + (record.valueSize >> 3)),
      };
    default: {
      const slots: WindowSlot[] = [];
      for (let i = 0; i < record.params[0]; i++) slots.push({ start: f64[w + 1 + 3 * i]!, count: f64[w + 2 + 3 * i]!, sum: f64[w + 3 + 3 * i]! });
      return { slotMillis: record.params[2], slots };
    }
  }
}

/**
 * Stores a scalar (`f64`, `i64`, `u64`) with one aligned 8-byte store
 * (spec/format-v2.md#enc-scalar). Integers wrap modulo 2^64; numbers stored in integer
 * encodings are truncated toward zero (NaN and infinities store 0).
 *
 * @throws TypeError when the record's encoding is not a scalar one
 */
export function writeV2Scalar(file: V2StatsBytes, record: V2RecordLayout, value: number | bigint): void {
  const word = record.valueOffset >> 3;
  if (record.encodingName === 'f64') {
    file.f64[word] = Number(value);
    return;
  }
  if (record.encodingName !== 'i64' && record.encodingName !== 'u64') {
    throw new TypeError(`record ${JSON.stringify(record.label)} is not a scalar (${record.encodingName})`);
  }
  const n = typeof value === 'bigint' ? value : Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n;
  Atomics.store(file.i64, word, BigInt.asIntN(64, n));
}

/**
 * Stores a `text` value (spec/format-v2.md#enc-text) under the seqlock: UTF-8, cut at a
 * character boundary to the record's capacity (`param0`).
 */
export function writeV2Text(file: V2StatsBytes, record: V2RecordLayout, text: string): void {
  const at = record.valueOffset;
  const encoded = encodeUtf8Within(text, record.params[0]);
  const s = beginV2Write(file, at);
  file.view.setUint32(at + 4, encoded.length, true);
  file.bytes.set(encoded, at + 8);
  endV2Write(file, at, s);
}

/** Sets an `average` to `sum` and `count` (spec/format-v2.md#enc-average), under the seqlock. */
export function writeV2Average(file: V2StatsBytes, record: V2RecordLayout, sum: number, count: number): void {
  const at = record.valueOffset;
  const word = at >> 3;
  const s = beginV2Write(file, at);
  file.f64[word + 1] = sum;
  file.f64[word + 2] = count;
  endV2Write(file, at, s);
}

/** Adds `v` to an `average`: `sum += v`, `count += 1`, as one change readers see whole. */
export function addV2Average(file: V2StatsBytes, record: V2RecordLayout, v: number): void {
  const at = record.valueOffset;
  const word = at >> 3;
  const s = beginV2Write(file, at);
  file.f64[word + 1]! += v;
  file.f64[word + 2]! += 1;
  endV2Write(file, at, s);
}

/**
 * Records `v` in a `histogram` (spec/format-v2.md#enc-histogram), under the seqlock: its
 * bucket, `count`, `sum`, and `min` / `max` (set by the first value). NaN is not recorded.
 */
export function observeV2Histogram(file: V2StatsBytes, record: V2RecordLayout, v: number): void {
  const bucket = bucketIndex(v, record.params[0], record.params[1], record.params[2] | 0);
  if (bucket < 0) return;
  const at = record.valueOffset;
  const word = at >> 3;
  const f64 = file.f64;
  const s = beginV2Write(file, at);
  const count = f64[word + 1]!;
  f64[word + 1] = count + 1;
  f64[word + 2]! += v;
  if (count === 0 || v < f64[word + 3]!) f64[word + 3] = v;
  if (count === 0 || v > f64[word + 4]!) f64[word + 4] = v;
  f64[word + 5 + bucket]! += 1;
  endV2Write(file, at, s);
}

/**
 * Sets a whole `histogram` value (spec/format-v2.md#enc-histogram) under the seqlock: `count`,
 * `sum`, `min`, `max` and every bucket, as one change readers see whole. For files written in
 * one go (a cleaner's archive, spec/files.md#archive), not for a writer's updates.
 *
 * @throws RangeError when `value` has another number of buckets than the record
 */
export function writeV2Histogram(file: V2StatsBytes, record: V2RecordLayout, value: HistogramValue): void {
  const word = record.valueOffset >> 3;
  const buckets = (record.valueSize >> 3) - 5;
  if (value.buckets.length !== buckets) throw new RangeError(`record ${JSON.stringify(record.label)} has ${buckets} buckets, the value ${value.buckets.length}`);
  const f64 = file.f64;
  const s = beginV2Write(file, record.valueOffset);
  f64[word + 1] = value.count;
  f64[word + 2] = value.sum;
  f64[word + 3] = value.min;
  f64[word + 4] = value.max;
  f64.set(value.buckets, word + 5);
  endV2Write(file, record.valueOffset, s);
}

/**
 * Adds `v` at time `nowSeconds` to a `window` (spec/format-v2.md#enc-window), under the
 * seqlock: the slot of `now` is reset first when it still counts an older interval.
 */
export function addV2Window(file: V2StatsBytes, record: V2RecordLayout, v: number, nowSeconds: number): void {
  // windowPosition's arithmetic, without its result object: this is a writer's hot path.
  const interval = intervalAt(nowSeconds, record.params[2]);
  const start = intervalStart(interval, record.params[2]);
  const at = record.valueOffset;
  const slot = (at >> 3) + 1 + 3 * slotIndex(interval, record.params[0]);
  const f64 = file.f64;
  const s = beginV2Write(file, at);
  if (f64[slot] !== start) {
    f64[slot] = start;
    f64[slot + 1] = 0;
    f64[slot + 2] = 0;
  }
  f64[slot + 1]! += 1;
  f64[slot + 2]! += v;
  endV2Write(file, at, s);
}
