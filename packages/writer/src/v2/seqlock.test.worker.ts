// Runs in a worker thread for seqlock.test.ts: writes a histogram, an average, a window and a
// text as fast as it can, until the main thread sets the stop flag. Every value it writes keeps
// an invariant a torn read would break (see the test).
import { parentPort, workerData } from 'node:worker_threads';
import { average, defineModel, histogram, text, window } from '../index.js';

const { dir, stop } = workerData as { dir: string; stop: Int32Array };
const stats = defineModel({ h: histogram(), a: average(), w: window({ slots: 4 }), t: text({ capacity: 64 }) }, { system: false }).open({ path: dir });
parentPort!.postMessage({ path: stats.path });
const words = ['a'.repeat(64), 'b'.repeat(64)];
let i = 0;
while (Atomics.load(stop, 0) === 0) {
  stats.h.observe(1 + (i & 7)); // count == Σ buckets, sum == Σ of 1..8 in that mix
  stats.a.add(2); // sum == 2 × count
  stats.w.add(3, 1000); // one slot: sum == 3 × count
  stats.t.value = words[i & 1]!; // all one letter
  i++;
}
stats.remove();
parentPort!.postMessage({ writes: i });
