/**
 * `@mmstats/format`: the mmstats binary format as pure TypeScript over `Uint8Array`.
 * No I/O: the reader and writer packages bring the files; this package knows the bytes.
 *
 * The format is specified in `spec/format-v1.md`; error codes in `spec/errors.md`; the
 * JSON form of values in `spec/expected-json.md`.
 *
 * @packageDocumentation
 */
export { ErrorCodes, MmstatsError, isMmstatsError } from './errors.js';
export type { ErrorCode, ErrorName, Result } from './errors.js';
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
export { fromJsonValue, toJsonValue } from './expected-json.js';
export type { JsonValue } from './expected-json.js';
export { decodeUtf8Strict, encodeUtf8, encodeUtf8Within } from './utf8.js';
