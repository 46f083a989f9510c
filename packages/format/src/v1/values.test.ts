import test from 'ava';
import { planV1Layout, writeV1Headers } from './layout.js';
import { statsBytes } from '../common/bytes.js';
import { readV1Value, v1ReadOffset, writeV1Value } from './values.js';

function counterFile() {
  const layout = planV1Layout([{ label: 'hits', type: 'Q', buffered: true }]);
  if (!layout.ok) throw layout.error;
  const file = statsBytes(new Uint8Array(64));
  writeV1Headers(file.bytes, layout.value);
  return { file, field: layout.value.fields[0]! };
}

test('a buffered write goes into buffers[w], then w flips and readers read it', (t) => {
  const { file, field } = counterFile();
  t.is(file.bytes[field.writeBufferOffset], 0);
  t.is(readV1Value(file, field), 0n);

  writeV1Value(file, field, 41n);
  t.is(file.bytes[field.writeBufferOffset], 1);
  t.is(v1ReadOffset(file.bytes, field), field.valueOffset); // buffer 0
  t.is(readV1Value(file, field), 41n);

  writeV1Value(file, field, 42n);
  t.is(file.bytes[field.writeBufferOffset], 0);
  t.is(v1ReadOffset(file.bytes, field), field.valueOffset + 8); // buffer 1
  t.is(readV1Value(file, field), 42n);
});

test('a reader never reads the buffer being written', (t) => {
  const { file, field } = counterFile();
  writeV1Value(file, field, 7n);
  // The next write goes to buffer 1: scribble on it as a half-done write would.
  file.bytes.fill(0xff, field.valueOffset + 8, field.valueOffset + 16);
  t.is(readV1Value(file, field), 7n);
});

test('an unbuffered field is written in place and keeps write_buffer 0xff', (t) => {
  const layout = planV1Layout([{ label: 'pid', type: 'I', buffered: false }]);
  if (!layout.ok) return t.fail(layout.error.message);
  const file = statsBytes(new Uint8Array(32));
  writeV1Headers(file.bytes, layout.value);
  const field = layout.value.fields[0]!;
  writeV1Value(file, field, 1234);
  t.is(file.bytes[field.writeBufferOffset], 0xff);
  t.is(readV1Value(file, field), 1234);
});
