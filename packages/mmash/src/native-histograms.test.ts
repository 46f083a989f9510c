// A real Prometheus 2.42 (Debian's `prometheus`) with native histograms enabled scrapes mmash,
// which answers in protobuf: the exponential histogram of one writer process, and of three
// processes of one service merged by mmash (series=service, the default), arrive as one native
// histogram whose histogram_count, histogram_sum and histogram_quantile (raw, and over rate()
// for what a window added) agree with the values observed. An idle service whose series comes first in the family (no observations) is a
// native histogram too.
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { isExpHistogramValue } from '@mmstats/format';
import { readStats } from '@mmstats/reader';
import { PROMETHEUS, nextMessage, startPrometheus, startTestMmash, tempDir, testWithTool, waitFor } from './test-support.test.util.js';

const CHILD = fileURLToPath(new URL('./exp-histogram-writer.test.child.js', import.meta.url));

/** A writer process of exp-histogram-writer.test.child.ts. */
interface Writer {
  readonly path: string;
  observe(values: readonly number[]): Promise<void>;
}

async function startWriter(t: ExecutionContext, dir: string, service: string): Promise<Writer> {
  const child = fork(CHILD, [dir, service], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.teardown(async () => {
    if (child.exitCode === null && child.connected) child.send({ exit: true });
    const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timeout);
  });
  const { path } = await nextMessage<{ path: string }>(child);
  return {
    path,
    async observe(values) {
      const answer = nextMessage<{ observed: number }>(child);
      child.send({ observe: values });
      await answer;
    },
  };
}

/** `n` latencies spread over `from` to `to` seconds, log-uniformly, from a fixed seed (the same every run). */
function latencies(n: number, seed: number, from: number, to: number): number[] {
  let state = seed;
  const next = (): number => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: n }, () => from * (to / from) ** next());
}

/** The exact `q`-quantile of `values`: the value of rank ⌈q·n⌉, the one whose bucket `histogram_quantile` interpolates in. */
function exactQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/** The scale the merged histogram has: the coarsest of the files' (merging downscales the finer ones). */
function mergedScale(paths: readonly string[]): number {
  return Math.min(
    ...paths.map((path) => {
      const value = readStats(path).fields.find((f) => f.label === 'app.latency')?.value;
      if (!isExpHistogramValue(value)) throw new Error(`no exponential histogram in ${path}`);
      return value.scale;
    }),
  );
}

async function scrapedNativeHistogram(t: ExecutionContext, processes: number): Promise<void> {
  const { dir, cleanup } = tempDir();
  t.teardown(cleanup);
  const statsDir = join(dir, 'stats');
  mkdirSync(statsDir);
  const writers = await Promise.all(Array.from({ length: processes }, () => startWriter(t, statsDir, 'checkout')));
  // Its series is the family's first (services in name order): Prometheus 2.42 decides by it whether the family is native.
  await startWriter(t, statsDir, 'basket');
  const batches = writers.map((_, i) => latencies(600 + 200 * i, 7 + i, 0.001, 2));
  await Promise.all(writers.map((w, i) => w.observe(batches[i]!)));
  const values = batches.flat();
  const mmash = await startTestMmash({ targets: [join(statsDir, '*.mmstats')] });
  t.teardown(() => mmash.close());
  const { query } = await startPrometheus(t, dir, [`127.0.0.1:${mmash.port}`], {}, ['native-histograms']);

  const count = await waitFor('histogram_count of the native histogram', async () => {
    const result = await query('histogram_count(app_latency_seconds{service="checkout"})');
    return result.length === 1 && Number(result[0]!.value[1]) === values.length ? result[0] : undefined;
  }, 45_000, 250);
  t.is(count.metric['service'], 'checkout', 'one series for the service, merged over its processes');
  t.deepEqual((await query('histogram_count(app_latency_seconds{service="basket"})')).map((s) => s.value[1]), ['0']);
  const sum = Number((await query('histogram_sum(app_latency_seconds{service="checkout"})'))[0]!.value[1]);
  const exactSum = values.reduce((a, b) => a + b, 0);
  t.true(Math.abs(sum - exactSum) <= 1e-9 * exactSum, `${sum} vs ${exactSum}`);
  // Native only: Prometheus 2.42 drops the classic buckets sent beside a native histogram.
  t.deepEqual(await query('app_latency_seconds_bucket'), []);
  t.is((await query('app_requests_total{service="checkout"}'))[0]?.value[1], String(values.length), 'the other families come too');

  // The estimate and the exact quantile lie in one bucket (b^(k−1), b^k]: they differ by a factor of at most b.
  const scale = mergedScale(writers.map((w) => w.path));
  const bound = 2 ** 2 ** -scale - 1;
  const agrees = async (expr: (q: number) => string, observed: readonly number[], time?: number): Promise<void> => {
    for (const q of [0.5, 0.9, 0.99]) {
      const estimate = Number((await query(expr(q), time))[0]!.value[1]);
      const exact = exactQuantile(observed, q);
      const error = Math.abs(estimate - exact) / exact;
      t.log(`${expr(q)}: ${estimate.toPrecision(6)}, exact ${exact.toPrecision(6)}, error ${(100 * error).toFixed(2)} % (bound ${(100 * bound).toFixed(2)} % at scale ${scale})`);
      t.true(error <= bound, `${expr(q)}: ${estimate} vs ${exact} (scale ${scale}, bound ${bound})`);
    }
  };
  await agrees((q) => `histogram_quantile(${q}, app_latency_seconds{service="checkout"})`, values);
  t.true(scale >= 3, `scale ${scale}`);

  // Over rate(): the quantiles of what the window added. A second batch, 0.1 s to 0.5 s (inside
  // the first's range, so the scale stays), then a window from scrapes before it to one after.
  const secondAt = Date.now() / 1000;
  const second = writers.map((_, i) => latencies(300, 70 + i, 0.1, 0.5));
  await Promise.all(writers.map((w, i) => w.observe(second[i]!)));
  const seenAt = await waitFor('the second batch in Prometheus', async () => {
    const result = await query('histogram_count(app_latency_seconds{service="checkout"})');
    return Number(result[0]?.value[1]) === values.length + 300 * processes ? result[0]!.value[0] : undefined;
  }, 45_000, 250);
  const window = Math.ceil(seenAt - secondAt) + 3;
  await agrees((q) => `histogram_quantile(${q}, rate(app_latency_seconds{service="checkout"}[${window}s]))`, second.flat(), seenAt);
  t.is(mergedScale(writers.map((w) => w.path)), scale);
}

testWithTool(PROMETHEUS)('Prometheus with native histograms ingests one process\'s exponential histogram as a native histogram', async (t) => {
  await scrapedNativeHistogram(t, 1);
});

testWithTool(PROMETHEUS)('Prometheus with native histograms ingests three processes\' exponential histograms, merged by mmash, as one native histogram', async (t) => {
  await scrapedNativeHistogram(t, 3);
});
