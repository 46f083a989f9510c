// An independent decoder of the protobuf `/metrics` answer: protobufjs with client_model's
// metrics.proto (test-fixtures/client-model-metrics.proto), so that the tests check mmash's
// encoder against the schema, not against itself.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const root = protobuf.loadSync(fileURLToPath(new URL('../test-fixtures/client-model-metrics.proto', import.meta.url)));

/** client_model's `MetricFamily` type, for tests that decode other messages of the schema. */
export const clientModel = {
  MetricFamily: root.lookupType('io.prometheus.client.MetricFamily'),
  Histogram: root.lookupType('io.prometheus.client.Histogram'),
};

/** A decoded `LabelPair`. */
export interface DecodedLabel {
  name: string;
  value: string;
}

/** A decoded `BucketSpan`. */
export interface DecodedSpan {
  offset?: number;
  length?: number;
}

/** A decoded `Histogram` (64-bit integers as numbers; fields not sent are absent). */
export interface DecodedHistogram {
  sampleCount?: number;
  sampleCountFloat?: number;
  sampleSum?: number;
  bucket: { cumulativeCount?: number; cumulativeCountFloat?: number; upperBound?: number }[];
  schema?: number;
  zeroThreshold?: number;
  zeroCount?: number;
  zeroCountFloat?: number;
  negativeSpan: DecodedSpan[];
  negativeDelta: number[];
  negativeCount: number[];
  positiveSpan: DecodedSpan[];
  positiveDelta: number[];
  positiveCount: number[];
}

/** A decoded `Metric`. */
export interface DecodedMetric {
  label: DecodedLabel[];
  gauge?: { value?: number };
  counter?: { value?: number };
  summary?: { sampleCount?: number; sampleSum?: number };
  untyped?: { value?: number };
  histogram?: DecodedHistogram;
}

/** A decoded `MetricFamily`, its type by name (`COUNTER`, `GAUGE`, `SUMMARY`, `HISTOGRAM`, …). */
export interface DecodedFamily {
  name: string;
  help: string;
  type: string;
  metric: DecodedMetric[];
}

const options = { longs: Number, enums: String, arrays: true } as const;

/** Decodes one `Histogram` message. */
export function decodeHistogram(bytes: Uint8Array): DecodedHistogram {
  return clientModel.Histogram.toObject(clientModel.Histogram.decode(bytes), options) as unknown as DecodedHistogram;
}

/** Decodes a varint-length-delimited stream of `MetricFamily` messages, to its end. */
export function decodeMetricFamilies(bytes: Uint8Array): DecodedFamily[] {
  const reader = protobuf.Reader.create(bytes);
  const families: DecodedFamily[] = [];
  while (reader.pos < reader.len) {
    const family = clientModel.MetricFamily.decodeDelimited(reader);
    families.push(clientModel.MetricFamily.toObject(family, options) as unknown as DecodedFamily);
  }
  return families;
}
