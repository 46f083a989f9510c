#!/usr/bin/env node
// Issue 13's full churn run: a 4-worker node:cluster service under a loopback load generator
// that counts every response, one worker SIGKILLed every few seconds for SECONDS (default 60)
// while a real Prometheus scrapes mmash (merged per service) every second and `mmstats clean`
// runs every 2 s; prom-client's cluster aggregator beside it in the same run, scraped by the
// same Prometheus. The scenario is packages/mmash/src/churn-scenario.test.util.ts; the test
// suite runs it shortened (churn.test.ts).
//
//   node bench/churn.mjs [SECONDS] [KILL_EVERY_SECONDS]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChurn } from '../packages/mmash/dist/churn-scenario.test.util.js';

const seconds = Number(process.argv[2] ?? 60);
const killEvery = Number(process.argv[3] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'mmstats-churn-'));
try {
  const r = await runChurn({ dir, durationMs: seconds * 1000, killEveryMs: killEvery * 1000 });
  const row = (name, s) => {
    const off = s.final - s.received;
    return `${name.padEnd(26)} ${String(s.kills).padStart(5)} ${String(s.received).padStart(9)} ${String(s.failed).padStart(7)} ${String(s.final).padStart(9)} ${`${off >= 0 ? '+' : ''}${off} (${((100 * off) / s.received).toFixed(2)}%)`.padStart(18)} ${String(s.resets).padStart(7)} ${String(s.largestDrop).padStart(9)} ${String(s.series).padStart(7)}`;
  };
  console.log(`churn: ${r.seconds.toFixed(0)} s, a worker SIGKILLed every ${killEvery} s, Prometheus scraping every 1 s`);
  console.log(`${'service'.padEnd(26)} ${'kills'.padStart(5)} ${'received'.padStart(9)} ${'failed'.padStart(7)} ${'counter'.padStart(9)} ${'counter - received'.padStart(18)} ${'resets'.padStart(7)} ${'max drop'.padStart(9)} ${'series'.padStart(7)}`);
  console.log(row('mmstats + mmash (merged)', r.mmstats));
  console.log(row('prom-client cluster', r.promClient));
  console.log(`stats files: at most ${r.mmstats.maxFiles} at once, ${r.mmstats.filesAtEnd} at the end (4 live workers and the archive)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
