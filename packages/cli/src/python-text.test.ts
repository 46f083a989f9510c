import test from 'ava';
import { pythonFloat, pythonText } from './python-text.js';

test('floats print as Python prints them', (t) => {
  t.is(pythonFloat(2.5), '2.5');
  t.is(pythonFloat(2), '2.0');
  t.is(pythonFloat(-2.75), '-2.75');
  t.is(pythonFloat(0.10000000149011612), '0.10000000149011612');
  t.is(pythonFloat(1795605541.9792109), '1795605541.9792109');
  t.is(pythonFloat(1e16), '1e+16');
  t.is(pythonFloat(123456789012345680), '1.2345678901234568e+17');
  t.is(pythonFloat(1e15), '1000000000000000.0');
  t.is(pythonFloat(0.0001), '0.0001');
  t.is(pythonFloat(0.00001), '1e-05');
  t.is(pythonFloat(-1.5e-7), '-1.5e-07');
  t.is(pythonFloat(1e300), '1e+300');
  t.is(pythonFloat(Number.NaN), 'nan');
  t.is(pythonFloat(-Infinity), '-inf');
  t.is(pythonFloat(-0), '-0.0');
});

test('booleans print as True/False, integers and strings as they are', (t) => {
  t.is(pythonText(true, 'bool'), 'True');
  t.is(pythonText(false, 'bool'), 'False');
  t.is(pythonText(18446744073709551615n, 'uint'), '18446744073709551615');
  t.is(pythonText(-9001, 'int'), '-9001');
  t.is(pythonText(3, 'float'), '3.0');
  t.is(pythonText('héllo', 'string'), 'héllo');
});
