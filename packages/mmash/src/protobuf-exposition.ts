/**
 * The protobuf answer of `/metrics`: a stream of varint-length-delimited
 * `io.prometheus.client.MetricFamily` messages (prometheus/client_model's metrics.proto), what
 * Prometheus asks for to ingest native histograms. The families, names, labels and values are
 * those of the text exposition ({@link MetricsRenderer}); exponential histograms are native
 * histograms (with the classic buckets of the text format as well).
 *
 * As for text, a set of files is compiled once: every family's name, help and type, and every
 * series' labels, as encoded bytes; a scrape copies them and writes the values.
 *
 * @module
 */
import { isExpHistogramValue, windowStats, type DistributionValue, type WindowValue } from '@mmstats/format';
import type { StatsSnapshot } from '@mmstats/reader';
import { classicBuckets } from './classic-histogram.js';
import type { LabelPair, SampleValue } from './exposition-bytes.js';
import { TwinValues } from './info-twins.js';
import { HISTOGRAM_FIELD, isExactCount, writeNativeHistogram } from './native-histogram.js';
import { ProtobufWriter } from './protobuf-writer.js';

/** client_model's `MetricType` values. */
export const METRIC_TYPE = { counter: 0, gauge: 1, summary: 2, untyped: 3, histogram: 4 } as const;

/** Field numbers of `MetricFamily`, `Metric`, `LabelPair` and the value messages. */
const FAMILY_FIELD = { name: 1, help: 2, type: 3, metric: 4 } as const;
const METRIC_FIELD = { label: 1, gauge: 2, counter: 3, summary: 4, histogram: 7 } as const;
const LABEL_FIELD = { name: 1, value: 2 } as const;
/** `Gauge.value`, `Counter.value`. */
const VALUE_FIELD = 1;
const SUMMARY_FIELD = { sampleCount: 1, sampleSum: 2 } as const;
const BUCKET_FIELD = { cumulativeCount: 1, upperBound: 2, cumulativeCountFloat: 4 } as const;

/** What a series' value is read as. */
export type ProtobufValueKind = 'value' | 'rate' | 'mean' | 'summary' | 'histogram' | 'info';

const KIND_CODE: Readonly<Record<ProtobufValueKind, number>> = { value: 0, rate: 1, mean: 2, summary: 3, histogram: 4, info: 5 };

/** One series of a {@link ProtobufFamily}: its labels and which field of which file it shows. */
export interface ProtobufSeries {
  readonly labels: readonly LabelPair[];
  readonly kind: ProtobufValueKind;
  /** Index of the file (in the order the renderer gives) and of the field in it. */
  readonly file: number;
  readonly field: number;
  /** Info series: the group of series of one file with the same labels, of which a value is written once (−1: none). */
  readonly twins: number;
}

/** A family to encode: its name, HELP text and type, and its series. */
export interface ProtobufFamily {
  readonly name: string;
  readonly help: string;
  readonly type: keyof typeof METRIC_TYPE;
  readonly series: readonly ProtobufSeries[];
}

/** A series whose value is known when it is encoded (the read-error families). */
export interface FixedFamily {
  readonly name: string;
  readonly help: string;
  readonly samples: readonly { readonly labels: readonly LabelPair[]; readonly value: number }[];
}

/** Families compiled to bytes: see {@link compileProtobuf}. */
export interface CompiledProtobuf {
  /** Every family's name, help and type fields, and every series' label fields, encoded. */
  readonly bytes: Buffer;
  /** Per family, four numbers: its header's start and end in `bytes`, its `MetricType`, and its series count. */
  readonly families: Int32Array;
  /** Per series, six numbers: its labels' start and end in `bytes`, value kind, file, field, twins. */
  readonly series: Int32Array;
}

/** Encodes the parts of `families` that stay the same from scrape to scrape. */
export function compileProtobuf(families: readonly ProtobufFamily[]): CompiledProtobuf {
  const out = new ProtobufWriter();
  const familyNumbers = new Int32Array(4 * families.length);
  const seriesCount = families.reduce((n, f) => n + f.series.length, 0);
  const seriesNumbers = new Int32Array(6 * seriesCount);
  let s = 0;
  families.forEach((family, f) => {
    familyNumbers[4 * f] = out.length;
    writeHeader(out, family.name, family.help, METRIC_TYPE[family.type]);
    familyNumbers[4 * f + 1] = out.length;
    familyNumbers[4 * f + 2] = METRIC_TYPE[family.type];
    familyNumbers[4 * f + 3] = family.series.length;
    for (const series of family.series) {
      seriesNumbers[s] = out.length;
      writeLabels(out, series.labels);
      seriesNumbers[s + 1] = out.length;
      seriesNumbers[s + 2] = KIND_CODE[series.kind];
      seriesNumbers[s + 3] = series.file;
      seriesNumbers[s + 4] = series.field;
      seriesNumbers[s + 5] = series.twins;
      s += 6;
    }
  });
  return { bytes: Buffer.from(out.bytes), families: familyNumbers, series: seriesNumbers };
}

/**
 * Writes the families of `compiled` with the current values of `ordered`'s fields (windows
 * evaluated at `now`, Unix seconds), then `fixed`, into `out`: one length-delimited
 * `MetricFamily` each.
 */
export function writeProtobuf(out: ProtobufWriter, compiled: CompiledProtobuf, ordered: readonly StatsSnapshot[], now: number, fixed: readonly FixedFamily[]): void {
  const { bytes, families, series } = compiled;
  const twinValues = new TwinValues();
  let s = 0;
  for (let f = 0; f < families.length; f += 4) {
    const record = out.begin();
    out.raw(bytes.subarray(families[f]!, families[f + 1]!));
    const type = families[f + 2]!;
    for (const end = s + 6 * families[f + 3]!; s < end; s += 6) {
      const value = ordered[series[s + 3]!]!.fields[series[s + 4]!]!.value!;
      const kind = series[s + 2]!;
      const twins = series[s + 5]!;
      if (kind === KIND_CODE.info && !twinValues.first(twins, value as string)) continue;
      const metric = out.begin();
      out.raw(bytes.subarray(series[s]!, series[s + 1]!));
      switch (kind) {
        case KIND_CODE.value:
          writeScalar(out, type, toNumber(value as SampleValue));
          break;
        case KIND_CODE.rate:
          writeScalar(out, type, windowStats(value as WindowValue, now).rate);
          break;
        case KIND_CODE.mean:
          writeScalar(out, type, windowStats(value as WindowValue, now).mean ?? NaN);
          break;
        case KIND_CODE.summary:
          writeSummary(out, value as { sum: number; count: number });
          break;
        case KIND_CODE.histogram:
          writeHistogram(out, value as DistributionValue);
          break;
        case KIND_CODE.info:
          writeLabels(out, [['value', value as string]]);
          writeScalar(out, METRIC_TYPE.gauge, 1);
          break;
      }
      out.end(metric, FAMILY_FIELD.metric);
    }
    out.end(record, 0);
  }
  for (const family of fixed) {
    if (family.samples.length === 0) continue;
    const record = out.begin();
    writeHeader(out, family.name, family.help, METRIC_TYPE.gauge);
    for (const sample of family.samples) {
      const metric = out.begin();
      writeLabels(out, sample.labels);
      writeScalar(out, METRIC_TYPE.gauge, sample.value);
      out.end(metric, FAMILY_FIELD.metric);
    }
    out.end(record, 0);
  }
}

function writeHeader(out: ProtobufWriter, name: string, help: string, type: number): void {
  out.string(FAMILY_FIELD.name, name);
  out.string(FAMILY_FIELD.help, help);
  out.uint(FAMILY_FIELD.type, type);
}

function writeLabels(out: ProtobufWriter, labels: readonly LabelPair[]): void {
  for (const [name, value] of labels) {
    const pair = out.begin();
    out.string(LABEL_FIELD.name, name);
    out.string(LABEL_FIELD.value, value);
    out.end(pair, METRIC_FIELD.label);
  }
}

/** A counter's or gauge's value message. */
function writeScalar(out: ProtobufWriter, type: number, value: number): void {
  const message = out.begin();
  out.double(VALUE_FIELD, value);
  out.end(message, type === METRIC_TYPE.counter ? METRIC_FIELD.counter : METRIC_FIELD.gauge);
}

function writeSummary(out: ProtobufWriter, average: { sum: number; count: number }): void {
  const message = out.begin();
  // Averages count whole values; `sample_count` has no float variant.
  out.uint(SUMMARY_FIELD.sampleCount, Math.max(0, Math.round(average.count)));
  out.double(SUMMARY_FIELD.sampleSum, average.sum);
  out.end(message, METRIC_FIELD.summary);
}

/**
 * A histogram message: the classic buckets of the text format (cumulative, `+Inf` left to
 * `sample_count` as the format allows) and `sample_sum`; an exponential histogram's native
 * fields too ({@link writeNativeHistogram}), else `sample_count`.
 */
function writeHistogram(out: ProtobufWriter, histogram: DistributionValue): void {
  const message = out.begin();
  const { bounds, counts } = classicBuckets(histogram);
  for (let b = 0; b < bounds.length; b++) {
    const bucket = out.begin();
    writeCount(out, BUCKET_FIELD.cumulativeCount, BUCKET_FIELD.cumulativeCountFloat, counts[b]!);
    out.double(BUCKET_FIELD.upperBound, bounds[b]!);
    out.end(bucket, HISTOGRAM_FIELD.bucket);
  }
  out.double(HISTOGRAM_FIELD.sampleSum, histogram.sum);
  if (isExpHistogramValue(histogram)) writeNativeHistogram(out, histogram);
  else writeCount(out, HISTOGRAM_FIELD.sampleCount, HISTOGRAM_FIELD.sampleCountFloat, histogram.count);
  out.end(message, METRIC_FIELD.histogram);
}

/** A count in its integer field when it is exact there ({@link isExactCount}), else in its float one. */
function writeCount(out: ProtobufWriter, integerField: number, floatField: number, count: number): void {
  if (isExactCount(count)) out.uint(integerField, count);
  else out.double(floatField, count);
}

function toNumber(value: SampleValue): number {
  return typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
}
