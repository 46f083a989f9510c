import test from 'ava';
import { setV2Ready, writeV2Header } from './header.js';
import { appendV2Record, planV2Record } from './plan.js';
import { addV2Window, readV2Value } from './values.js';
import { statsBytesV2 } from './views.js';
import { mergeWindows, windowPosition, windowStats, type WindowValue } from './window.js';

/** A window after adding `[t, v]` pairs, by the writer's rule (spec/format-v2.md#enc-window). */
function windowOf(adds: readonly (readonly [number, number])[], slots = 60, slotMillis = 1000): WindowValue {
  const window = Array.from({ length: slots }, () => ({ start: 0, count: 0, sum: 0 }));
  for (const [t, v] of adds) {
    const { index, start } = windowPosition(t, slots, slotMillis);
    const slot = window[index]!;
    if (slot.start !== start) Object.assign(slot, { start, count: 0, sum: 0 });
    slot.count += 1;
    slot.sum += v;
  }
  return { slotMillis, slots: window };
}

const now = 1_700_000_100;

test('rate and mean over the last minute, with a fixed clock', (t) => {
  // One value a second for the last 30 s, each worth 2.
  const window = windowOf(Array.from({ length: 30 }, (_, i) => [now - 29 + i, 2] as const));
  const stats = windowStats(window, now + 0.5);
  t.is(stats.count, 30);
  t.is(stats.sum, 60);
  t.is(stats.mean, 2);
  t.is(stats.elapsed, 59.5); // 59 whole slots before the current one, plus 0.5 s of it
  t.is(stats.rate, 30 / 59.5);
});

test('slots older than N slots are stale: a writer that stopped just ages out', (t) => {
  const window = windowOf([[now - 100, 5], [now - 59, 1], [now, 1]]);
  t.like(windowStats(window, now), { count: 2, sum: 2 });
  t.like(windowStats(window, now + 59), { count: 1, sum: 1 });
  t.like(windowStats(window, now + 60), { count: 0, sum: 0, mean: undefined, rate: 0 });
});

test('a slot is reused for a later interval: it is reset first', (t) => {
  const window = windowOf([[now, 1], [now + 60, 10]]); // same slot index, a minute apart
  t.like(windowStats(window, now + 60), { count: 1, sum: 10 });
});

test('slot widths other than a second', (t) => {
  const { index, start } = windowPosition(1000.7, 10, 250);
  t.is(index, 4002 % 10);
  t.is(start, 1000.5);
});

test('merged windows add slots of the same interval; the latest interval wins a slot', (t) => {
  const a = windowOf([[now, 1], [now - 1, 2]]);
  const b = windowOf([[now, 3], [now - 61, 7]]); // now - 61 shares a slot with now - 1
  const merged = mergeWindows([a, b])!;
  t.like(windowStats(merged, now), { count: 3, sum: 6 });
  t.is(mergeWindows([a, windowOf([], 30)]), undefined);
});

test('addV2Window stores what the rule of windowPosition gives, slot by slot', (t) => {
  const file = statsBytesV2(new Uint8Array(4096));
  writeV2Header(file.bytes, { capacity: 4096, fileId: 1n, pid: 1, tid: 1, processStart: 0, created: 0 });
  const plan = planV2Record({ label: 'jobs', kind: 'window', window: { slots: 10, slotMillis: 250 } });
  if (!plan.ok) return t.fail(plan.error.message);
  const record = appendV2Record(file, plan.value)!;
  setV2Ready(file);
  const adds = [[1000.7, 1], [1000.8, 2], [1001.0, 4], [1003.2, 8], [-0.3, 16]] as const;
  for (const [at, v] of adds) addV2Window(file, record, v, at);
  const read = readV2Value(file, record);
  t.deepEqual(read, { ok: true, value: windowOf(adds, 10, 250) });
});
