/**
 * `@mmstats/reader`: read mmstats files from Node, format v1 (spec/format-v1.md, the Python
 * format) and v2 (spec/format-v2.md) through one API. Decode a file once ({@link readStats}),
 * many files and carry on past bad ones ({@link scanStats}), watch one live
 * ({@link LiveStatsFile}), find them as the Python tools do ({@link findStatsFiles}), and
 * combine the files of every thread and process by their merge rules ({@link mergeSnapshots},
 * with {@link percentiles} of merged histograms), or the Python mmash way ({@link aggregate}).
 *
 * The bytes are decoded by `@mmstats/format`; every failure is an `MmstatsError` with a stable
 * code and the file's path (spec/errors.md).
 *
 * @packageDocumentation
 */
export { readStats } from './read-stats.js';
export { inferV1Kind, inferV1Merge, isV2Layout } from './fields.js';
export type { FieldLayout, FieldValue, StatsField, StatsSnapshot, V1Kind, V1StatsField, V2StatsField } from './fields.js';
export { scanStats } from './scan-stats.js';
export type { ScanResult } from './scan-stats.js';
export { defaultStatsDirectories, findStatsFiles, findStatsFilesSync } from './find-stats-files.js';
export type { FindOptions } from './find-stats-files.js';
export { LiveStatsFile } from './live-stats-file.js';
export { judgeWriter, observer, PID_REUSE_SLACK_SECONDS, STALE_HEARTBEATS, writerInfo } from './writer-info.js';
export type { AliveReason, GoneReason, Observer, ObserverOptions, WriterInfo, WriterJudgement } from './writer-info.js';
export { bootTime, INITIAL_PID_NAMESPACE, isProcessId, MAX_PID, ownBootId, ownPidNamespace, probePid, processesByOwnPid, processInfo, USER_HZ } from './process-status.js';
export type { ProcessInfo, SignalProbe } from './process-status.js';
export { DEFAULT_QUANTILES, mergeSnapshots, percentiles } from './merge-snapshots.js';
export { percentilesToJson, summaryToJson, valueToJson, windowToJson } from './derived-json.js';
export type { JsonValueOptions } from './derived-json.js';
export type { FieldDescription, MergeOptions, MergedField, MergedFileValue } from './merge-snapshots.js';
export { MmstatsError, ErrorCodes, NoticeCodes, isAverageValue, isDistributionValue, isExpHistogramValue, isHistogramValue, isMmstatsError, isWindowValue } from '@mmstats/format';
export type {
  AverageValue,
  DistributionValue,
  ErrorCode,
  ExpBuckets,
  ExpHistogramValue,
  HistogramParams,
  HistogramValue,
  Notice,
  NoticeCode,
  V1FieldLayout,
  V2Dimension,
  V2Header,
  V2RecordLayout,
  V2Value,
  Value,
  WindowSlot,
  WindowStats,
  WindowValue,
} from '@mmstats/format';
export { AGGREGATORS, aggregate, collectValues, isAggregator, matchesLabel } from './aggregate.js';
export type { Aggregator, LabelQuery } from './aggregate.js';
export { hasWildcards, segmentMatcher } from './glob-pattern.js';
export {
  ARCHIVE_FOLDED_LABEL,
  ARCHIVE_GENERATION_LABEL,
  ARCHIVE_RETENTION_SECONDS,
  SERVICE_LABEL,
  WORKER_LABEL,
  archiveFileName,
  archiveInfo,
  archivesLast,
  countedSnapshots,
  fileIdText,
  isFileMetaLabel,
  parseArchiveFileName,
  serviceOf,
  snapshotsByService,
  workerSlotOf,
} from './archive.js';
export type { ArchiveInfo, ArchiveName, CountedSnapshots, UncountedFile } from './archive.js';
export { archiveGenerations, foldIntoArchive } from './fold.js';
export { readCounted, readTooSlowError } from './read-counted.js';
export type { CountedRead, ReadCountedOptions } from './read-counted.js';
export type { ArchiveGeneration, DeadFile, DroppedRecord, FoldOptions, FoldOutcome, UnreadableDeadFile } from './fold.js';
export { judgeStatsFile } from './judge-stats-file.js';
export type { JudgeOptions, Verdict } from './judge-stats-file.js';
export { MAX_STATS_FILE_BYTES, readOwnFile, readOwnFileStart } from './read-own-file.js';
export type { OwnFile } from './read-own-file.js';
export { anchorAt, inPinnedDirectory, RemovalRefused, removePinned } from './remove-pinned.js';
export type { Anchor, Identity } from './remove-pinned.js';
