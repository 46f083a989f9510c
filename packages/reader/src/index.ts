/**
 * `@mmstats/reader`: read mmstats files from Node. Decode a file once ({@link readStats}),
 * many files and carry on past bad ones ({@link scanStats}), watch one live
 * ({@link LiveStatsFile}), and find them as the Python tools do ({@link findStatsFiles}).
 *
 * The bytes are decoded by `@mmstats/format` (spec/format-v1.md); every failure is an
 * `MmstatsError` with a stable code and the file's path (spec/errors.md).
 *
 * @packageDocumentation
 */
export { readStats } from './read-stats.js';
export type { ReadOptions, StatsField, StatsSnapshot } from './read-stats.js';
export { scanStats } from './scan-stats.js';
export type { ScanResult } from './scan-stats.js';
export { findStatsFiles } from './find-stats-files.js';
export type { FindOptions } from './find-stats-files.js';
export { LiveStatsFile } from './live-stats-file.js';
export { MmstatsError, ErrorCodes, isMmstatsError } from '@mmstats/format';
export type { ErrorCode, Value, V1FieldLayout } from '@mmstats/format';
export { AGGREGATORS, aggregate, collectValues, isAggregator, matchesLabel } from './aggregate.js';
export type { Aggregator, LabelQuery } from './aggregate.js';
export { segmentRegExp } from './glob-pattern.js';
