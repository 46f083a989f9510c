import test from 'ava';
import type { DecodedV2File } from './decode.js';
import { decodeV2 } from './decode.js';
import { setV2Heartbeat, setV2Ready, writeV2Header } from './header.js';
import { histogramQuantile, type HistogramValue } from './histogram.js';
import { mergeV2Files } from './merge.js';
import { appendV2Record, planV2Record, type V2RecordSpec } from './plan.js';
import { addV2Average, observeV2Histogram, writeV2Scalar, writeV2Text } from './values.js';
import { statsBytesV2, type V2StatsBytes } from './views.js';
import type { V2RecordLayout } from './records.js';

/** One writer's file: every record of `specs`, then `fill` sets values. */
function writerFile(heartbeat: number, specs: V2RecordSpec[], fill: (file: V2StatsBytes, records: V2RecordLayout[]) => void): DecodedV2File {
  const file = statsBytesV2(new Uint8Array(65536));
  writeV2Header(file.bytes, { capacity: 65536, fileId: 5n, pid: 1, tid: 1, processStart: 0, created: 10 });
  const records = specs.map((spec) => {
    const plan = planV2Record(spec);
    if (!plan.ok) throw plan.error;
    return appendV2Record(file, plan.value)!;
  });
  setV2Ready(file);
  setV2Heartbeat(file, heartbeat);
  fill(file, records);
  const decoded = decodeV2(file.bytes);
  if (!decoded.ok) throw decoded.error;
  return decoded.value;
}

const specs: V2RecordSpec[] = [
  { label: 'requests', kind: 'counter' },
  { label: 'peak', kind: 'gauge', merge: 'max' },
  { label: 'version', kind: 'text', merge: 'last' },
  { label: 'state', kind: 'text' },
  { label: 'latency', kind: 'timer' },
  { label: 'batch', kind: 'average' },
  { label: 'big', kind: 'counter', encoding: 'u64' },
];

test('records of several files merge by their rules', (t) => {
  const files = [1, 2, 3].map((n) => writerFile(100 + n, specs, (file, [requests, peak, version, state, latency, batch, big]) => {
    writeV2Scalar(file, requests!, n * 10);
    writeV2Scalar(file, peak!, n === 2 ? 99 : n);
    writeV2Text(file, version!, `v${n}`);
    writeV2Text(file, state!, `s${n}`);
    for (let i = 1; i <= 100; i++) observeV2Histogram(file, latency!, (n * 100 + i) / 1000);
    addV2Average(file, batch!, n);
    writeV2Scalar(file, big!, 2n ** 62n);
  }));
  const merged = new Map(mergeV2Files(files).map((m) => [m.label, m]));
  t.is(merged.get('requests')?.value, 60);
  t.is(merged.get('peak')?.value, 99);
  t.is(merged.get('version')?.value, 'v3'); // the latest heartbeat
  t.is(merged.get('state')?.value, undefined); // text with rule none: shown per file
  t.deepEqual(merged.get('state')?.perFile.map((v) => v.value), ['s1', 's2', 's3']);
  t.deepEqual(merged.get('batch')?.value, { sum: 6, count: 3 });
  t.is(merged.get('big')?.value, 3n * 2n ** 62n); // exact beyond 2^53
  const latency = merged.get('latency')?.value as HistogramValue;
  t.is(latency.count, 300);
  const p50 = histogramQuantile(latency, 0.5)!;
  t.true(Math.abs(p50 - 0.25) <= 0.25 / 32, String(p50));
});

test('records that disagree are not merged', (t) => {
  const a = writerFile(1, [{ label: 'x', kind: 'gauge' }], (file, [x]) => writeV2Scalar(file, x!, 1));
  const b = writerFile(2, [{ label: 'x', kind: 'gauge', merge: 'max' }], (file, [x]) => writeV2Scalar(file, x!, 2));
  const [x] = mergeV2Files([a, b]);
  t.is(x?.value, undefined);
  t.regex(x?.notMerged ?? '', /disagree/);
  t.deepEqual(x?.perFile.map((v) => v.value), [1, 2]);
});

test('dimensions keep records apart', (t) => {
  const a = writerFile(1, [{ label: 'x', kind: 'counter', dims: { host: 'a' } }, { label: 'x', kind: 'counter', dims: { host: 'b' } }], (file, [p, q]) => {
    writeV2Scalar(file, p!, 1);
    writeV2Scalar(file, q!, 2);
  });
  t.deepEqual(mergeV2Files([a, a]).map((m) => [m.dims, m.value]), [[[['host', 'a']], 2], [[['host', 'b']], 4]]);
});
