// Runs in a worker thread for threads.test.ts: opens the model in this thread (format 1 or 2),
// counts, and reports its file and tid. Each worker must get a file of its own.
import { parentPort, workerData } from 'node:worker_threads';
import { counter, defineModel, osThreadId } from './index.js';

const { dir, times, format } = workerData as { dir: string; times: number; format: 1 | 2 };
const stats = defineModel({ done: counter({ label: 'jobs.done' }) }).open({ path: dir, labelPrefix: 'worker.', format });
for (let i = 0; i < times; i++) stats.done.incr();
parentPort!.postMessage({ path: stats.path, tid: osThreadId() });
