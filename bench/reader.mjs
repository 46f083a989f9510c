#!/usr/bin/env node
// Reader benchmark: N files x M fields, v1 (the Python fixtures' field types) and v2 (counters,
// gauges, averages, histograms). Prints files/s and fields/s for a full read (open, fstat,
// positioned reads, parse, decode, close) and for a decode of v1 bytes already in memory, and
// the cost of a live-view re-read (open, fstat, reads, close: no descriptor is held) relative
// to a full read, all measured in this run.
//
// Then Python's own: the 1000 Python-written files of ../shared/tools/make1k.py (56 fields
// each) read in process by readStats and by Python mmstats' MmStatsReader (open, mmap, every
// field), as a ratio; the same files decoded from memory with every layout parsed (readStats
// reuses the layout of files laid out alike, as these are); and the floor, a C walk of the same
// files (bench/c-walk.c: open, fstat, mmap, every field checked and loaded, close).
//
//   pnpm bench reader            (or: node bench/reader.mjs [files] [fields])
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  appendV2Record,
  decodeV1,
  observeV2Histogram,
  parseV1Type,
  planV1Layout,
  planV2Record,
  setV2Ready,
  statsBytes,
  statsBytesV2,
  writeV1Headers,
  writeV1Value,
  writeV2Average,
  writeV2Header,
  writeV2Scalar,
} from '../packages/format/dist/index.js';
import { LiveStatsFile, readStats } from '../packages/reader/dist/index.js';
import { validFixtures } from '../packages/fixtures/dist/index.js';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { pythonBinary, pythonFiles, pythonMmstats } from './_python.mjs';

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

// v2: a quarter each counters, gauges, averages and histograms (composites read under seq).
const V2_KINDS = ['counter', 'gauge', 'average', 'histogram'];
function makeV2File(index) {
  const file = statsBytesV2(new Uint8Array(Math.ceil((FIELDS * 400 + 4096) / 4096) * 4096));
  const now = Date.now() / 1000;
  writeV2Header(file.bytes, { capacity: file.bytes.length, fileId: BigInt(index + 1), pid: 1, tid: 1, processStart: now, created: now });
  for (let i = 0; i < FIELDS; i++) {
    const kind = V2_KINDS[i % V2_KINDS.length];
    const plan = planV2Record({ label: `bench.file${index}.${kind}.${i}`, kind, ...(kind === 'histogram' ? { histogram: { k: 2, minExp: -10, maxExp: 10 } } : {}) });
    if (!plan.ok) throw plan.error;
    const record = appendV2Record(file, plan.value);
    if (kind === 'average') writeV2Average(file, record, i, 2);
    else if (kind === 'histogram') observeV2Histogram(file, record, i + 0.5);
    else writeV2Scalar(file, record, i);
  }
  setV2Ready(file);
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
  const v2Paths = Array.from({ length: FILES }, (_, i) => {
    const path = join(dir, `bench-v2-${i}.mmstats`);
    writeFileSync(path, makeV2File(i));
    return path;
  });

  const time = (fn) => {
    const start = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  const results = { read: [], decode: [], liveReread: [], readV2: [], liveRereadV2: [] };
  let live = paths.map((p) => LiveStatsFile.open(p));
  let liveV2 = v2Paths.map((p) => LiveStatsFile.open(p));
  const into = [];
  for (let round = 0; round < ROUNDS; round++) {
    results.read.push(time(() => { for (const p of paths) readStats(p); }));
    results.decode.push(time(() => { for (const b of inMemory) { if (!decodeV1(b).ok) throw new Error('bad'); } }));
    results.liveReread.push(time(() => { for (const l of live) l.readAll(into); }));
    results.readV2.push(time(() => { for (const p of v2Paths) readStats(p); }));
    results.liveRereadV2.push(time(() => { for (const l of liveV2) l.readAll(into); }));
  }
  for (const l of [...live, ...liveV2]) l.close();
  live = liveV2 = undefined;

  const fields = FILES * FIELDS;
  const row = (name, seconds) => console.log(`${name.padEnd(34)} ${(FILES / seconds).toFixed(0).padStart(9)} files/s ${(fields / seconds / 1e6).toFixed(2).padStart(7)} M fields/s  ${(seconds * 1e3).toFixed(1).padStart(8)} ms/round`);
  console.log(`reader: ${FILES} files x ${FIELDS} fields, median of ${ROUNDS} rounds, node ${process.version}`);
  const full = median(results.read);
  row('v1 readStats (open+pread+parse)', full);
  row('v1 decodeV1 (bytes in memory)', median(results.decode));
  const reread = median(results.liveReread);
  row('v1 LiveStatsFile.readAll (re-read)', reread);
  console.log(`v1 ratio live re-read / full read: ${(reread / full).toFixed(4)} (${(full / reread).toFixed(1)}x faster)`);
  const fullV2 = median(results.readV2);
  row('v2 readStats (open+3 preads+walk)', fullV2);
  const rereadV2 = median(results.liveRereadV2);
  row('v2 LiveStatsFile.readAll (re-read)', rereadV2);
  console.log(`v2 ratio live re-read / full read: ${(rereadV2 / fullV2).toFixed(4)} (${(fullV2 / rereadV2).toFixed(1)}x faster)`);
  comparePython(time, median);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** readStats and Python's MmStatsReader over the same Python-written files, each timed in its own process. */
function comparePython(time, median) {
  let pyDir, env;
  try {
    pyDir = pythonFiles(1000);
    env = pythonMmstats();
  } catch (error) {
    console.log(`Python peer unavailable: ${error.message}`);
    return;
  }
  const files = readdirSync(pyDir).sort().map((name) => join(pyDir, name));
  const script = [
    'import mmap, sys, time',
    'from mmstats.reader import MmStatsReader',
    'rounds, files, times = int(sys.argv[1]), sys.argv[2:], []',
    'for _ in range(rounds):',
    '    start = time.perf_counter()',
    '    for name in files:',
    '        with open(name, "rb") as f:',
    '            m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)',
    '            for label, value in MmStatsReader(m): pass',
    '            m.close()',
    '    times.append(time.perf_counter() - start)',
    'print(sorted(times)[len(times) // 2])',
  ].join('\n');
  const python = spawnSync(pythonBinary(), ['-c', script, String(ROUNDS), ...files], { env, encoding: 'utf8' });
  if (python.status !== 0) throw new Error(`Python MmStatsReader failed: ${python.stderr}`);
  const pySeconds = Number(python.stdout.trim());
  const ours = [];
  for (let round = 0; round < ROUNDS; round++) ours.push(time(() => { for (const p of files) readStats(p); }));
  const seconds = median(ours);
  // The same files' bytes decoded from memory: every layout parsed (no V1LayoutCache), no I/O.
  const bytes = files.map((path) => new Uint8Array(readFileSync(path)));
  const parsed = [];
  for (let round = 0; round < ROUNDS; round++) parsed.push(time(() => { for (const b of bytes) if (!decodeV1(b).ok) throw new Error('bad'); }));
  const parseSeconds = median(parsed);
  const cSeconds = cWalk(files);
  console.log(`\nPython-written files: ${files.length} x 56 fields, read in process, median of ${ROUNDS} rounds`);
  console.log(`Python MmStatsReader (open+mmap+walk)  ${(files.length / pySeconds).toFixed(0).padStart(9)} files/s  ${(pySeconds * 1e3).toFixed(1).padStart(8)} ms/round`);
  console.log(`readStats                              ${(files.length / seconds).toFixed(0).padStart(9)} files/s  ${(seconds * 1e3).toFixed(1).padStart(8)} ms/round  ${(pySeconds / seconds).toFixed(2)}x faster`);
  console.log(`decodeV1, in memory (layouts parsed)    ${(files.length / parseSeconds).toFixed(0).padStart(9)} files/s  ${(parseSeconds * 1e3).toFixed(1).padStart(8)} ms/round  ${(pySeconds / parseSeconds).toFixed(2)}x faster`);
  if (cSeconds === undefined) console.log('C walk: no C compiler (cc)');
  else {
    console.log(`C walk (open+fstat+mmap+walk, c-walk.c) ${(files.length / cSeconds).toFixed(0).padStart(9)} files/s  ${(cSeconds * 1e3).toFixed(1).padStart(8)} ms/round  readStats takes ${(seconds / cSeconds).toFixed(2)}x its time`);
    // readStats reuses the layout of files laid out alike (these all are); a parse of every
    // layout, without even the I/O, is what files of distinct layouts cost.
    console.log(`  with every layout parsed (decodeV1 above, no I/O): ${(parseSeconds / cSeconds).toFixed(2)}x the C walk's time`);
  }
}

/** The median seconds of bench/c-walk.c over `files` (compiled with `cc -O2` first), or `undefined` without a compiler. */
function cWalk(files) {
  const binary = join(tmpdir(), 'mmstats-bench-c-walk');
  const built = spawnSync('cc', ['-O2', '-o', binary, fileURLToPath(new URL('c-walk.c', import.meta.url))], { encoding: 'utf8' });
  if (built.error !== undefined) return undefined;
  if (built.status !== 0) throw new Error(`cc c-walk.c failed: ${built.stderr}`);
  const run = spawnSync(binary, [String(ROUNDS), ...files], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`c-walk failed: ${run.stderr}`);
  return Number(run.stdout.trim());
}
