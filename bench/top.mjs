#!/usr/bin/env node
// `mmstats top`'s work per refresh, beside `mmstats poll`'s over the same files (these machines
// are noisy: only the ratio within one run means anything). Both read every file through the
// same LiveFileSet; poll then tallies every label as a column (Tally), top judges each writer,
// builds the rows of all three views (TopModel: mergeSnapshots per group, rates, interval
// percentiles, histories) and lays out one 120 × 40 frame (sorted by rate), of each view in turn. No terminal is involved: what is
// measured is the CPU a refresh costs the machine being watched.
//
//   pnpm bench top    (or: node bench/top.mjs [files] [rounds])
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findStatsFiles, judgeWriter, observer, writerInfo } from '../packages/reader/dist/index.js';
import { counter, defineModel, timer, uint } from '../packages/writer/dist/index.js';
import { LiveFileSet } from '../packages/cli/dist/poll/live-file-set.js';
import { Tally } from '../packages/cli/dist/poll/tally.js';
import { parseColumn } from '../packages/cli/dist/poll/field-kinds.js';
import { TopModel } from '../packages/cli/dist/top/model.js';
import { frame } from '../packages/cli/dist/top/frame.js';
import { initialState } from '../packages/cli/dist/top/controls.js';
import { UNICODE_GLYPHS, lineStyleFor } from '../packages/cli/dist/top/glyphs.js';

const FILES = Number(process.argv[2] ?? 64);
const ROUNDS = Number(process.argv[3] ?? 200);
const dir = mkdtempSync(join(tmpdir(), 'mmstats-bench-top-'));
try {
  // 20 counters, 5 gauges, 5 timers per file: 30 records, 1920 in all at 64 files.
  const fields = {};
  for (let i = 0; i < 20; i++) fields[`c${i}`] = counter({ label: `app.counter${i}` });
  for (let i = 0; i < 5; i++) fields[`g${i}`] = uint({ label: `app.gauge${i}` });
  for (let i = 0; i < 5; i++) fields[`t${i}`] = timer({ label: `app.timer${i}` });
  const model = defineModel(fields, { system: false });
  const writers = Array.from({ length: FILES }, (_, i) => model.open({ path: dir, filename: `w${i}.mmstats`, heartbeatMs: 0, internal: { pid: process.pid } }));
  const work = (round) => {
    for (const [i, w] of writers.entries()) {
      for (let c = 0; c < 20; c++) w[`c${c}`].incr(i + c);
      for (let t = 0; t < 5; t++) w[`t${t}`].record(0.001 * (1 + ((round + t) % 50)));
    }
  };
  const paths = await findStatsFiles([dir]);
  const columns = [...Array(20).keys()].map((i) => `app.counter${i}`).concat([...Array(5).keys()].map((i) => `app.gauge${i}`), [...Array(5).keys()].map((i) => `app.timer${i}:p99`));

  const pollSet = new LiveFileSet({ report: () => {} });
  const tally = new Tally();
  let polled;
  const pollTick = () => {
    const watched = pollSet.refresh(paths);
    polled ??= columns.map((name) => ({ ...parseColumn(name), show: { mode: name.includes(':') ? 'stat' : name.includes('gauge') ? 'gauge' : 'counter', selector: name.includes(':') ? 'p99' : undefined } }));
    tally.add(watched.map((file) => ({ id: file.id, snapshot: file.snapshot })), polled);
  };

  const topSet = new LiveFileSet({ report: () => {}, skipDeadWriters: false });
  const top = new TopModel();
  const style = lineStyleFor({});
  const topTick = () => {
    const watched = topSet.refresh(paths);
    const seen = observer();
    top.update(watched.map((file) => ({ ...file, judgement: judgeWriter(writerInfo(file.snapshot), file.snapshot.version, seen) })), Date.now() / 1000, 1);
    // One frame per refresh, as top draws; the views take turns.
    const view = ['merged', 'worker', 'file'][rounds++ % 3];
    frame({ rows: (v) => top.rows(v), writers: top.writers, unreadable: 0, state: { ...initialState(), view, sort: 'rate', descending: true }, columns: 120, height: 40, interval: 1, readAt: new Date(), glyphs: UNICODE_GLYPHS, style });
  };
  let rounds = 0;

  const times = { poll: [], top: [] };
  for (let round = 0; round < ROUNDS; round++) {
    work(round);
    // Interleaved, the order alternating, so that drift and warm-up fall on both alike.
    for (const [name, tick] of round % 2 === 0 ? [['poll', pollTick], ['top', topTick]] : [['top', topTick], ['poll', pollTick]]) {
      const started = performance.now();
      tick();
      times[name].push(performance.now() - started);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [p, t] = [median(times.poll.slice(10)), median(times.top.slice(10))];
  console.log(`top: ${FILES} files x 30 records (${FILES * 30} records), median of ${ROUNDS - 10} refreshes after 10 of warm-up`);
  console.log(`  poll tick (read + tally of 30 columns)                 ${p.toFixed(2)} ms`);
  console.log(`  top tick (read + judge + 3 views + one frame)           ${t.toFixed(2)} ms   ${(t / p).toFixed(2)}x poll`);
  pollSet.close();
  topSet.close();
  for (const w of writers) w.close?.();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
