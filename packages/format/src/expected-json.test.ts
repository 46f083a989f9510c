import test from 'ava';
import { fromJsonValue, toJsonV2Value, toJsonValue } from './expected-json.js';
import { parseV1Type, type V1Type } from './v1/types.js';

const type = (signature: string): V1Type => {
  const parsed = parseV1Type(signature);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
};

test('integers that JSON numbers hold exactly stay numbers; larger ones become decimal strings', (t) => {
  t.is(toJsonValue(42n), 42);
  t.is(toJsonValue(2n ** 53n - 1n), 9007199254740991);
  t.is(toJsonValue(2n ** 53n), '9007199254740992');
  t.is(toJsonValue(-(2n ** 63n)), '-9223372036854775808');
  t.is(toJsonValue(-9001), -9001);
});

test('non-finite floats become strings; other values pass through', (t) => {
  t.is(toJsonValue(Number.NaN), 'NaN');
  t.is(toJsonValue(Infinity), 'Infinity');
  t.is(toJsonValue(-Infinity), '-Infinity');
  t.is(toJsonValue(0.125), 0.125);
  t.is(toJsonValue(true), true);
  t.is(toJsonValue('NaN'), 'NaN');
});

test('the JSON form reads back to the value, by type', (t) => {
  t.is(fromJsonValue('18446744073709551615', type('Q')), 18446744073709551615n);
  t.is(fromJsonValue(7, type('Q')), 7n);
  t.is(fromJsonValue(7, type('I')), 7);
  t.true(Number.isNaN(fromJsonValue('NaN', type('d')) as number));
  t.is(fromJsonValue('NaN', type('8s')), 'NaN');
  t.throws(() => fromJsonValue('NaN', type('Q')), { instanceOf: TypeError });
  t.throws(() => fromJsonValue(1.5, type('i')), { instanceOf: TypeError });
});

test('v2 composite values: only non-zero buckets, only used slots', (t) => {
  t.deepEqual(toJsonV2Value({ sum: 1.5, count: 2 }), { sum: 1.5, count: 2 });
  const params = { k: 0, minExp: 0, maxExp: 2 };
  t.deepEqual(toJsonV2Value({ params, count: 2, sum: 4, min: 1, max: 3, buckets: Float64Array.of(0, 1, 1, 0) }), {
    count: 2, sum: 4, min: 1, max: 3, buckets: { 1: 1, 2: 1 },
  });
  t.deepEqual(toJsonV2Value({ slotMillis: 1000, slots: [{ start: 0, count: 0, sum: 0 }, { start: 5, count: 1, sum: Number.NaN }] }), {
    slot_ms: 1000, slots: [{ slot: 1, start: 5, count: 1, sum: 'NaN' }],
  });
  t.is(toJsonV2Value(2n ** 64n - 1n), '18446744073709551615');
  t.is(toJsonV2Value('text'), 'text');
});
