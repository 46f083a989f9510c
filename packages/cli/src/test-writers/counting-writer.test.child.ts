// A live writer process for the CLI's tests (and the README's screen capture): it publishes a
// stats file through @mmstats/writer and counts up on a timer until it is told to stop.
//
//   node counting-writer.test.child.js DIR [STEP] [EVERY_MS] [LABEL_PREFIX] [FORMAT] [EXPONENTIAL]
//
// Fields (after LABEL_PREFIX, default "app."): `requests` (a counter, +STEP every EVERY_MS),
// `workers` (a gauge, always 1: the sum over files counts the writers), `step` (a gauge: STEP),
// plus the default model's system fields. FORMAT 2 (the default, the writer's) adds `latency`,
// a timer that records STEP/1000 seconds on every tick, and `recent`, a window of the same
// values; EXPONENTIAL `exp` (or `exp:T`, zero threshold T) adds `sizes`, an exponential
// histogram (exphistogram) recording STEP × ticks and −STEP × ticks / 4 on every tick
// (downscaling as the range grows, from scale 8 on 132 slots). FORMAT 1 writes Python's format (counter `Q`, gauges `I`, `sys.pid`...). The file is
// `DIR/writer-<pid>.mmstats`; its path is printed as one JSON line on stdout once it exists.
// SIGTERM removes the file and exits 0 (as a well-behaved service would); SIGKILL leaves it
// behind (a crash).
import { counter, defineModel, histogram, timer, uint, window } from '@mmstats/writer';

const [dir, stepText = '1', everyText = '10', labelPrefix = 'app.', formatText = '2', exponentialText = ''] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: counting-writer DIR [STEP] [EVERY_MS] [LABEL_PREFIX] [FORMAT] [EXPONENTIAL]');
const step = Number(stepText);
const open = { path: dir, filename: 'writer-{PID}.mmstats', labelPrefix };

let tick: () => void;
let path: string;
let remove: () => void;
if (formatText === '1') {
  const stats = defineModel({
    requests: counter({ label: 'requests' }),
    workers: uint({ label: 'workers' }),
    step: uint({ label: 'step' }),
  }).open({ ...open, format: 1 });
  stats.workers.value = 1;
  stats.step.value = step;
  tick = () => stats.requests.incr(step);
  path = stats.path;
  remove = () => stats.remove();
} else {
  const stats = defineModel({
    requests: counter({ label: 'requests', unit: 'requests', help: 'requests served' }),
    workers: uint({ label: 'workers' }),
    step: uint({ label: 'step' }),
    latency: timer({ label: 'latency', help: 'time to answer' }),
    recent: window({ label: 'recent', unit: 'seconds', slots: 10, slotMs: 1000 }),
    ...(exponentialText.startsWith('exp') ? { sizes: histogram({ label: 'sizes', unit: 'bytes', encoding: 'exponential', buckets: 132, zeroThreshold: Number(exponentialText.slice(4) || '0') }) } : {}),
  }).open(open);
  stats.workers.value = 1;
  stats.step.value = step;
  let ticks = 0;
  tick = () => {
    stats.requests.incr(step);
    stats.latency.record(step / 1000);
    stats.recent.add(step / 1000);
    if ('sizes' in stats) {
      ticks++;
      stats.sizes.observe(step * ticks);
      stats.sizes.observe((-step * ticks) / 4);
    }
  };
  path = stats.path;
  remove = () => stats.remove();
}

const timerId = setInterval(tick, Number(everyText));
process.stdout.write(`${JSON.stringify({ path, pid: process.pid })}\n`);

process.on('SIGTERM', () => {
  clearInterval(timerId);
  remove();
  process.exit(0);
});
