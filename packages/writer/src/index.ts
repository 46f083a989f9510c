/**
 * `@mmstats/writer`: publish live stats from Node into a memory-mapped file that any mmstats
 * reader reads while the program runs.
 *
 * Declare a model once, open it (one file per process and thread), then update fields from
 * hot code: each update is a few plain stores into the mapping, with no syscall and no
 * allocation. Files are format v2 by default (spec/format-v2.md: kinds, units, help,
 * dimensions, merge rules, histograms, windows, records added at run time); `format: 1`
 * writes Python mmstats 0.8.0's format (spec/format-v1.md) for Python's tools.
 *
 * @packageDocumentation
 */
export { defineModel } from './model.js';
export type { FieldDefs, FileOf, Handles, Model, ModelOptions, Stats } from './model.js';
export { StatsBuilder } from './builder.js';
export type { BuilderOptions } from './builder.js';
export { StatsFile } from './v1/stats.js';
export { RESERVED_NAMES } from './common/file-options.js';
export type { FileOptions, FlushOptions, Format, OpenOptions, ReservedName } from './common/file-options.js';
export { StatsFileV2, DEFAULT_CAPACITY, DEFAULT_HEARTBEAT_MS, FILE_FULL_WARNING } from './v2/stats.js';
export { CARDINALITY_OVERFLOW_LABEL, DEFAULT_CARDINALITY_LIMIT, OVERFLOW_DIMENSION } from './v2/dimension-sets.js';
export {
  average,
  bool,
  byte,
  counter,
  double,
  float,
  gauge,
  histogram,
  info,
  int,
  movingAverage,
  short,
  staticDouble,
  staticFloat,
  staticInt64,
  staticText,
  staticUint,
  staticUint64,
  string,
  text,
  timer,
  uint,
  uint64,
  ushort,
  window,
} from './fields.js';
export type { AnyFieldDef, FieldDef, HandleOf, V1Def, V2Def, V2FieldSpec } from './common/field-def.js';
export type {
  BoolOptions,
  CounterOptions,
  FieldOptions,
  GaugeOptions,
  ExpHistogramOptions,
  ExpTimerOptions,
  HistogramOptions,
  InfoOptions,
  InfoValue,
  MovingAverageOptions,
  StaticOptions,
  StringOptions,
  TextOptions,
  TimerOptions,
  WindowOptions,
} from './fields.js';
export { FieldHandle } from './v1/handle.js';
export { RecordHandle } from './v2/handle.js';
export { CounterField } from './v1/counter.js';
export { AverageField, MovingAverageField, TimerField } from './v1/averages.js';
export { monotonicSeconds } from './common/stopwatch.js';
export type { Clock } from './common/stopwatch.js';
export { BoolField, ByteField, DoubleField, FloatField, GaugeField, IntField, ShortField, UInt64Field, UIntField, UShortField } from './v1/scalars.js';
export { StringField } from './v1/text.js';
export { StaticField } from './v1/statics.js';
export type { Lazy } from './common/values.js';
export { BigCounterV2, BoolV2, CounterV2, GaugeV2, InfoV2, IntGaugeV2, MovingAverageV2, NarrowGaugeV2 } from './v2/scalars.js';
export type { InfoEncoding } from './v2/scalars.js';
export { AverageV2, ExpHistogramV2, HistogramV2, TextV2, WindowV2, unixSeconds } from './v2/composites.js';
export { ExpTimerV2, TimerV2 } from './v2/timers.js';
export { systemFields, systemFieldsV2 } from './system-fields.js';
export { DEFAULT_FILENAME, expandTemplate, isFileNamePart } from './common/templates.js';
export type { TemplateValues } from './common/templates.js';
export { osThreadId } from './common/thread-id.js';
export { PAGE_SIZE } from './common/stats-file.js';
export { REJECTED_VALUE_WARNING, REJECTED_VALUES_LABEL } from './common/rejected-values.js';
export { UNSAFE_DEFAULT_DIRECTORY_WARNING } from './common/default-directory.js';
export { MmstatsError, ErrorCodes, isMmstatsError } from '@mmstats/format';
export type { ErrorCode, ErrorName, HistogramParams, V2MergeName, V2RecordLayout, WindowStats } from '@mmstats/format';
