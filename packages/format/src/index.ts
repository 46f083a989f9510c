/**
 * `@mmstats/format`: the mmstats binary format as pure TypeScript over `Uint8Array`.
 * No I/O: the reader and writer packages bring the files; this package knows the bytes.
 *
 * The formats are specified in `spec/format-v1.md` and `spec/format-v2.md`; error codes in
 * `spec/errors.md`; the JSON form of values in `spec/expected-json.md`. `decodeStats` reads
 * either version; the `V2`-named exports are the v2 layout, codecs and writer primitives.
 *
 * @packageDocumentation
 */
export { ErrorCodes, MmstatsError, NoticeCodes, isMmstatsError } from './errors.js';
export type { ErrorCode, ErrorName, Notice, NoticeCode, Result } from './errors.js';
export { V1_SCALAR_TYPES, parseV1Type, readV1Scalar, writeV1Scalar } from './types-v1.js';
export type { ScalarTypeInfo, V1ScalarCode, V1Type, Value, ValueKind } from './types-v1.js';
export {
  V1_MAX_NAME_BYTES,
  V1_RECORD_OVERHEAD,
  V1_UNBUFFERED,
  V1_VERSION,
  parseV1Layout,
  planV1Layout,
  writeV1Headers,
} from './layout-v1.js';
export type { V1FieldLayout, V1FieldSpec, V1Layout } from './layout-v1.js';
export { readV1Value, statsBytes, v1ReadOffset, writeV1Value } from './values-v1.js';
export type { StatsBytes } from './values-v1.js';
export { decodeV1 } from './decode.js';
export type { DecodedField, DecodedFile } from './decode.js';
export { fromJsonValue, toJsonV2File, toJsonV2Header, toJsonV2Record, toJsonV2Value, toJsonValue } from './expected-json.js';
export type { JsonData, JsonValue } from './expected-json.js';
export { V2_ENCODINGS, V2_KINDS, V2_KIND_RULES, V2_MERGES, v2EncodingName, v2KindName, v2MergeName } from './kinds-v2.js';
export type { V2EncodingName, V2KindName, V2KindRule, V2MergeName } from './kinds-v2.js';
export { alignedBytes, littleEndianHost, statsBytesV2 } from './views-v2.js';
export type { V2StatsBytes } from './views-v2.js';
export {
  V2_FLAGS,
  V2_HEADER_OFFSETS,
  V2_HEADER_SIZE,
  V2_LITTLE_ENDIAN,
  V2_MINOR,
  V2_VERSION,
  UNKNOWN_BOOT_ID,
  bootIdBytes,
  bootIdText,
  futureMajorVersion,
  parseV2Header,
  setV2Flags,
  setV2Heartbeat,
  setV2Ready,
  versionError,
  writeV2Header,
} from './header-v2.js';
export type { V2Header, V2HeaderFields } from './header-v2.js';
export {
  V2_HISTOGRAM_LIMITS,
  V2_PUBLISHED,
  V2_RECORD_FIXED_SIZE,
  V2_RECORD_OFFSETS,
  V2_WINDOW_LIMITS,
  v2BucketCount,
  v2ValueSize,
  walkV2Records,
} from './records-v2.js';
export type { V2Dimension, V2RecordLayout, V2Walk } from './records-v2.js';
export { V2_SEQLOCK_TRIES, V2_STUCK_MILLIS, beginV2Write, endV2Write, readSeqlocked } from './seqlock-v2.js';
export type { SeqlockRead, SeqlockReadOptions } from './seqlock-v2.js';
export {
  DEFAULT_HISTOGRAM_PARAMS,
  bucketBounds,
  histogramBucketIndex,
  histogramQuantile,
  mergeHistograms,
  sameHistogramParams,
} from './histogram-v2.js';
export type { BucketBounds, HistogramParams, HistogramValue } from './histogram-v2.js';
export { DEFAULT_WINDOW_PARAMS, mergeWindows, slotNumber, windowPosition, windowStats } from './window-v2.js';
export type { WindowPosition, WindowSlot, WindowStats, WindowValue } from './window-v2.js';
export { addV2Average, addV2Window, isAverageValue, isHistogramValue, isWindowValue, observeV2Histogram, readV2Value, valueUnstableError, writeV2Average, writeV2Scalar, writeV2Text } from './values-v2.js';
export type { AverageValue, V2Value, V2ValueRead } from './values-v2.js';
export {
  DEFAULT_TEXT_CAPACITY,
  appendV2Record,
  planV2Record,
  publishV2Record,
  writeV2Record,
} from './plan-v2.js';
export type { V2RecordPlan, V2RecordSpec } from './plan-v2.js';
export { decodeStats, decodeV2 } from './decode-v2.js';
export type { DecodedStatsFile, DecodedV2File, DecodedV2Record } from './decode-v2.js';
export { mergeV2Files, mergeValues } from './merge-v2.js';
export type { MergedV2Record, PerFileValue } from './merge-v2.js';
export { encodeUtf8Within } from './utf8.js';
export { defaultStatsDirName, isDefaultStatsDirName, privateDirectoryProblem } from './default-directory.js';
export type { DirectoryStat } from './default-directory.js';
