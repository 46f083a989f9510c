// A child process for the tests and the benchmark: a program that writes stats with
// @mmstats/writer while mmash reads them. It counts `app.ticks` up by itself every
// `intervalMs` (0: never) and also by the steps its parent sends over IPC, so a test can
// either watch a live value rise or know the exact value it must see.
//
//   node live-writer.test.child.js DIR NAME INTERVAL_MS
import { counter, defineModel, string } from '@mmstats/writer';

const [dir, name, intervalArg] = process.argv.slice(2);
const App = defineModel({
  ticks: counter({ label: 'ticks' }),
  state: string({ label: 'state', size: 16 }),
});
const stats = App.open({ path: dir!, filename: `${name}-{PID}.mmstats`, labelPrefix: 'app.' });
stats.state.value = 'running';

const intervalMs = Number(intervalArg ?? 0);
const timer = intervalMs > 0 ? setInterval(() => stats.ticks.incr(), intervalMs) : undefined;

function stop(): void {
  clearInterval(timer);
  stats.remove();
  process.disconnect?.();
}

process.on('message', (message: { step?: number; exit?: boolean }) => {
  if (message.exit) return stop();
  stats.ticks.incr(message.step ?? 1);
  process.send!({ ticks: Number(stats.ticks.value) });
});
// A parent that dies must not leave this process counting forever.
process.on('disconnect', () => {
  clearInterval(timer);
  stats.remove();
});
process.send!({ path: stats.path, pid: process.pid });
