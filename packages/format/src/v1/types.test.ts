import test from 'ava';
import { parseV1Type, readV1Scalar, writeV1Scalar, type V1Type } from './types.js';

function type(signature: string): V1Type {
  const parsed = parseV1Type(signature);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

test('every scalar code has the native 64-bit Linux size of Python struct', (t) => {
  const sizes = Object.fromEntries([...'bB?hHiIlLqQfd'].map((code) => [code, type(code).size]));
  t.deepEqual(sizes, { b: 1, B: 1, '?': 1, h: 2, H: 2, i: 4, I: 4, l: 8, L: 8, q: 8, Q: 8, f: 4, d: 8 });
});

test('a string signature is a byte count then "s"; a bare "s" is one byte', (t) => {
  t.like(type('256s'), { code: 's', size: 256, kind: 'string' });
  t.like(type('s'), { code: 's', size: 1 });
  t.like(type('0s'), { code: 's', size: 0 });
});

test('signatures that are not one v1 field are rejected with their own codes', (t) => {
  const codeOf = (signature: string) => {
    const parsed = parseV1Type(signature);
    return parsed.ok ? 'ok' : parsed.error.code;
  };
  t.is(codeOf('x'), 'MMSTATS-E005');
  t.is(codeOf('e'), 'MMSTATS-E005');
  t.is(codeOf('3x'), 'MMSTATS-E005');
  t.is(codeOf('2\n'), 'MMSTATS-E005');
  t.is(codeOf(''), 'MMSTATS-E006');
  t.is(codeOf('QQ'), 'MMSTATS-E006');
  t.is(codeOf('2Q'), 'MMSTATS-E006');
  t.is(codeOf('<Q'), 'MMSTATS-E006');
  t.is(codeOf('16'), 'MMSTATS-E006');
});

function roundTrip(signature: string, value: Parameters<typeof writeV1Scalar>[4]) {
  const bytes = new Uint8Array(32);
  const view = new DataView(bytes.buffer);
  writeV1Scalar(bytes, view, 3, type(signature), value);
  return readV1Scalar(bytes, view, 3, type(signature));
}

test('integers wrap modulo 2^bits as Python ctypes does', (t) => {
  t.is(roundTrip('I', -100), 4294967196);
  t.is(roundTrip('B', 256 + 7), 7);
  t.is(roundTrip('h', 40000), 40000 - 65536);
  t.is(roundTrip('Q', -1n), 18446744073709551615n);
  t.is(roundTrip('Q', 2n ** 64n + 5n), 5n);
  t.is(roundTrip('q', 2n ** 63n), -(2n ** 63n));
  t.is(roundTrip('i', 2.9), 2);
  t.is(roundTrip('Q', 1e20), BigInt(1e20) % 2n ** 64n);
});

test('floats keep NaN and infinities; f stores single precision', (t) => {
  t.true(Number.isNaN(roundTrip('d', Number.NaN)));
  t.is(roundTrip('d', -Infinity), -Infinity);
  t.is(roundTrip('f', 0.1), Math.fround(0.1));
});

test('strings are cut at a UTF-8 character boundary and end at the first NUL', (t) => {
  t.is(roundTrip('4s', 'abcdef'), 'abcd');
  t.is(roundTrip('4s', 'aé€'), 'aé'); // é is 2 bytes, € would need 3 more
  t.is(roundTrip('8s', 'x\u0000y'), 'x');
});

test('a shorter string over a longer one reads back as the shorter one', (t) => {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  writeV1Scalar(bytes, view, 0, type('8s'), 'longer!');
  writeV1Scalar(bytes, view, 0, type('8s'), 'xy');
  t.is(readV1Scalar(bytes, view, 0, type('8s')), 'xy');
  // Like the Python writer, only one NUL is written: the old tail stays behind it.
  t.deepEqual([...bytes.subarray(0, 4)], [0x78, 0x79, 0, 0x67]);
});
