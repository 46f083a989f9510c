// Runs in a worker thread for threads.test.ts: opens the model in this thread, counts, and
// reports its file and tid. Each worker must get a file of its own.
import { parentPort, workerData } from 'node:worker_threads';
import { counter, defineModel, osThreadId } from './index.js';

const { dir, times } = workerData as { dir: string; times: number };
const stats = defineModel({ done: counter({ label: 'jobs.done' }) }).open({ path: dir, labelPrefix: 'worker.' });
for (let i = 0; i < times; i++) stats.done.incr();
parentPort!.postMessage({ path: stats.path, tid: osThreadId() });
