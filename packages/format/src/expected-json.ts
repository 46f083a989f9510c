/**
 * The JSON form of decoded values (spec/expected-json.md), used by the fixtures, by
 * `mmstats slurp --json` and by any port that checks itself against the fixtures.
 *
 * @module
 */
import type { DecodedV2File, DecodedV2Record } from './v2/decode.js';
import type { V2Header } from './v2/header.js';
import type { V1Type, Value } from './v1/types.js';
import { isExpHistogramValue, type ExpBuckets } from './v2/exp-histogram.js';
import { isHistogramValue, isWindowValue, type V2Value } from './v2/values.js';

/** A value in its JSON form: numbers, decimal strings for big integers and non-finite floats, booleans, strings. */
export type JsonValue = number | string | boolean;

/**
 * The JSON form of a value (spec/expected-json.md#values):
 * - integers within ±(2^53 − 1) as JSON numbers, beyond that as decimal strings;
 * - floats as JSON numbers, except `"NaN"`, `"Infinity"` and `"-Infinity"`;
 * - booleans as booleans, strings as strings.
 */
export function toJsonValue(value: Value): JsonValue {
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

/**
 * The value a JSON form stands for, given the field's type (the JSON alone cannot tell the
 * string `"NaN"` from a float NaN). The inverse of {@link toJsonValue}.
 *
 * @throws TypeError when `json` is not a valid JSON form for `type`
 */
export function fromJsonValue(json: JsonValue, type: V1Type): Value {
  switch (type.kind) {
    case 'string':
      if (typeof json === 'string') return json;
      break;
    case 'bool':
      if (typeof json === 'boolean') return json;
      break;
    case 'float':
      if (typeof json === 'number') return json;
      if (json === 'NaN' || json === 'Infinity' || json === '-Infinity') return Number(json);
      break;
    case 'int':
    case 'uint':
      if (typeof json === 'boolean' || (typeof json === 'number' && !Number.isInteger(json))) break;
      if (typeof json === 'string' && !/^-?\d+$/.test(json)) break;
      return type.size === 8 ? BigInt(json) : Number(json);
  }
  throw new TypeError(`${JSON.stringify(json)} is not a JSON value of type ${JSON.stringify(type.signature)}`);
}

/** Any JSON data: what the v2 value and fixture forms are made of. */
export type JsonData = JsonValue | null | readonly JsonData[] | { readonly [key: string]: JsonData };

/**
 * The JSON form of a v2 value (spec/expected-json.md#v2), by the record's encoding:
 * - `f64`, `i64`, `u64`: as {@link toJsonValue} (numbers, big integers as decimal strings,
 *   `"NaN"`, `"Infinity"`, `"-Infinity"`);
 * - `text`: the string;
 * - `average`: `{"sum", "count"}`;
 * - `histogram`: `{"count", "sum", "min", "max", "buckets": {"<index>": count}}`, only
 *   buckets whose count is not 0;
 * - `exphistogram`: `{"count", "sum", "min", "max", "scale", "zero_threshold", "zero_count",
 *   "positive": {"<index>": count}, "negative": {...}}`, only buckets whose count is not 0;
 * - `window`: `{"slot_ms", "slots": [{"slot", "start", "count", "sum"}]}`, only slots
 *   whose `start` is not 0.
 * Numbers inside composite values follow the float rule of {@link toJsonValue}.
 */
export function toJsonV2Value(value: V2Value): JsonData {
  if (typeof value !== 'object') return toJsonValue(value);
  if (isHistogramValue(value)) {
    const buckets: Record<string, JsonData> = {};
    value.buckets.forEach((count, i) => {
      if (count !== 0) buckets[String(i)] = toJsonValue(count);
    });
    return { count: toJsonValue(value.count), sum: toJsonValue(value.sum), min: toJsonValue(value.min), max: toJsonValue(value.max), buckets };
  }
  if (isExpHistogramValue(value)) {
    return {
      count: toJsonValue(value.count),
      sum: toJsonValue(value.sum),
      min: toJsonValue(value.min),
      max: toJsonValue(value.max),
      scale: value.scale,
      zero_threshold: toJsonValue(value.zeroThreshold),
      zero_count: toJsonValue(value.zeroCount),
      positive: expBucketsJson(value.positive),
      negative: expBucketsJson(value.negative),
    };
  }
  if (isWindowValue(value)) {
    const slots = value.slots.flatMap((slot, i) =>
      slot.start === 0 ? [] : [{ slot: i, start: toJsonValue(slot.start), count: toJsonValue(slot.count), sum: toJsonValue(slot.sum) }]);
    return { slot_ms: value.slotMillis, slots };
  }
  return { sum: toJsonValue(value.sum), count: toJsonValue(value.count) };
}

/** One side of an exponential histogram: `{"<bucket index>": count}`, non-zero counts only. */
function expBucketsJson(side: ExpBuckets): Record<string, JsonData> {
  const out: Record<string, JsonData> = {};
  side.counts.forEach((count, j) => {
    if (count !== 0) out[String(side.offset + j)] = toJsonValue(count);
  });
  return out;
}

/** The JSON form of a v2 header (spec/expected-json.md#v2-fixture-json). */
export function toJsonV2Header(header: V2Header): JsonData {
  return {
    version: header.version,
    minor: header.minor,
    header_size: header.headerSize,
    flags: { ready: header.ready, full: header.full, closed: header.closed },
    capacity: header.capacity,
    used: header.used,
    record_count: header.recordCount,
    dropped_records: header.droppedRecords,
    file_id: header.fileId.toString(),
    pid: header.pid,
    heartbeat_interval_ms: header.heartbeatIntervalMs,
    tid: toJsonValue(header.tid),
    process_start: toJsonValue(header.processStart),
    created: toJsonValue(header.created),
    heartbeat: toJsonValue(header.heartbeat),
    pid_ns: header.pidNs.toString(),
    boot_id: header.bootId,
  };
}

/**
 * The JSON form of a decoded v2 record (spec/expected-json.md#v2-fixture-json): where it is,
 * what it says, and `value`, or `error` (the code) for a value that never settled.
 */
export function toJsonV2Record(record: DecodedV2Record): JsonData {
  return {
    offset: record.offset,
    label: record.label,
    kind: record.kindName,
    encoding: record.encodingName,
    merge: record.mergeName,
    unit: record.unit,
    help: record.help,
    dims: Object.fromEntries(record.dims),
    params: [...record.params],
    value_offset: record.valueOffset,
    value_size: record.valueSize,
    size: record.size,
    ...(record.error ? { error: record.error.code } : { value: toJsonV2Value(record.value) }),
  };
}

/**
 * The fixture JSON of a decoded v2 file (spec/expected-json.md#v2-fixture-json): what a
 * conforming reader's result must equal for the file.
 */
export function toJsonV2File(decoded: DecodedV2File, about: { readonly producer: string; readonly note: string; readonly fileSize: number }): JsonData {
  return {
    producer: about.producer,
    note: about.note,
    file_size: about.fileSize,
    header: toJsonV2Header(decoded.header),
    records: decoded.records.map(toJsonV2Record),
    notices: decoded.notices.map((notice) => ({ code: notice.code, offset: notice.offset })),
  };
}
