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
export { StatsFile, RESERVED_NAMES } from './stats.js';
export type { FileOptions, FlushOptions, OpenOptions, ReservedName } from './stats.js';
export { StatsFileV2, DEFAULT_CAPACITY, DEFAULT_HEARTBEAT_MS, FILE_FULL_WARNING } from './stats-v2.js';
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
export type {
  AnyFieldDef,
  BoolOptions,
  CounterOptions,
  FieldDef,
  FieldOptions,
  Format,
  GaugeOptions,
  HandleOf,
  HistogramOptions,
  InfoOptions,
  InfoValue,
  MovingAverageOptions,
  StaticOptions,
  StringOptions,
  TextOptions,
  TimerOptions,
  V1Def,
  V2Def,
  V2FieldSpec,
  WindowOptions,
} from './fields.js';
export { FieldHandle } from './handle.js';
export { RecordHandle } from './handle-v2.js';
export { CounterField } from './counter.js';
export { AverageField, MovingAverageField, TimerField } from './averages.js';
export { monotonicSeconds } from './stopwatch.js';
export type { Clock } from './stopwatch.js';
export { BoolField, ByteField, DoubleField, FloatField, GaugeField, IntField, ShortField, UInt64Field, UIntField, UShortField } from './scalars.js';
export { StringField } from './text.js';
export { StaticField } from './statics.js';
export type { Lazy } from './statics.js';
export { BigCounterV2, BoolV2, CounterV2, GaugeV2, InfoV2, IntGaugeV2, MovingAverageV2, NarrowGaugeV2 } from './scalars-v2.js';
export type { InfoEncoding } from './scalars-v2.js';
export { AverageV2, HistogramV2, TextV2, TimerV2, WindowV2, unixSeconds } from './composites-v2.js';
export { systemFields, systemFieldsV2 } from './system-fields.js';
export { DEFAULT_FILENAME, expandTemplate } from './templates.js';
export type { TemplateValues } from './templates.js';
export { osThreadId } from './thread-id.js';
export { PAGE_SIZE } from './stats-file.js';
export { REJECTED_VALUE_WARNING, REJECTED_VALUES_LABEL } from './rejected-values.js';
export { UNSAFE_DEFAULT_DIRECTORY_WARNING } from './default-directory.js';
export { MmstatsError, ErrorCodes, isMmstatsError } from '@mmstats/format';
export type { ErrorCode, ErrorName, HistogramParams, V2MergeName, V2RecordLayout, WindowStats } from '@mmstats/format';
