import test from 'ava';
import { decodeV2 } from './decode.js';
import { ErrorCodes } from '../common/errors.js';
import { parseV2Header, setV2Ready, writeV2Header } from './header.js';
import { appendV2Record, planV2Record } from './plan.js';
import { walkV2Records } from './records.js';
import { observeV2Histogram, writeV2Scalar } from './values.js';
import { statsBytesV2 } from './views.js';

test('defaults come from the kind table', (t) => {
  const counter = planV2Record({ label: 'requests', kind: 'counter' });
  t.like(counter.ok ? counter.value : {}, { encodingName: 'f64', merge: 1, valueOffset: 56, valueSize: 8, size: 64, params: [0, 0, 0] });
  const timer = planV2Record({ label: 'latency', kind: 'timer', unit: 'seconds' });
  t.like(timer.ok ? timer.value : {}, { encodingName: 'histogram', params: [4, -30, 34], valueSize: 40 + 8 * 1026 });
  const window = planV2Record({ label: 'jobs', kind: 'window' });
  t.like(window.ok ? window.value : {}, { params: [60, 0, 1000], valueSize: 8 + 24 * 60 });
  const text = planV2Record({ label: 'state', kind: 'text' });
  t.like(text.ok ? text.value : {}, { merge: 0, params: [256, 0, 0], valueSize: 8 + 256 });
});

test('dimensions are stored sorted by key bytes', (t) => {
  const plan = planV2Record({ label: 'x', kind: 'gauge', dims: { zone: 'a', host: 'b' } });
  t.deepEqual(plan.ok ? plan.value.dims : [], [['host', 'b'], ['zone', 'a']]);
});

test('what a writer may not declare is INVALID_FIELD', (t) => {
  const code = (spec: Parameters<typeof planV2Record>[0]) => {
    const plan = planV2Record(spec);
    return plan.ok ? undefined : plan.error.code;
  };
  t.is(code({ label: '', kind: 'counter' }), ErrorCodes.INVALID_FIELD);
  t.is(code({ label: 'x', kind: 'counter', encoding: 'text' }), ErrorCodes.INVALID_FIELD);
  t.is(code({ label: 'x', kind: 'histogram', histogram: { k: 9, minExp: 0, maxExp: 1 } }), ErrorCodes.INVALID_FIELD);
  t.is(code({ label: 'x', kind: 'window', window: { slots: 0, slotMillis: 1000 } }), ErrorCodes.INVALID_FIELD);
  t.is(code({ label: 'x', kind: 'gauge', dims: [['a', '1'], ['a', '2']] }), ErrorCodes.INVALID_FIELD);
  t.is(code({ label: 'x', kind: 'gauge', dims: { '': '1' } }), ErrorCodes.INVALID_FIELD);
  t.is(code({ label: 'x'.repeat(70000), kind: 'gauge' }), ErrorCodes.INVALID_FIELD);
});

test('a file written with the primitives decodes to what was written', (t) => {
  const file = statsBytesV2(new Uint8Array(16384));
  writeV2Header(file.bytes, { capacity: 16384, fileId: 99n, pid: 12, tid: 13n, processStart: 1, created: 2 });
  const add = (spec: Parameters<typeof planV2Record>[0]) => {
    const plan = planV2Record(spec);
    if (!plan.ok) throw plan.error;
    return appendV2Record(file, plan.value)!;
  };
  const count = add({ label: 'count', kind: 'counter', encoding: 'u64', help: 'how many' });
  const latency = add({ label: 'latency', kind: 'timer', unit: 'seconds', dims: { route: '/' } });
  setV2Ready(file);
  writeV2Scalar(file, count, 2n ** 64n - 1n);
  observeV2Histogram(file, latency, 0.25);
  observeV2Histogram(file, latency, 0.5);
  const decoded = decodeV2(file.bytes);
  if (!decoded.ok) return t.fail(decoded.error.message);
  const [c, l] = decoded.value.records;
  t.is(c?.value, 2n ** 64n - 1n);
  t.like(l, { label: 'latency', unit: 'seconds', kindName: 'timer', dims: [['route', '/']] });
  t.like(l?.value as object, { count: 2, sum: 0.75, min: 0.25, max: 0.5 });
  t.like(decoded.value.header, { pid: 12, tid: 13n, fileId: 99n, recordCount: 2 });
});

test('the layout a writer gets back is the one a reader walks', (t) => {
  const file = statsBytesV2(new Uint8Array(65536));
  writeV2Header(file.bytes, { capacity: 65536, fileId: 3n, pid: 1, tid: 1, processStart: 0, created: 0 });
  const specs: Parameters<typeof planV2Record>[0][] = [
    { label: 'c', kind: 'counter' },
    { label: 'g', kind: 'gauge', encoding: 'i64', merge: 'max', unit: 'bytes', dims: { b: '2', a: '1' } },
    { label: 'v', kind: 'info', encoding: 'text', merge: 'last', help: 'version' },
    { label: 'h', kind: 'histogram', merge: 'avg', histogram: { k: 2, minExp: -3, maxExp: 5 } },
    { label: 'w', kind: 'window', merge: 'min', window: { slots: 10, slotMillis: 250 } },
    { label: 'a', kind: 'average' },
  ];
  const written = specs.map((spec) => {
    const plan = planV2Record(spec);
    if (!plan.ok) throw plan.error;
    return appendV2Record(file, plan.value)!;
  });
  setV2Ready(file);
  const header = parseV2Header(file.bytes);
  if (!header.ok) return t.fail(header.error.message);
  const walk = walkV2Records(file, header.value);
  if (!walk.ok) return t.fail(walk.error.message);
  t.deepEqual(written, [...walk.value.records]);
  t.deepEqual(written.map((r) => [r.kindName, r.mergeName]), [['counter', 'sum'], ['gauge', 'max'], ['info', 'last'], ['histogram', 'avg'], ['window', 'min'], ['average', 'sum']]);
});
