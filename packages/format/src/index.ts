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
export { ErrorCodes, MmstatsError, NoticeCodes, isMmstatsError } from './common/errors.js';
export type { ErrorCode, ErrorName, Notice, NoticeCode, Result } from './common/errors.js';
export { V1_SCALAR_TYPES, parseV1Type, readV1Scalar, writeV1Scalar } from './v1/types.js';
export type { ScalarTypeInfo, V1ScalarCode, V1Type, Value, ValueKind } from './v1/types.js';
export {
  V1_MAX_NAME_BYTES,
  V1_RECORD_OVERHEAD,
  V1_UNBUFFERED,
  parseV1Layout,
  planV1Layout,
  writeV1Headers,
} from './v1/layout.js';
export type { V1FieldLayout, V1FieldSpec, V1Layout } from './v1/layout.js';
export { DEFAULT_V1_LAYOUT_CACHE_SIZE, V1LayoutCache } from './v1/layout-cache.js';
export { readV1Value, v1ReadOffset, writeV1Value } from './v1/values.js';
export { statsBytes } from './common/bytes.js';
export type { StatsBytes } from './common/bytes.js';
export { decodeV1 } from './v1/decode.js';
export type { DecodedField, DecodedFile } from './v1/decode.js';
export { fromJsonValue, toJsonV2File, toJsonV2Header, toJsonV2Record, toJsonV2Value, toJsonValue } from './expected-json.js';
export type { JsonData, JsonValue } from './expected-json.js';
export { V2_ENCODINGS, V2_KINDS, V2_KIND_RULES, V2_MERGES, v2EncodingName, v2KindName, v2MergeName } from './v2/kinds.js';
export type { V2EncodingName, V2KindName, V2KindRule, V2MergeName } from './v2/kinds.js';
export { alignedBytes, littleEndianHost, statsBytesV2 } from './v2/views.js';
export type { V2StatsBytes } from './v2/views.js';
export {
  V2_FLAGS,
  V2_HEADER_OFFSETS,
  V2_HEADER_SIZE,
  V2_LITTLE_ENDIAN,
  V2_MINOR,
  UNKNOWN_BOOT_ID,
  bootIdBytes,
  bootIdText,
  parseV2Header,
  setV2Flags,
  setV2Heartbeat,
  setV2Ready,
  writeV2Header,
} from './v2/header.js';
export { V1_VERSION, V2_VERSION, futureMajorVersion, versionError } from './common/version.js';
export type { V2Header, V2HeaderFields } from './v2/header.js';
export {
  V2_HISTOGRAM_LIMITS,
  V2_PUBLISHED,
  V2_RECORD_FIXED_SIZE,
  V2_RECORD_OFFSETS,
  V2_WINDOW_LIMITS,
  v2BucketCount,
  v2ValueSize,
  walkV2Records,
} from './v2/records.js';
export type { V2Dimension, V2RecordLayout, V2Walk } from './v2/records.js';
export { V2_SEQLOCK_TRIES, V2_STUCK_MILLIS, beginV2Write, endV2Write, readSeqlocked } from './v2/seqlock.js';
export type { SeqlockRead, SeqlockReadOptions } from './v2/seqlock.js';
export {
  DEFAULT_HISTOGRAM_PARAMS,
  bucketBounds,
  histogramBucketIndex,
  histogramQuantile,
  mergeHistograms,
  sameHistogramParams,
} from './v2/histogram.js';
export type { BucketBounds, HistogramParams, HistogramValue } from './v2/histogram.js';
export {
  DEFAULT_EXP_HISTOGRAM_PARAMS,
  EXP_HISTOGRAM_WORDS,
  EXP_ZERO_BUCKET,
  V2_EXP_HISTOGRAM_LIMITS,
  expBucketIndex,
  expHistogramAtScale,
  expBucketLowerBound,
  expHistogramBucketOf,
  expHistogramOffsetOf,
  expHistogramQuantile,
  isExpHistogramValue,
  mergeExpHistograms,
  recordExpHistogram,
} from './v2/exp-histogram.js';
export type { ExpBuckets, ExpHistogramParams, ExpHistogramValue } from './v2/exp-histogram.js';
export { fitExpHistogram, writeV2ExpHistogram } from './v2/exp-histogram-whole.js';
export type { FittedExpHistogram } from './v2/exp-histogram-whole.js';
export { prometheusUnit, ucumUnit } from './common/units.js';
export { DEFAULT_WINDOW_PARAMS, mergeWindows, slotNumber, windowPosition, windowStats } from './v2/window.js';
export type { WindowPosition, WindowSlot, WindowStats, WindowValue } from './v2/window.js';
export { addV2Average, addV2Window, meanOf, decodeV2Consistent, distributionQuantile, isAverageValue, isDistributionValue, isV2ScalarEncoding, isHistogramValue, isWindowValue, observeV2ExpHistogram, observeV2Histogram, readV2Value, valueUnstableError, writeV2Average, writeV2Histogram, writeV2Scalar, writeV2Text } from './v2/values.js';
export type { AverageValue, DistributionValue, V2Value, V2ValueRead } from './v2/values.js';
export {
  DEFAULT_TEXT_CAPACITY,
  appendV2Record,
  planV2Record,
  publishV2Record,
  writeV2Record,
} from './v2/plan.js';
export type { V2RecordPlan, V2RecordSpec } from './v2/plan.js';
export { decodeV2 } from './v2/decode.js';
export type { DecodedV2File, DecodedV2Record } from './v2/decode.js';
export { decodeStats } from './decode-stats.js';
export type { DecodedStatsFile } from './decode-stats.js';
export { mergeValues } from './v2/merge.js';
export { encodeUtf8Within } from './common/utf8.js';
export { defaultStatsDirName, isDefaultStatsDirName, privateDirectoryProblem } from './common/default-directory.js';
export type { DirectoryStat } from './common/default-directory.js';
export { ARCHIVE_FOLDED_LABEL, ARCHIVE_GENERATION_LABEL, SERVICE_LABEL, WORKER_LABEL, fileIdText, isFileMetaLabel, parseFileIdText } from './v2/meta-records.js';
