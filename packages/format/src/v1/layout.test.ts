import test from 'ava';
import { fixtureBytes, validFixtures } from '@mmstats/fixtures';
import { parseV1Layout, planV1Layout, writeV1Headers } from './layout.js';

for (const fixture of validFixtures('v1/python-0.8.0')) {
  test(`planning ${fixture.name}'s fields reproduces the Python layout byte for byte`, (t) => {
    const python = fixtureBytes(fixture);
    const plan = planV1Layout(fixture.fields.map((f) => ({ label: f.label, type: f.type, buffered: f.write_buffer !== 255 })));
    if (!plan.ok) return t.fail(plan.error.message);
    t.deepEqual(
      plan.value.fields.map((f) => [f.offset, f.valueOffset, f.size]),
      fixture.fields.map((f) => [f.offset, f.value_offset, f.size]),
    );
    // Everything but the values and the write-buffer state is what Python wrote.
    const ours = new Uint8Array(python.length);
    writeV1Headers(ours, plan.value);
    for (const field of plan.value.fields) {
      const wanted = python.subarray(field.offset, field.writeBufferOffset);
      const found = ours.subarray(field.offset, field.writeBufferOffset);
      t.deepEqual(found, wanted, `record header of ${field.label}`);
    }
    t.is(ours[0], python[0]);
  });
}

test('parsing a layout reads no values: it gives where each field lives', (t) => {
  const [fixture] = validFixtures('v1/python-0.8.0').filter((f) => f.name === 'webstats');
  const layout = parseV1Layout(fixtureBytes(fixture!));
  if (!layout.ok) return t.fail(layout.error.message);
  const first = layout.value.fields[0]!;
  t.like(first, { offset: 1, label: 'web.stats.status.2XX', type: 'Q', buffered: true, valueOffset: 27, size: 42 });
  t.is(first.writeBufferOffset, 26);
  t.is(layout.value.end, fixture!.fields.reduce((end, f) => Math.max(end, f.offset + f.size), 0));
});

test('a label longer than a u16 can say is refused when planning', (t) => {
  const plan = planV1Layout([{ label: 'x'.repeat(70000), type: 'Q', buffered: true }]);
  t.false(plan.ok);
  if (!plan.ok) t.is(plan.error.code, 'MMSTATS-E004');
});
