#!/usr/bin/env node
// Writes the hand-made fixtures: fixtures/invalid/ (files every reader must reject, each with
// the error code it must give) and fixtures/v1/edge/ (valid files at the edges of the rules).
//
// The bytes are spelled out here by hand, byte table in hand (spec/format-v1.md), and on
// purpose do not use @mmstats/format: a fixture made by the code it tests proves nothing.
// Run `node scripts/make-handmade-fixtures.mjs` after changing a case; commit the output.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const PAGE = 4096;

const u16 = (n) => [n & 0xff, n >> 8];
const utf8 = (s) => [...Buffer.from(s, 'utf8')];
const u64le = (n) => [...Buffer.from(new BigUint64Array([BigInt(n)]).buffer)];

/** One v1 record: label_sz | label | type_sz | type | write_buffer | value bytes. */
function record(label, type, writeBuffer, value) {
  const l = typeof label === 'string' ? utf8(label) : label;
  const t = utf8(type);
  return [...u16(l.length), ...l, ...u16(t.length), ...t, writeBuffer, ...value];
}

/** A file: version byte 0x01, the records, zero-filled to `size` (default: whole pages). */
function file(records, { version = 0x01, size } = {}) {
  const body = [version, ...records.flat()];
  const total = size ?? Math.ceil(body.length / PAGE) * PAGE;
  const bytes = new Uint8Array(total);
  bytes.set(body.slice(0, total));
  return bytes;
}

// A buffered counter that has been written once: buffer 0 = 7, write_buffer flipped to 1.
const counter = record('counter', 'Q', 1, [...u64le(7), ...u64le(0)]);
// Offsets inside `counter` when it starts at byte 1 (see spec/format-v1.md#field-record).
const cut = { labelSz: 2, label: 5, typeSz: 11, type: 12, writeBuffer: 13, buffer0: 18, buffer1: 26 };

const invalid = [
  ['empty', new Uint8Array(0), 'MMSTATS-E001', 'a file of zero bytes'],
  ['all-zeros', new Uint8Array(PAGE), 'MMSTATS-E002', 'a page of zeros: version byte 0x00'],
  ['text-file', new Uint8Array(utf8('label value\nthis is a text file, not a stats file\n')), 'MMSTATS-E002', 'a text file: version byte 0x6c ("l")'],
  ['version-3', file([counter], { version: 0x03 }), 'MMSTATS-E002', 'a good v1 body behind version byte 0x03'],
  ['cut-in-label-sz', file([counter], { size: cut.labelSz }), 'MMSTATS-E003', 'the file ends after the first byte (0x07) of label_sz'],
  ['cut-in-label', file([counter], { size: cut.label }), 'MMSTATS-E004', 'label_sz 7, but only 2 label bytes before the end'],
  ['cut-in-type-sz', file([counter], { size: cut.typeSz }), 'MMSTATS-E003', 'the file ends after one byte of type_sz'],
  ['cut-before-type', file([counter], { size: cut.type }), 'MMSTATS-E004', 'type_sz 1, but the file ends before the type'],
  ['cut-before-write-buffer', file([counter], { size: cut.writeBuffer }), 'MMSTATS-E003', 'the file ends before the write_buffer byte'],
  ['cut-in-buffer-0', file([counter], { size: cut.buffer0 }), 'MMSTATS-E003', 'the file ends inside the first value buffer'],
  ['cut-in-buffer-1', file([counter], { size: cut.buffer1 }), 'MMSTATS-E003', 'the file ends inside the second value buffer'],
  ['cut-in-second-record', file([counter, record('gauge', 'd', 0xff, [0, 0, 0])], { size: 1 + counter.length + 15 }), 'MMSTATS-E003', 'a good record, then one whose unbuffered 8-byte value has only 3 bytes'],
  ['label-sz-past-end', file([[...u16(0xffff), ...utf8('big')]]), 'MMSTATS-E004', 'label_sz 65535 in a one-page file'],
  ['type-sz-past-end', file([[...u16(1), ...utf8('x'), ...u16(0xfff0), ...utf8('Q')]]), 'MMSTATS-E004', 'type_sz 65520 in a one-page file'],
  ['string-past-end', file([record('text', '99999s', 0xff, [])]), 'MMSTATS-E003', 'a 99999-byte string field in a one-page file'],
  ['unknown-type-x', file([record('pad', 'x', 0xff, [0])]), 'MMSTATS-E005', 'type code "x" (a struct pad byte) is not a v1 type'],
  ['unknown-type-pointer', file([record('ptr', 'P', 0xff, u64le(0))]), 'MMSTATS-E005', 'type code "P" (a pointer) is not a v1 type'],
  ['malformed-type-empty', file([record('none', '', 0xff, [])]), 'MMSTATS-E006', 'type_sz 0: an empty type signature'],
  ['malformed-type-two-codes', file([record('pair', 'QQ', 0xff, [...u64le(1), ...u64le(2)])]), 'MMSTATS-E006', 'type "QQ": two values in one field'],
  ['malformed-type-count', file([record('pair', '2Q', 0xff, [...u64le(1), ...u64le(2)])]), 'MMSTATS-E006', 'type "2Q": a count on a scalar code'],
  ['malformed-type-byte-order', file([record('be', '>Q', 0xff, u64le(1))]), 'MMSTATS-E006', 'type ">Q": a byte-order prefix'],
  ['malformed-type-non-ascii', file([record('odd', 'é', 0xff, [0])]), 'MMSTATS-E006', 'type signature of two non-ASCII bytes (c3 a9)'],
  ['bad-utf8-label', file([record([0x63, 0xff, 0xfe, 0x64], 'Q', 0xff, u64le(1))]), 'MMSTATS-E007', 'label bytes 63 ff fe 64 are not UTF-8'],
  ['bad-utf8-label-surrogate', file([record([0xed, 0xa0, 0x80], 'Q', 0xff, u64le(1))]), 'MMSTATS-E007', 'label is an encoded UTF-16 surrogate (ed a0 80), which UTF-8 forbids'],
  ['bad-write-buffer', file([record('counter', 'Q', 2, [...u64le(1), ...u64le(2)])]), 'MMSTATS-E008', 'write_buffer 2 (only 0, 1 and 0xff exist)'],
];

const edge = [
  ['exact-fit', file([counter], { size: 1 + counter.length }), 'no padding: the last record ends at the end of the file, so the end of the file ends the fields'],
  ['one-trailing-zero', file([counter], { size: 2 + counter.length }), 'one zero byte after the last record: too short for a label_sz, it ends the fields'],
  ['string-full-no-nul', file([record('full', '4s', 0xff, utf8('abcd'))]), 'a string that fills its field has no NUL: its value is all 4 bytes'],
  ['string-bad-utf8-value', file([record('torn', '8s', 0xff, [0x61, 0xe2, 0x82, 0x62, 0, 0, 0, 0])]), 'invalid UTF-8 in a string value (as a torn read can see) decodes with U+FFFD; the file stays readable'],
  ['bare-s', file([record('char', 's', 0xff, utf8('z'))]), 'type "s" without a count is a 1-byte string, as in Python struct'],
  ['stale-buffer', file([record('gauge', 'q', 0, [...u64le(5), ...[0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]])]), 'write_buffer 0: the reader reads buffer 1 (-2), never buffer 0 (5, the older or half-written one)'],
  ['empty-label', file([record('', 'B', 0xff, [9])]), 'a record with an empty label has label_sz 0, which ends the fields: readers see no fields (writers must not write empty labels)'],
];

// The v2 cases in invalid/ (v2-*) belong to scripts/make-handmade-v2-fixtures.mjs: keep them.
function reset(dir) {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (/\.(mmstats|json)$/.test(name) && !name.startsWith('v2-')) rmSync(join(dir, name));
}

const invalidDir = join(root, 'invalid');
reset(invalidDir);
for (const [name, bytes, error, description] of invalid) {
  writeFileSync(join(invalidDir, `${name}.mmstats`), bytes);
  writeFileSync(join(invalidDir, `${name}.json`), `${JSON.stringify({ error, description }, null, 1)}\n`);
}

// Edge files get their expected JSON from the bytes by hand-written rules below, kept tiny on purpose.
const edgeDir = join(root, 'v1', 'edge');
reset(edgeDir);
const expectations = {
  'exact-fit': [{ offset: 1, label: 'counter', type: 'Q', write_buffer: 1, value_offset: 14, size: 29, value: 7 }],
  'one-trailing-zero': [{ offset: 1, label: 'counter', type: 'Q', write_buffer: 1, value_offset: 14, size: 29, value: 7 }],
  'string-full-no-nul': [{ offset: 1, label: 'full', type: '4s', write_buffer: 255, value_offset: 12, size: 15, value: 'abcd' }],
  'string-bad-utf8-value': [{ offset: 1, label: 'torn', type: '8s', write_buffer: 255, value_offset: 12, size: 19, value: 'a\ufffdb' }],
  'bare-s': [{ offset: 1, label: 'char', type: 's', write_buffer: 255, value_offset: 11, size: 11, value: 'z' }],
  'stale-buffer': [{ offset: 1, label: 'gauge', type: 'q', write_buffer: 0, value_offset: 12, size: 27, value: -2 }],
  'empty-label': [],
};
for (const [name, bytes, note] of edge) {
  writeFileSync(join(edgeDir, `${name}.mmstats`), bytes);
  const json = { producer: 'hand-made (scripts/make-handmade-fixtures.mjs)', note, file_size: bytes.length, fields: expectations[name] };
  writeFileSync(join(edgeDir, `${name}.json`), `${JSON.stringify(json, null, 1)}\n`);
}
console.log(`wrote ${invalid.length} invalid and ${edge.length} edge fixtures under ${root}`);
