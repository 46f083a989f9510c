/**
 * `@mmstats/writer`: publish live stats from Node into a memory-mapped file that any mmstats
 * v1 reader (ours, or Python's mmstats 0.8.0 tools) reads while the program runs.
 *
 * Declare a model once, open it (one file per process and thread), then update fields from
 * hot code: each update is a few plain stores into the mapping, with no syscall and no
 * allocation (spec/format-v1.md#buffering).
 *
 * @packageDocumentation
 */
export { defineModel } from './model.js';
export type { FieldDefs, Handles, Model, ModelOptions, Stats } from './model.js';
export { StatsBuilder } from './builder.js';
export type { BuilderOptions } from './builder.js';
export { StatsFile, RESERVED_NAMES } from './stats.js';
export type { FileOptions, FlushOptions, OpenOptions, ReservedName } from './stats.js';
export {
  average,
  bool,
  byte,
  counter,
  double,
  float,
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
  timer,
  uint,
  uint64,
  ushort,
} from './fields.js';
export type { BoolOptions, FieldDef, FieldOptions, MovingAverageOptions, StaticOptions, StringOptions, TimerOptions } from './fields.js';
export { FieldHandle } from './handle.js';
export { CounterField } from './counter.js';
export { AverageField, MovingAverageField, TimerField, monotonicSeconds } from './averages.js';
export type { Clock } from './averages.js';
export { BoolField, ByteField, DoubleField, FloatField, IntField, ShortField, UInt64Field, UIntField, UShortField } from './scalars.js';
export { StringField } from './text.js';
export { StaticField } from './statics.js';
export type { Lazy } from './statics.js';
export { systemFields } from './system-fields.js';
export { DEFAULT_FILENAME, expandTemplate } from './templates.js';
export type { TemplateValues } from './templates.js';
export { osThreadId } from './thread-id.js';
export { PAGE_SIZE } from './stats-file.js';
export { MmstatsError, ErrorCodes, isMmstatsError } from '@mmstats/format';
export type { ErrorCode, ErrorName } from '@mmstats/format';
