import test from 'ava';
import { ASCII_LEVELS, sparkline } from './sparkline.js';

test('each sample is as tall as it is between zero (or the lowest) and the highest shown', (t) => {
  t.is(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8), '▁▂▃▄▅▆▇█');
  t.is(sparkline([-2, 0, 2], 3), '▁▅█');
  t.is(sparkline([5, 10], 2), '▅█', 'the baseline is zero: 5 of 10 is half height');
});

test('the newest sample is at the right edge: older ones are cut, a short history is padded on the left', (t) => {
  t.is(sparkline([9, 0, 7], 2), '▁█');
  t.is(sparkline([1], 4), '   █');
  t.is(sparkline([], 3), '   ');
  t.is(sparkline([1, 2], 0), '');
});

test('a tick without a value is a gap; a flat line stays flat; ASCII levels for other locales', (t) => {
  t.is(sparkline([4, undefined, 4], 3), '█ █');
  t.is(sparkline([0, 0, 0], 3), '▁▁▁');
  t.is(sparkline([3, 3], 2), '██', 'a steady rate is a full bar, not an idle one');
  t.is(sparkline([0, 1, 7], 3, ASCII_LEVELS), '_.#');
});
