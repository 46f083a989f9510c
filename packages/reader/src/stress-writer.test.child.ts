/**
 * The writer process of the cross-process stress tests (stress.test.ts): a raw v1 or v2
 * writer over a shared mapping, in its own process so that reader and writer really are two
 * processes on two cores. Usage: `node stress-writer.test.child.js MODE PATH STOP_FILE [ARG]`.
 * It prints `ready` once the file is complete, and one JSON line with what it did at the end.
 *
 * - `torn-v2`: hammers a histogram (integers 1..1000) and an average (always adds 1) until
 *   STOP_FILE exists;
 * - `torn-v1`: hammers a buffered `Q` written as two u32 halves that must agree
 *   (k × (2^32 + 1)), and two buffered fields `sum` (d) and `count` (Q) that must be equal;
 * - `runtime`: adds 1000 records one by one, about a millisecond apart, with their values;
 * - `percentiles`: observes the 20 000 values of distribution number ARG into a histogram.
 *
 * @internal
 * @module
 */
import { existsSync } from 'node:fs';
import { V2_HEADER_OFFSETS, addV2Average, observeV2Histogram, writeV1Value, writeV2Scalar } from '@mmstats/format';
import { PERCENTILE_DISTRIBUTIONS, createV1File, createV2File, runtimeSpec, sampleValues } from './raw-writer.test.util.js';

const [mode, path, stopFile, arg] = process.argv.slice(2) as [string, string, string, string | undefined];
/** A writer never outlives a test that forgot it: it stops by itself after this. */
const hardDeadline = Date.now() + 120_000;
const stop = (): boolean => existsSync(stopFile) || Date.now() > hardDeadline;
const sleep = new Int32Array(new SharedArrayBuffer(4));

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

switch (mode) {
  case 'torn-v2': {
    const raw = createV2File(path, 65536, [
      { label: 'stress.hist', kind: 'histogram' },
      { label: 'stress.avg', kind: 'average' },
    ]);
    const hist = raw.records.get('stress.hist')!;
    const avg = raw.records.get('stress.avg')!;
    say('ready');
    let ops = 0;
    do {
      for (let j = 0; j < 4096; j++) {
        ops++;
        observeV2Histogram(raw.file, hist, 1 + (ops % 1000));
        addV2Average(raw.file, avg, 1);
      }
    } while (!stop());
    say(JSON.stringify({ ops }));
    break;
  }
  case 'torn-v1': {
    const raw = createV1File(path, 4096, [
      { label: 'stress.q', type: 'Q', buffered: true },
      { label: 'stress.sum', type: 'd', buffered: true },
      { label: 'stress.count', type: 'Q', buffered: true },
    ]);
    const [q, sum, count] = raw.layout.fields as [typeof raw.layout.fields[0], typeof raw.layout.fields[0], typeof raw.layout.fields[0]];
    const { bytes, view } = raw.file;
    say('ready');
    let k = 0;
    do {
      for (let j = 0; j < 4096; j++) {
        k = (k + 1) >>> 0;
        // A v1 writer's u64 store as two u32 halves (the cheap way, shared/guides/toolchain.md),
        // into buffers[w], then the flip (spec/format-v1.md#buffering).
        const w = bytes[q.writeBufferOffset]! & 1;
        const at = q.valueOffset + 8 * w;
        view.setUint32(at, k, true);
        view.setUint32(at + 4, k, true);
        bytes[q.writeBufferOffset] = w ^ 1;
        writeV1Value(raw.file, sum, k);
        writeV1Value(raw.file, count, BigInt(k));
      }
    } while (!stop());
    say(JSON.stringify({ ops: k }));
    break;
  }
  case 'runtime': {
    const raw = createV2File(path, 262144, [{ label: 'rt.start', kind: 'counter' }]);
    say('ready');
    for (let i = 0; i < 1000 && !stop(); i++) {
      const record = raw.add(runtimeSpec(i));
      const v = i + 1;
      if (record.encodingName === 'average') addV2Average(raw.file, record, v);
      else if (record.encodingName === 'histogram') observeV2Histogram(raw.file, record, v);
      else writeV2Scalar(raw.file, record, v);
      if (i % 2 === 1) Atomics.wait(sleep, 0, 0, 1);
    }
    const count = Atomics.load(raw.file.i32, V2_HEADER_OFFSETS.recordCount >> 2);
    say(JSON.stringify({ records: count }));
    break;
  }
  case 'percentiles': {
    const index = Number(arg);
    const raw = createV2File(path, 65536, [
      { label: 'latency', kind: 'timer', unit: 'seconds', help: 'request latency' },
      { label: 'requests', kind: 'counter' },
    ]);
    const latency = raw.records.get('latency')!;
    const requests = raw.records.get('requests')!;
    say('ready');
    const values = sampleValues(PERCENTILE_DISTRIBUTIONS[index]!, 1000 + index, 20_000);
    for (const v of values) observeV2Histogram(raw.file, latency, v);
    writeV2Scalar(raw.file, requests, values.length);
    say(JSON.stringify({ observed: values.length }));
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
