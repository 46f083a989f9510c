// A child process for no-space.test.ts: an app that opens its stats in a nearly full file
// system and then stores into every part of the file, as a real app would over time.
// argv: dir, format (1 or 2), degrade (1 or 0). Prints one JSON line: what open() threw, or
// the values read back after the stores.
import { counter, defineModel, histogram, isMmstatsError } from './index.js';

const dir = process.argv[2]!;
const format = Number(process.argv[3]) as 1 | 2;
const degrade = process.argv[4] === '1';

// v1: 500 counters, about 20 KiB of records (5 pages). v2: one counter at open; then, at run
// time, histograms of 8 KiB each, added into the default 64 KiB capacity.
const names = Array.from({ length: format === 1 ? 500 : 1 }, (_, i) => `c${i}`);
const Model = defineModel(Object.fromEntries(names.map((name) => [name, counter({ label: `counter.number.${name}` })])), { system: false });
let stats;
try {
  stats = Model.open({ path: dir, format, degrade });
} catch (error) {
  console.log(JSON.stringify({ thrown: isMmstatsError(error) ? error.code : String(error) }));
  process.exit(0);
}
const handles = names.map((name) => stats[name]!);
for (const handle of handles) handle.incr();
let observed = 0;
if (stats.format === 2) {
  for (let i = 0; i < 6; i++) {
    const h = stats.add(`late.h${i}`, histogram());
    h.observe(1e12); // the overflow bucket: the last word of the record
    observed += h.count;
  }
}
console.log(JSON.stringify({ inMemory: stats.inMemory, path: stats.path, counted: handles.reduce((n, h) => n + Number(h.value), 0), observed }));
