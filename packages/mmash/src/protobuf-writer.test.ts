// The protobuf wire writer, checked by decoding what it writes with protobufjs.
import test from 'ava';
import protobuf from 'protobufjs';
import { ProtobufWriter } from './protobuf-writer.js';

test('varints of every size, up to 2^64 - 1, read back as written', (t) => {
  const values = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 35 + 5, Number.MAX_SAFE_INTEGER, 2 ** 63, 2 ** 64 - 2 ** 11];
  const out = new ProtobufWriter(1);
  for (const value of values) out.uint(1, value);
  const reader = protobuf.Reader.create(out.bytes);
  for (const value of values) {
    t.is(reader.uint32() >>> 3, 1);
    t.is(BigInt(reader.uint64().toString()), BigInt(value));
  }
  t.is(reader.pos, reader.len);
});

test('zigzag integers, doubles and strings', (t) => {
  const ints = [0, -1, 1, -64, 64, -(2 ** 31), 2 ** 40, -(2 ** 52) + 1, 2 ** 52, -(2 ** 53), 2 ** 62];
  const out = new ProtobufWriter();
  for (const value of ints) out.sint(2, value);
  out.double(3, -0.1);
  out.double(4, Infinity);
  out.string(5, 'π "a"\n');
  const reader = protobuf.Reader.create(out.bytes);
  for (const value of ints) {
    t.is(reader.uint32(), (2 << 3) | 0);
    t.is(BigInt(reader.sint64().toString()), BigInt(value));
  }
  t.is(reader.uint32(), (3 << 3) | 1);
  t.is(reader.double(), -0.1);
  t.is(reader.uint32(), (4 << 3) | 1);
  t.is(reader.double(), Infinity);
  t.is(reader.uint32(), (5 << 3) | 2);
  t.is(reader.string(), 'π "a"\n');
});

test('nested messages get their tag and length when they end; field 0 writes a delimited record', (t) => {
  const out = new ProtobufWriter(8);
  const record = out.begin();
  const inner = out.begin();
  out.string(1, 'x'.repeat(200)); // a length of two varint bytes
  out.end(inner, 4);
  out.uint(2, 7);
  out.end(record, 0);
  out.uint(9, 1);
  const reader = protobuf.Reader.create(out.bytes);
  const length = reader.uint32();
  const end = reader.pos + length;
  t.is(reader.uint32(), (4 << 3) | 2);
  const inside = protobuf.Reader.create(reader.bytes());
  t.is(inside.uint32(), (1 << 3) | 2);
  t.is(inside.string(), 'x'.repeat(200));
  t.is(reader.uint32(), (2 << 3) | 0);
  t.is(reader.uint32(), 7);
  t.is(reader.pos, end);
  t.is(reader.uint32(), (9 << 3) | 0);
  t.is(reader.uint32(), 1);
  t.is(reader.pos, reader.len);
});
