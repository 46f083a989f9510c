import test from 'ava';
import { parseV1Type, type V1Type } from '@mmstats/format';
import { defaultKind, kindOf } from './field-kinds.js';

function type(signature: string): V1Type {
  const parsed = parseV1Type(signature);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

test("a buffered unsigned 64-bit field (Python's Counter, our counter()) is a counter by default", (t) => {
  t.is(defaultKind({ buffered: true, valueType: type('Q') }), 'counter');
  t.is(defaultKind({ buffered: true, valueType: type('L') }), 'counter');
});

test('everything else is a gauge: static (unbuffered) Q, signed and narrower integers, floats, bools, strings', (t) => {
  t.is(defaultKind({ buffered: false, valueType: type('Q') }), 'gauge');
  t.is(defaultKind({ buffered: true, valueType: type('q') }), 'gauge');
  t.is(defaultKind({ buffered: true, valueType: type('I') }), 'gauge');
  t.is(defaultKind({ buffered: true, valueType: type('d') }), 'gauge');
  t.is(defaultKind({ buffered: false, valueType: type('?') }), 'gauge');
  t.is(defaultKind({ buffered: false, valueType: type('16s') }), 'gauge');
});

test('--gauge and --counter override the guess, by the name as typed or by the full label', (t) => {
  const q = { buffered: true, valueType: type('Q') };
  const d = { buffered: true, valueType: type('d') };
  t.is(kindOf('queue', 'app.queue', q, { gauges: ['queue'] }), 'gauge');
  t.is(kindOf('queue', 'app.queue', q, { gauges: ['app.queue'] }), 'gauge');
  t.is(kindOf('bytes', 'app.bytes', d, { counters: ['bytes'] }), 'counter');
  t.is(kindOf('x', 'app.x', q, { counters: ['x'], gauges: ['x'] }), 'gauge');
  t.is(kindOf('other', 'app.other', q, { gauges: ['queue'] }), 'counter');
});
