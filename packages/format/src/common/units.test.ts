import test from 'ava';
import { prometheusUnit, ucumUnit } from './units.js';

test('UCUM units become the words OpenTelemetry puts at the end of Prometheus names', (t) => {
  t.is(prometheusUnit('s'), 'seconds');
  t.is(prometheusUnit('ms'), 'milliseconds');
  t.is(prometheusUnit('By'), 'bytes');
  t.is(prometheusUnit('KiBy'), 'kibibytes');
  t.is(prometheusUnit('%'), 'percent');
  t.is(prometheusUnit('By/s'), 'bytes_per_second');
  t.is(prometheusUnit('1/s'), 'per_second');
  t.is(prometheusUnit('m/s'), 'meters_per_second');
});

test('annotations are dropped, and 1 is a ratio only for gauges', (t) => {
  t.is(prometheusUnit('{request}'), '');
  t.is(prometheusUnit('By{packet}'), 'bytes');
  t.is(prometheusUnit('1'), '');
  t.is(prometheusUnit('1', { gauge: true }), 'ratio');
  t.is(prometheusUnit(''), '');
});

test('words are kept: the writer already spells its units so', (t) => {
  for (const word of ['seconds', 'bytes', 'requests', 'ratio', 'widgets']) t.is(prometheusUnit(word), word);
});

test('ucumUnit undoes prometheusUnit and keeps other words as annotations', (t) => {
  for (const ucum of ['s', 'ms', 'By', 'By/s', '1/s', 'Cel']) t.is(ucumUnit(prometheusUnit(ucum)), ucum);
  t.is(ucumUnit('ratio'), '1');
  t.is(ucumUnit('requests'), '{requests}');
  t.is(ucumUnit(''), '');
});
