// A child process for the tests and the benchmark: a program that writes stats with
// @mmstats/writer while mmash reads them. It counts `app.ticks` up by itself every
// `intervalMs` (0: never) and also by the steps its parent sends over IPC, so a test can
// either watch a live value rise or know the exact value it must see.
//
//   node live-writer.test.child.js DIR NAME INTERVAL_MS [FORMAT]
//
// FORMAT 2 (the default) writes the v2 kinds: a counter, two counters of one label with
// dimensions, a timer, a histogram in bytes, a window, an average, a gauge with a dimension and
// a text. FORMAT 1 writes what Python's tools read: the counter, the text and v1's sys.* fields.
//
// Each step of `n` (a message `{step: n}`) adds n to `app.ticks` and `app.requests{status=2xx}`,
// records n / 1000 s in the timer, observes n bytes, adds n to the window and the average, and
// sets the gauge to n. A message `{observe: v, times: k}` (v2 only) observes v bytes k times
// in the histogram and nothing else, so a test knows which bucket gains what. By itself, every tick adds 1 to the counters and records ticks / 2000 s
// in the timer, so its percentiles rise as time goes by.
import { average, counter, defineModel, gauge, histogram, string, timer, window } from '@mmstats/writer';

const [dir, name, intervalArg, formatArg] = process.argv.slice(2);
const format = formatArg === '1' ? 1 : 2;

interface Writer {
  readonly path: string;
  ticks(): number;
  step(n: number): void;
  /** v2 only: observes `value` `times` times in `app.payload`. */
  observe?(value: number, times: number): void;
  tick(): void;
  remove(): void;
}

function openV2(): Writer {
  const App = defineModel({
    ticks: counter({ label: 'ticks', help: 'ticks counted' }),
    ok: counter({ label: 'requests', unit: 'requests', help: 'requests served', dims: { status: '2xx' } }),
    failed: counter({ label: 'requests', unit: 'requests', help: 'requests served', dims: { status: '5xx' } }),
    latency: timer({ label: 'latency', help: 'time per request' }),
    payload: histogram({ label: 'payload', unit: 'bytes', help: 'payload sizes' }),
    recent: window({ label: 'recent', unit: 'seconds', help: 'recent work' }),
    load: average({ label: 'load', help: 'load per request' }),
    queue: gauge({ label: 'queue.depth', help: 'jobs waiting', dims: { queue: 'mail "outbox"' } }),
    state: string({ label: 'state', size: 16 }),
  });
  const stats = App.open({ path: dir!, filename: `${name}-{PID}.mmstats`, labelPrefix: 'app.' });
  stats.state.value = 'running';
  return {
    path: stats.path,
    ticks: () => Number(stats.ticks.value),
    step(n) {
      stats.ticks.incr(n);
      stats.ok.incr(n);
      stats.latency.record(n / 1000);
      stats.payload.observe(n);
      stats.recent.add(n);
      stats.load.add(n);
      stats.queue.set(n);
    },
    observe(value, times) {
      for (let i = 0; i < times; i++) stats.payload.observe(value);
    },
    tick() {
      stats.ticks.incr();
      stats.ok.incr();
      stats.latency.record(Number(stats.ticks.value) / 2000);
      stats.recent.add(1);
    },
    remove: () => stats.remove(),
  };
}

function openV1(): Writer {
  const App = defineModel({ ticks: counter({ label: 'ticks' }), state: string({ label: 'state', size: 16 }) }, { format: 1 });
  const stats = App.open({ path: dir!, filename: `${name}-{PID}.mmstats`, labelPrefix: 'app.' });
  stats.state.value = 'running';
  return {
    path: stats.path,
    ticks: () => Number(stats.ticks.value),
    step: (n) => stats.ticks.incr(n),
    tick: () => stats.ticks.incr(),
    remove: () => stats.remove(),
  };
}

const stats = format === 1 ? openV1() : openV2();
const intervalMs = Number(intervalArg ?? 0);
const timer_ = intervalMs > 0 ? setInterval(() => stats.tick(), intervalMs) : undefined;

function stop(): void {
  clearInterval(timer_);
  stats.remove();
  process.disconnect?.();
}

process.on('message', (message: { step?: number; observe?: number; times?: number; exit?: boolean }) => {
  if (message.exit) return stop();
  if (message.observe !== undefined) stats.observe?.(message.observe, message.times ?? 1);
  else stats.step(message.step ?? 1);
  process.send!({ ticks: stats.ticks() });
});
// A parent that dies must not leave this process counting forever.
process.on('disconnect', () => {
  clearInterval(timer_);
  stats.remove();
});
process.send!({ path: stats.path, pid: process.pid });
