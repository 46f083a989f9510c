/**
 * The event-loop records of the runtime collector: prom-client's lag gauges, with its
 * definitions, and a delay histogram of our own that merges across workers.
 *
 * @module
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type { TimerV2 } from '../v2/timers.js';
import type { FieldDef } from '../common/field-def.js';
import { gauge, timer } from '../fields.js';
import type { GaugeV2 } from '../v2/scalars.js';
import { SECONDS_BUCKETS } from './target.js';

/** Adds one record under the collector's prefix. */
export type AddRecord = <H>(name: string, def: FieldDef<H, unknown>) => H;

/** The statistics of `monitorEventLoopDelay` that prom-client exposes as gauges, with its help and its cluster aggregators as merge rules. */
const LAG_STATISTICS = [
  { name: 'min', merge: 'min', help: 'The minimum recorded event loop delay.', of: (h: IntervalHistogram) => h.min },
  { name: 'max', merge: 'max', help: 'The maximum recorded event loop delay.', of: (h: IntervalHistogram) => h.max },
  { name: 'mean', merge: 'avg', help: 'The mean of the recorded event loop delays.', of: (h: IntervalHistogram) => h.mean },
  { name: 'stddev', merge: 'avg', help: 'The standard deviation of the recorded event loop delays.', of: (h: IntervalHistogram) => h.stddev },
  { name: 'p50', merge: 'avg', help: 'The 50th percentile of the recorded event loop delays.', of: (h: IntervalHistogram) => h.percentile(50) },
  { name: 'p90', merge: 'avg', help: 'The 90th percentile of the recorded event loop delays.', of: (h: IntervalHistogram) => h.percentile(90) },
  { name: 'p99', merge: 'avg', help: 'The 99th percentile of the recorded event loop delays.', of: (h: IntervalHistogram) => h.percentile(99) },
] as const;

/** The event-loop records of one collector; `collect()` refreshes them, `stop()` ends the sampling. */
export interface EventLoopRecords {
  /** Moves what was sampled since the last call into the records, then starts a new interval. */
  collect(): void;
  /** Stops `monitorEventLoopDelay`; the records keep their last values. */
  stop(): void;
}

/**
 * Adds the event-loop records (labels before `add`'s prefix, all in seconds but the ratio):
 * - `nodejs.eventloop.lag` (gauge, merge `avg`): how long a `setImmediate` queued at each
 *   collection waited, as prom-client's `nodejs_eventloop_lag_seconds`;
 * - `nodejs.eventloop.lag.{min,max,mean,stddev,p50,p90,p99}` (gauges; merge `min`, `max`,
 *   else `avg`, prom-client's aggregators): the delays `monitorEventLoopDelay` sampled over
 *   the interval, as prom-client reports them (including the `resolutionMs` sampling
 *   interval: about 10 ms on an idle loop); not updated for an interval with no sample;
 * - `nodejs.eventloop.delay` (timer): the same samples less the sampling interval, in a
 *   histogram, so that percentiles merge across workers (ours, not prom-client's);
 * - `nodejs.eventloop.utilization` (gauge, ratio, merge `avg`): the share of the interval the
 *   loop was busy (ours).
 */
export function addEventLoopRecords(add: AddRecord, resolutionMs: number): EventLoopRecords {
  const lag = add('nodejs.eventloop.lag', gauge({ unit: 'seconds', merge: 'avg', help: 'Lag of event loop in seconds.' }));
  const statistics = LAG_STATISTICS.map((s) => ({ of: s.of, record: add(`nodejs.eventloop.lag.${s.name}`, gauge({ unit: 'seconds', merge: s.merge, help: s.help })) }));
  const delays = add('nodejs.eventloop.delay', timer({ ...SECONDS_BUCKETS, help: `Event loop delay beyond the ${resolutionMs} ms sampling interval, in seconds (perf_hooks.monitorEventLoopDelay).` }));
  const utilization = add('nodejs.eventloop.utilization', gauge({ unit: 'ratio', merge: 'avg', help: 'Share of the last interval the event loop was busy (performance.eventLoopUtilization).' }));

  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  let elu: EventLoopUtilization = performance.eventLoopUtilization();

  return {
    collect(): void {
      measureLag(lag);
      if (histogram.count > 0) {
        for (const { of, record } of statistics) record.value = of(histogram) / 1e9;
        moveDelays(histogram, resolutionMs * 1e6, delays);
      }
      histogram.reset();
      const now = performance.eventLoopUtilization();
      utilization.value = performance.eventLoopUtilization(now, elu).utilization;
      elu = now;
    },
    stop(): void {
      histogram.disable();
    },
  };
}

/** Sets `lag` to how long an immediate queued now waits to run; the immediate never keeps the process alive. */
function measureLag(lag: GaugeV2): void {
  const start = process.hrtime.bigint();
  setImmediate(() => {
    lag.value = Number(process.hrtime.bigint() - start) / 1e9;
  }).unref();
}

/**
 * Moves the delays `histogram` sampled since its last reset into `timer`, in seconds, less
 * the sampling interval (`resolutionNs`): Node records the time between two firings of a
 * `resolution` ms timer, so an idle loop shows `resolution`, not 0. Node's histogram only
 * gives percentile points (`p → value`), so the samples between two points are recorded at
 * the upper one: every recorded value is one Node recorded, the count is exact, and the
 * minimum and maximum are kept.
 */
function moveDelays(histogram: IntervalHistogram, resolutionNs: number, timer: TimerV2): void {
  const count = histogram.count;
  const seconds = (ns: number): number => Math.max(0, ns - resolutionNs) / 1e9;
  timer.record(seconds(histogram.min));
  let done = 1;
  for (const [percent, value] of histogram.percentiles) {
    const upTo = Math.min(count, Math.round((percent / 100) * count));
    const v = seconds(value);
    for (; done < upTo; done++) timer.record(v);
  }
  const max = seconds(histogram.max);
  for (; done < count; done++) timer.record(max);
}
