// Twin info series: each value of a group written once per render.
import test from 'ava';
import { TwinValues } from './info-twins.js';

test('a twin group writes each value once; series without twins always; a new render starts afresh', (t) => {
  const render = new TwinValues();
  t.deepEqual(['a', 'b', 'a'].map((value) => render.first(0, value)), [true, true, false]);
  t.true(render.first(1, 'a'), 'another group has its own values');
  t.deepEqual([render.first(-1, 'a'), render.first(-1, 'a')], [true, true]);
  t.true(new TwinValues().first(0, 'a'));
});
