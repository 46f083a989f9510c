#!/usr/bin/env node
// Reader benchmark: N files x M fields, generated from the Python fixtures' field types.
// Prints files/s and fields/s for a full read (open, map, parse, decode) and for a decode of
// bytes already in memory, and the cost of a live-view re-read relative to a full read,
// all measured in this run.
//
//   pnpm bench reader            (or: node bench/reader.mjs [files] [fields])
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeV1, planV1Layout, statsBytes, writeV1Headers, writeV1Value, parseV1Type } from '../packages/format/dist/index.js';
import { LiveStatsFile, readStats } from '../packages/reader/dist/index.js';
import { validFixtures } from '../packages/fixtures/dist/index.js';

const FILES = Number(process.argv[2] ?? 1000);
const FIELDS = Number(process.argv[3] ?? 50);
const ROUNDS = 5;

// Field types and buffering as the Python fixtures have them (all-types + webstats).
const kinds = validFixtures('v1/python-0.8.0')
  .filter((f) => f.name === 'all-types' || f.name === 'webstats')
  .flatMap((f) => f.fields.map((field) => ({ type: field.type, buffered: field.write_buffer !== 255 })));

function makeFile(index) {
  const specs = Array.from({ length: FIELDS }, (_, i) => ({ label: `bench.file${index}.field.${String(i).padStart(3, '0')}`, ...kinds[i % kinds.length] }));
  const plan = planV1Layout(specs);
  if (!plan.ok) throw plan.error;
  const size = Math.ceil((plan.value.end + 2) / 4096) * 4096;
  const file = statsBytes(new Uint8Array(size));
  writeV1Headers(file.bytes, plan.value);
  plan.value.fields.forEach((field, i) => {
    const kind = parseV1Type(field.type).value.kind;
    const value = kind === 'string' ? `value ${i}` : kind === 'bool' ? true : kind === 'float' ? i + 0.5 : field.valueType.size === 8 ? BigInt(i) : i;
    writeV1Value(file, field, value);
  });
  return file.bytes;
}

const dir = mkdtempSync(join(tmpdir(), 'mmstats-bench-reader-'));
try {
  mkdirSync(dir, { recursive: true });
  const paths = Array.from({ length: FILES }, (_, i) => {
    const path = join(dir, `bench-${i}.mmstats`);
    writeFileSync(path, makeFile(i));
    return path;
  });
  const inMemory = paths.map((p) => new Uint8Array(readFileSync(p)));

  const time = (fn) => {
    const start = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  const results = { readMmap: [], readPlain: [], decode: [], liveReread: [] };
  let live = paths.map((p) => LiveStatsFile.open(p));
  const into = [];
  for (let round = 0; round < ROUNDS; round++) {
    results.readMmap.push(time(() => { for (const p of paths) readStats(p); }));
    results.readPlain.push(time(() => { for (const p of paths) readStats(p, { mmap: false }); }));
    results.decode.push(time(() => { for (const b of inMemory) { if (!decodeV1(b).ok) throw new Error('bad'); } }));
    results.liveReread.push(time(() => { for (const l of live) l.readAll(into); }));
  }
  for (const l of live) l.close();
  live = undefined;

  const fields = FILES * FIELDS;
  const row = (name, seconds) => console.log(`${name.padEnd(34)} ${(FILES / seconds).toFixed(0).padStart(9)} files/s ${(fields / seconds / 1e6).toFixed(2).padStart(7)} M fields/s  ${(seconds * 1e3).toFixed(1).padStart(8)} ms/round`);
  console.log(`reader: ${FILES} files x ${FIELDS} fields, median of ${ROUNDS} rounds, node ${process.version}`);
  const full = median(results.readMmap);
  row('readStats (open+mmap+parse+decode)', full);
  row('readStats { mmap: false }', median(results.readPlain));
  row('decodeV1 (bytes in memory)', median(results.decode));
  const reread = median(results.liveReread);
  row('LiveStatsFile.readAll (re-read)', reread);
  console.log(`ratio live re-read / full read: ${(reread / full).toFixed(4)} (${(full / reread).toFixed(1)}x faster)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
