#!/usr/bin/env node
// Writes the hand-made v2 fixtures: fixtures/invalid/v2-*.mmstats (files every reader must
// reject, each with its error code), fixtures/v2/edge/ (valid files at the edges of the
// rules) and fixtures/v2/future/ (a file of a later minor version, read in part).
//
// Like make-handmade-fixtures.mjs, the bytes are spelled out here from the tables of
// spec/format-v2.md and on purpose do not use @mmstats/format: a fixture made by the code it
// tests proves nothing. Run `node scripts/make-handmade-v2-fixtures.mjs` after changing a
// case; commit the output. It replaces only the files it owns (`invalid/v2-*`, `v2/edge/`,
// `v2/future/`).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const PRODUCER = 'hand-made (scripts/make-handmade-v2-fixtures.mjs)';

import {
  u16,
  u32,
  u64,
  f64,
  utf8,
  KIND,
  ENC,
  MERGE,
  READY,
  UNKNOWN_BOOT_ID,
  BOOT_ID,
  BOOT_ID_BYTES,
  PID_NS,
  dimsBytes,
  expHistogramBytes,
  record,
  file,
} from './handmade-v2-bytes.mjs';

const counter = (label = 'requests', v = 7) => record({ label, kind: KIND.counter, encoding: ENC.f64, value: f64(v) });
const average = (label, seq, sum, count) => record({ label, kind: KIND.average, encoding: ENC.average, value: [...u32(seq), ...u32(0), ...f64(sum), ...f64(count)] });
const good = [counter()];

const invalid = [
  ['v2-short', file(good, { length: 100 }).bytes, 'MMSTATS-E003', 'a v2 signature, but only 100 bytes: shorter than the 128-byte header'],
  ['v2-capacity-past-end', file(good, { capacity: 8192, length: 4096 }).bytes, 'MMSTATS-E003', 'capacity 8192 in a 4096-byte file: the file was cut'],
  ['v2-bad-signature', file(good, { magic: 'mmstatz' }).bytes, 'MMSTATS-E009', 'byte 0 is 0x02 but bytes 1-7 are "mmstatz"'],
  ['v2-future-major', file(good, { version: 0x03 }).bytes, 'MMSTATS-E002', 'byte 0 is 0x03 followed by "mmstats": a future major version, then a good v2 body'],
  ['v2-big-endian', file(good, { byteOrder: 0x02 }).bytes, 'MMSTATS-E010', 'byte_order 0x02 (only 0x01, little-endian, is defined)'],
  ['v2-not-ready', file(good, { flags: 0 }).bytes, 'MMSTATS-E011', 'flags 0: READY not set (the writer is still creating the file)'],
  ['v2-not-ready-full', file(good, { flags: 2 }).bytes, 'MMSTATS-E011', 'flags 0x2: FULL without READY is still not ready'],
  ['v2-header-size-small', file(good, { headerSize: 64 }).bytes, 'MMSTATS-E012', 'header_size 64, below 128'],
  ['v2-header-size-unaligned', file(good, { headerSize: 132 }).bytes, 'MMSTATS-E012', 'header_size 132, not a multiple of 8'],
  ['v2-capacity-unaligned', file(good, { capacity: 4092, length: 4096 }).bytes, 'MMSTATS-E012', 'capacity 4092, not a multiple of 8'],
  ['v2-capacity-below-header', file([], { capacity: 120, length: 128 }).bytes, 'MMSTATS-E012', 'capacity 120, below header_size 128'],
  ['v2-file-id-zero', file(good, { fileId: 0 }).bytes, 'MMSTATS-E012', 'file_id is 0, which no writer may choose'],
  ['v2-bad-state', file([record({ ...counter().o, state: 2 })]).bytes, 'MMSTATS-E013', 'a record whose state is 2 (only 0 and 1 exist)'],
  ['v2-bad-state-second', file([counter('a'), record({ ...counter('b').o, state: 0xffffffff })]).bytes, 'MMSTATS-E013', 'a good record, then one whose state is 0xffffffff'],
  ['v2-record-size-small', file([record({ ...counter().o, size: 40 })]).bytes, 'MMSTATS-E013', 'record size 40, below 48'],
  ['v2-record-size-unaligned', file([record({ ...counter().o, size: 68 })]).bytes, 'MMSTATS-E013', 'record size 68, not a multiple of 8'],
  ['v2-record-past-capacity', file([record({ ...counter().o, size: 4096 })]).bytes, 'MMSTATS-E013', 'record size 4096 at offset 128 goes past capacity 4096'],
  ['v2-label-empty', file([record({ ...counter().o, label: '' })]).bytes, 'MMSTATS-E013', 'label_len 0'],
  ['v2-names-past-value', file([record({ ...counter().o, help: 'a help line longer than the space before the value', valueOffset: 64 })]).bytes, 'MMSTATS-E013', 'label and help take 58 bytes after the 48 fixed ones, but value_offset is 64'],
  ['v2-value-offset-unaligned', file([record({ ...counter().o, valueOffset: 60, size: 72 })]).bytes, 'MMSTATS-E013', 'value_offset 60, not a multiple of 8'],
  ['v2-value-past-size', file([record({ ...counter().o, valueSize: 8, size: 56 })]).bytes, 'MMSTATS-E013', 'value_offset 56 + value_size 8 is past the record size 56'],
  ['v2-value-size-wrong', file([record({ ...counter().o, value: [...f64(1), ...f64(2)] })]).bytes, 'MMSTATS-E013', 'an f64 record with value_size 16 (f64 needs 8)'],
  ['v2-text-value-size-wrong', file([record({ label: 't', kind: KIND.text, encoding: ENC.text, params: [10, 0, 0], value: new Array(16).fill(0) })]).bytes, 'MMSTATS-E013', 'a text record of capacity 10 with value_size 16 (it needs 8 + 16 = 24)'],
  ['v2-histogram-bad-k', file([record({ label: 'h', kind: KIND.histogram, encoding: ENC.histogram, params: [9, 0, 1], value: new Array(40 + 8 * 514).fill(0) })]).bytes, 'MMSTATS-E013', 'histogram k = 9 (0 to 8 allowed); value_size as the formula would give'],
  ['v2-histogram-exp-order', file([record({ label: 'h', kind: KIND.histogram, encoding: ENC.histogram, params: [0, 3, 3], value: new Array(40 + 16).fill(0) })]).bytes, 'MMSTATS-E013', 'histogram min_exp 3 = max_exp 3 (min_exp < max_exp required)'],
  ['v2-exphistogram-few-buckets', file([record({ label: 'h', kind: KIND.histogram, encoding: ENC.exphistogram, params: [131, 0, 0], value: expHistogramBytes({ n: 131, count: 0, sum: 0, min: 0, max: 0, scale: 0 }) })], { minor: 2 }).bytes, 'MMSTATS-E013', 'exphistogram n = 131 (132 to 4096 allowed); value_size 72 + 16n as the formula would give'],
  ['v2-exphistogram-value-size-wrong', file([record({ label: 'h', kind: KIND.histogram, encoding: ENC.exphistogram, params: [132, 0, 0], value: [...expHistogramBytes({ n: 132, count: 0, sum: 0, min: 0, max: 0, scale: 0 }), ...f64(0)] })], { minor: 2 }).bytes, 'MMSTATS-E013', 'exphistogram n = 132 with value_size 2192 (it needs 72 + 16 × 132 = 2184)'],
  ['v2-histogram-exp-range', file([record({ label: 'h', kind: KIND.histogram, encoding: ENC.histogram, params: [0, -1023, -1022], value: new Array(40 + 24).fill(0) })]).bytes, 'MMSTATS-E013', 'histogram min_exp -1023, below -1022'],
  ['v2-window-zero-slots', file([record({ label: 'w', kind: KIND.window, encoding: ENC.window, params: [0, 0, 1000], value: new Array(8).fill(0) })]).bytes, 'MMSTATS-E013', 'window with 0 slots (1 to 3600 allowed)'],
  ['v2-window-zero-width', file([record({ label: 'w', kind: KIND.window, encoding: ENC.window, params: [1, 0, 0], value: new Array(32).fill(0) })]).bytes, 'MMSTATS-E013', 'window slot width 0 ms (at least 1)'],
  ['v2-dims-short', file([record({ ...counter().o, dimsRaw: [...dimsBytes([['host', 'a']]), 0] })]).bytes, 'MMSTATS-E013', 'dims_len is one byte more than the one pair it holds'],
  ['v2-dims-past-len', file([record({ ...counter().o, dimsRaw: [...u16(4), ...utf8('host'), ...u16(9), ...utf8('a')] })]).bytes, 'MMSTATS-E013', 'a dimension value length of 9 with 1 byte left in dims_len'],
  ['v2-dims-empty-key', file([record({ ...counter().o, dims: [['', 'a']] })]).bytes, 'MMSTATS-E013', 'a dimension with an empty key'],
  ['v2-dims-duplicate-key', file([record({ ...counter().o, dims: [['host', 'a'], ['host', 'b']] })]).bytes, 'MMSTATS-E013', 'dimension key "host" twice'],
  // Pairs are checked one at a time (spec/format-v2.md#decoding, step 8): a reader that read
  // every pair before checking the keys would answer E007 here.
  ['v2-dims-repeat-then-bad-utf8', file([record({ ...counter().o, dims: [['host', 'a'], ['host', 'b'], ['zone', [0x80]]] })]).bytes, 'MMSTATS-E013', 'dimension key "host" repeated in the second pair, before a third pair whose value (80) is not UTF-8'],
  ['v2-bad-utf8-label', file([record({ ...counter().o, label: [0x63, 0xff, 0xfe, 0x64] })]).bytes, 'MMSTATS-E007', 'label bytes 63 ff fe 64 are not UTF-8'],
  ['v2-bad-utf8-unit', file([record({ ...counter().o, unit: [0xc3] })]).bytes, 'MMSTATS-E007', 'unit byte c3 is a cut two-byte sequence'],
  ['v2-bad-utf8-help', file([record({ ...counter().o, help: [0xed, 0xa0, 0x80] })]).bytes, 'MMSTATS-E007', 'help is an encoded UTF-16 surrogate (ed a0 80)'],
  ['v2-bad-utf8-dim', file([record({ ...counter().o, dims: [['host', [0x80]]] })]).bytes, 'MMSTATS-E007', 'a dimension value of one continuation byte (80)'],
];

const edgeCases = [];
function edge(name, made, note, records, notices = []) {
  edgeCases.push({ name, bytes: made.bytes, note, json: fixtureJson(made, note, records, notices) });
}

/** The expected JSON (spec/expected-json.md#v2-fixture-json), from what the cases say they wrote. */
function fixtureJson(made, note, records, notices) {
  const h = made.header;
  return {
    producer: PRODUCER,
    note,
    file_size: made.bytes.length,
    header: {
      version: 2, minor: made.minor ?? 0, header_size: h.headerSize, flags: made.flags ?? { ready: true, full: false, closed: false },
      capacity: h.capacity, used: h.used, record_count: h.count, dropped_records: 0, file_id: '81985529216486895', pid: 4242,
      heartbeat_interval_ms: 0, tid: 4243, process_start: 1700000000.5, created: 1700000001.25, heartbeat: 0,
      pid_ns: made.pidNs ?? '0', boot_id: made.bootId ?? UNKNOWN_BOOT_ID,
    },
    records,
    notices,
  };
}

/** The JSON of record number `i` of `made` (everything but the value). */
function recordJson(made, i, r, names) {
  const o = r.o;
  return {
    offset: made.offsets[i], label: o.label, kind: names.kind, encoding: names.encoding, merge: names.merge ?? 'sum',
    unit: o.unit ?? '', help: o.help ?? '', dims: Object.fromEntries(o.dims ?? []), params: o.params ?? [0, 0, 0],
    value_offset: made.offsets[i] + r.valueOffset, value_size: r.valueSize, size: r.size,
  };
}

{
  const stuck = average('latency.avg', 7, 0.5, 2);
  const ok = counter('requests', 3);
  const made = file([stuck, ok]);
  edge('stuck-seq', made, 'an average whose seq is 7 (odd) forever, as a writer that died mid-write leaves it: that record is MMSTATS-E014, the counter after it reads 3', [
    { ...recordJson(made, 0, stuck, { kind: 'average', encoding: 'average' }), error: 'MMSTATS-E014' },
    { ...recordJson(made, 1, ok, { kind: 'counter', encoding: 'f64' }), value: 3 },
  ]);
}
{
  const text = record({ label: 'state', kind: KIND.text, encoding: ENC.text, merge: MERGE.none, params: [4, 0, 0], value: [...u32(2), ...u32(5), ...utf8('abcd'), 0, 0, 0, 0] });
  const made = file([text]);
  edge('text-len-past-capacity', made, 'a text value whose len 5 is past its capacity 4 under an even, unchanging seq: not a race but bad bytes, so that record is MMSTATS-E013 (the file is still read)', [
    { ...recordJson(made, 0, text, { kind: 'text', encoding: 'text', merge: 'none' }), error: 'MMSTATS-E013' },
  ]);
}
{
  const a = counter('published', 1);
  const b = record({ ...counter('being.written', 2).o, state: 0 });
  const c = counter('after.unpublished', 3);
  const made = file([a, b, c]);
  edge('unpublished-record', made, 'a published record, then one whose state is still 0 (being written): walking stops there, so the published-looking record after it is not seen either', [
    { ...recordJson(made, 0, a, { kind: 'counter', encoding: 'f64' }), value: 1 },
  ]);
}
{
  const made = file([], {});
  edge('no-records', made, 'a ready file without records: used = header_size, record_count 0', []);
}
{
  const a = record({ label: 'gauge.exact', kind: KIND.gauge, encoding: ENC.i64, value: u64(0xfffffffffffffffen), size: 4096 - 128 });
  const made = file([a]);
  edge('record-fills-file', made, 'one i64 gauge (-2) whose record, padded, ends exactly at capacity: no room for the 48 bytes of another record', [
    { ...recordJson(made, 0, a, { kind: 'gauge', encoding: 'i64' }), value: -2 },
  ]);
}
{
  const v = (x) => record({ label: 'text', kind: KIND.text, encoding: ENC.text, merge: MERGE.none, params: [8, 0, 0], value: [...u32(4), ...u32(4), ...x, 0, 0, 0, 0] });
  const bad = v([0x61, 0xe2, 0x82, 0x62]);
  const made = file([bad]);
  edge('text-bad-utf8-value', made, 'a text value with invalid UTF-8 decodes with U+FFFD; the file stays readable', [
    { ...recordJson(made, 0, bad, { kind: 'text', encoding: 'text', merge: 'none' }), value: 'a\ufffdb' },
  ]);
}

{
  // Parameters an encoding does not use, and the record's reserved bytes 40-47: writers write
  // zero, readers ignore them (spec/format-v2.md#record), so a later minor can use them.
  const odd = record({ ...counter('requests', 3).o, params: [7, -3, 9], reserved: [1, 2, 3, 4, 5, 6, 7, 8] });
  const made = file([odd]);
  edge('record-unused-ignored', made, 'a counter (f64, which takes no parameters) whose param0-2 are 7, -3, 9 and whose reserved bytes 40-47 are 01..08: readers ignore them and read the value, 3', [
    { ...recordJson(made, 0, odd, { kind: 'counter', encoding: 'f64' }), value: 3 },
  ]);
}
{
  const ok = counter('requests', 3);
  const made = file([ok], { minor: 1, pidNs: PID_NS, bootId: BOOT_ID_BYTES });
  Object.assign(made, { minor: 1, pidNs: String(PID_NS), bootId: BOOT_ID });
  edge('minor-1-writer-identity', made, 'minor 1: the writer\'s pid namespace (pid_ns 4026532512 at offset 80) and boot (boot_id at 88, 16 bytes) in the header (spec/format-v2.md#header)', [
    { ...recordJson(made, 0, ok, { kind: 'counter', encoding: 'f64' }), value: 3 },
  ]);
}
{
  const ok = counter('requests', 3);
  const made = file([ok], { minor: 0, pidNs: PID_NS, bootId: BOOT_ID_BYTES });
  edge('minor-0-reserved-ignored', made, 'minor 0 with the bytes of pid_ns and boot_id set: in minor 0 they are reserved, so a reader ignores them (pid_ns "0", boot_id all zero: unknown)', [
    { ...recordJson(made, 0, ok, { kind: 'counter', encoding: 'f64' }), value: 3 },
  ]);
}

{
  // Minor 2's exponential histograms: both signs, the zero bucket, offsets below and above 0,
  // and a timer at the coarsest scale holding the ends of the binary64 range.
  const h = expHistogramBytes({
    n: 132, scale: 1, zeroThreshold: 0.001, zeroCount: 2, count: 9, sum: 11.75, min: -6, max: 10,
    positiveOffset: -10, positive: { '-10': 1, '-2': 1, 0: 2, 6: 1 }, negativeOffset: 3, negative: { 3: 1, 5: 1 },
  });
  const latency = record({ label: 'sizes', unit: 'bytes', kind: KIND.histogram, encoding: ENC.exphistogram, params: [132, 0, 0], value: h });
  const t = expHistogramBytes({
    n: 132, scale: -4, count: 2, sum: Number.MAX_VALUE, min: 2 ** -1074, max: Number.MAX_VALUE,
    positiveOffset: -68, positive: { '-68': 1, 63: 1 },
  });
  const timer = record({ label: 'wait', unit: 'seconds', kind: KIND.timer, encoding: ENC.exphistogram, params: [132, 0, 0], value: t });
  const made = file([latency, timer], { minor: 2, capacity: 8192 });
  Object.assign(made, { minor: 2 });
  edge('exphistogram', made, 'minor 2: an exphistogram at scale 1 (base √2) with 132 slots a sign, zero threshold 0.001 (2 values in the zero bucket), positive buckets from index -10 and negative ones from 3; and a timer at scale -4 (base 65536) whose buckets -68 and 63 hold the smallest subnormal and the largest finite binary64 number', [
    { ...recordJson(made, 0, latency, { kind: 'histogram', encoding: 'exphistogram' }), params: [132, 0, 0], value: { count: 9, sum: 11.75, min: -6, max: 10, scale: 1, zero_threshold: 0.001, zero_count: 2, positive: { '-10': 1, '-2': 1, 0: 2, 6: 1 }, negative: { 3: 1, 5: 1 } } },
    { ...recordJson(made, 1, timer, { kind: 'timer', encoding: 'exphistogram' }), params: [132, 0, 0], value: { count: 2, sum: Number.MAX_VALUE, min: 5e-324, max: Number.MAX_VALUE, scale: -4, zero_threshold: 0, zero_count: 0, positive: { '-68': 1, 63: 1 }, negative: {} } },
  ]);
}
{
  const bad = record({ label: 'sizes', kind: KIND.histogram, encoding: ENC.exphistogram, params: [132, 0, 0], value: expHistogramBytes({ n: 132, scale: 9, count: 1, sum: 1, min: 1, max: 1, positive: { 0: 1 } }) });
  const ok = counter('requests', 3);
  const made = file([bad, ok], { minor: 2 });
  Object.assign(made, { minor: 2 });
  edge('exphistogram-bad-scale', made, 'an exphistogram whose scale is 9 (-4 to 8 allowed) under an even, unchanging seq: bad bytes in the value, so that record is MMSTATS-E013; the counter after it reads 3', [
    { ...recordJson(made, 0, bad, { kind: 'histogram', encoding: 'exphistogram' }), params: [132, 0, 0], error: 'MMSTATS-E013' },
    { ...recordJson(made, 1, ok, { kind: 'counter', encoding: 'f64' }), value: 3 },
  ]);
}

// A file of a later minor version (spec/format-v2.md#compatibility): minor 3, a 136-byte
// header with a new field after the minor-1 ones, an unknown flag bit, a record of unknown encoding 200 (skipped by
// its size), one of unknown kind 99 (read by its encoding), and records this reader knows.
const future = (() => {
  const before = counter('requests', 5);
  const unknownEncoding = record({ label: 'new.thing', kind: KIND.gauge, encoding: 200, params: [3, 0, 0], value: [...u64(0xdeadbeef), ...u64(1), ...u64(2)] });
  const unknownKind = record({ label: 'new.kind', kind: 99, encoding: ENC.f64, unit: 'widgets', help: 'a kind from the future', dims: [['zone', 'b']], value: f64(2.5) });
  const after = record({ label: 'version', kind: KIND.info, encoding: ENC.text, merge: MERGE.none, params: [16, 0, 0], value: [...u32(2), ...u32(3), ...utf8('2.1'), ...new Array(13).fill(0)] });
  const made = file([before, unknownEncoding, unknownKind, after], { minor: 3, headerSize: 136, extraHeader: u64(0x1122334455667788n), flags: READY | 0x20, pidNs: PID_NS, bootId: BOOT_ID_BYTES });
  Object.assign(made, { minor: 3, pidNs: String(PID_NS), bootId: BOOT_ID });
  const note = 'minor 3 (newer than any defined): the minor-1 pid_ns and boot_id, a 136-byte header with a new field, unknown flag bit 5, a record of unknown encoding 200 (skipped, MMSTATS-W001) and one of unknown kind 99 (read by its encoding, MMSTATS-W002)';
  const json = fixtureJson(made, note, [
    { ...recordJson(made, 0, before, { kind: 'counter', encoding: 'f64' }), value: 5 },
    { ...recordJson(made, 2, unknownKind, { kind: 'kind-99', encoding: 'f64' }), value: 2.5 },
    { ...recordJson(made, 3, after, { kind: 'info', encoding: 'text', merge: 'none' }), value: '2.1' },
  ], [
    { code: 'MMSTATS-W001', offset: made.offsets[1] },
    { code: 'MMSTATS-W002', offset: made.offsets[2] },
  ]);
  return { name: 'minor-3', bytes: made.bytes, json };
})();

function reset(dir, owned = () => true) {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (/\.(mmstats|json)$/.test(name) && owned(name)) rmSync(join(dir, name));
}
function write(dir, name, bytes, json) {
  writeFileSync(join(dir, `${name}.mmstats`), bytes);
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(json, null, 1)}\n`);
}

const invalidDir = join(root, 'invalid');
reset(invalidDir, (name) => name.startsWith('v2-'));
for (const [name, bytes, error, description] of invalid) write(invalidDir, name, bytes, { error, description });

const edgeDir = join(root, 'v2', 'edge');
reset(edgeDir);
for (const c of edgeCases) write(edgeDir, c.name, c.bytes, c.json);

const futureDir = join(root, 'v2', 'future');
reset(futureDir);
write(futureDir, future.name, future.bytes, future.json);

console.log(`wrote ${invalid.length} invalid v2, ${edgeCases.length} edge and 1 future fixtures under ${root}`);
