// A live writer process for the CLI's tests (and the README's screen capture): it publishes a
// stats file through @mmstats/writer and counts up on a timer until it is told to stop.
//
//   node counting-writer.test.child.js DIR [STEP] [EVERY_MS] [LABEL_PREFIX]
//
// Fields (after LABEL_PREFIX, default "app."): `requests` (a counter, +STEP every EVERY_MS),
// `workers` (a gauge, always 1: the sum over files counts the writers), `step` (a gauge: STEP),
// plus the default model's `sys.*` fields. The file is `DIR/writer-<pid>.mmstats`; its path is
// printed as one JSON line on stdout once it exists. SIGTERM removes the file and exits 0 (as
// a well-behaved service would); SIGKILL leaves it behind (a crash).
import { counter, defineModel, uint } from '@mmstats/writer';

const [dir, stepText = '1', everyText = '10', labelPrefix = 'app.'] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: counting-writer DIR [STEP] [EVERY_MS] [LABEL_PREFIX]');
const step = Number(stepText);

const stats = defineModel({
  requests: counter({ label: 'requests' }),
  workers: uint({ label: 'workers' }),
  step: uint({ label: 'step' }),
}).open({ path: dir, filename: 'writer-{PID}.mmstats', labelPrefix });
stats.workers.value = 1;
stats.step.value = step;

const timer = setInterval(() => stats.requests.incr(step), Number(everyText));
process.stdout.write(`${JSON.stringify({ path: stats.path, pid: process.pid })}\n`);

process.on('SIGTERM', () => {
  clearInterval(timer);
  stats.remove();
  process.exit(0);
});
