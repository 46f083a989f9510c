/**
 * The runtime collector: Node's own health (CPU, memory, heap, event loop, GC, handles) as
 * v2 records, one for each of prom-client's default metrics, under its name and unit.
 *
 * @module
 */
import { readFileSync, readdirSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import type { TimerV2 } from '../v2/timers.js';
import type { FieldDef } from '../common/field-def.js';
import { counter, gauge, info, timer } from '../fields.js';
import type { GaugeV2 } from '../v2/scalars.js';
import type { OpenOptions } from '../common/file-options.js';
import type { StatsFileV2 } from '../v2/stats.js';
import { addActiveResourceRecords } from './active-resources.js';
import { addEventLoopRecords } from './event-loop.js';
import { SECONDS_BUCKETS, addRecord, openOwnFile, type StatsTarget } from './target.js';

/** The default `intervalMs` of {@link collectRuntimeMetrics}: values are refreshed once a second. */
export const DEFAULT_RUNTIME_INTERVAL_MS = 1000;

/** The default `eventLoopResolutionMs`: Node's own default for `monitorEventLoopDelay`. */
export const DEFAULT_EVENT_LOOP_RESOLUTION_MS = 10;

/** Options of {@link collectRuntimeMetrics}. */
export interface RuntimeMetricsOptions {
  /**
   * The stats file (or v2 builder) to add the records to, e.g. the application's own opened
   * model. Default: a file of the collector's own, `{CMD}-{PID}-{TID}.runtime.mmstats` in
   * `$MMSTATS_PATH` or the default stats directory `<tmpdir>/mmstats-<euid>` (see `file`).
   */
  readonly stats?: StatsTarget;
  /**
   * Where the collector's own file goes when `stats` is not given: `path`, `filename`
   * (default `{CMD}-{PID}-{TID}.runtime.mmstats`), `removeOnExit`, `labelPrefix`... as for
   * `Model.open()`. Ignored with `stats`.
   */
  readonly file?: Omit<OpenOptions<2>, 'format'>;
  /** How often the values are refreshed, in milliseconds, from an `unref`'d timer. Default: 1000 ({@link DEFAULT_RUNTIME_INTERVAL_MS}). */
  readonly intervalMs?: number;
  /** Put in front of every label (after the file's own `labelPrefix`). Default: `""`, so labels are prom-client's names. */
  readonly prefix?: string;
  /** The sampling interval of `monitorEventLoopDelay`, in milliseconds (at least 1). Default: 10 ({@link DEFAULT_EVENT_LOOP_RESOLUTION_MS}). */
  readonly eventLoopResolutionMs?: number;
  /** Record GC pauses by kind (a `PerformanceObserver` for `gc` entries). Default: `true`. */
  readonly gc?: boolean;
  /** Record each V8 heap space's size, used and available bytes (`v8.getHeapSpaceStatistics()`). Default: `true`. */
  readonly heapSpaces?: boolean;
}

/** A running collector, from {@link collectRuntimeMetrics}. */
export interface RuntimeMetrics {
  /** Where the records are: the `stats` given, or the collector's own file. */
  readonly stats: StatsTarget;
  /** Refreshes every value now (the timer does this every `intervalMs`). */
  collect(): void;
  /**
   * Stops the timer, the event-loop monitor and the GC observer. The records keep their last
   * values; the collector's own file (not a `stats` given) is closed (`CLOSED`, left for
   * readers). Calling it again does nothing.
   */
  stop(): void;
}

const GC_KINDS: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

function positive(name: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min) throw new RangeError(`${name} must be a number of at least ${min}, got ${value}`);
  return value;
}

/**
 * Starts collecting Node's runtime metrics into a stats file: one call, opt-in. Every
 * `intervalMs` (default 1 s) an `unref`'d timer stores CPU time, memory, heap, event-loop lag
 * and utilisation, active handles, requests and resources, and moves the event-loop delays
 * sampled by `perf_hooks.monitorEventLoopDelay` into gauges and a timer record; GC pauses are
 * recorded by kind as they are reported. Nothing runs on the application's own code paths.
 * Every metric of prom-client's `collectDefaultMetrics()` has a record whose label is its name
 * in dotted form with the unit apart (README: "Runtime metrics"), so that an exporter that puts
 * the unit and `_total` back (mmash's `/metrics`) gives prom-client's name, type and labels:
 * `process.cpu.user` (counter, seconds) for `process_cpu_user_seconds_total`,
 * `nodejs.heap_size.used` (gauge, bytes) for `nodejs_heap_size_used_bytes`,
 * `nodejs.gc.duration{kind}` (timer) for `nodejs_gc_duration_seconds{kind}`,
 * `nodejs.active_handles_total` (gauge) for `nodejs_active_handles_total`...
 *
 * ```ts
 * const stats = defineModel({ jobs: counter() }).open();
 * const runtime = collectRuntimeMetrics({ stats }); // or collectRuntimeMetrics(): a file of its own
 * // ... later, if ever:
 * runtime.stop();
 * ```
 *
 * @throws MmstatsError when the collector's own file cannot be made (see `file.degrade`);
 *   `RangeError` for an `intervalMs` or `eventLoopResolutionMs` below 1
 */
export function collectRuntimeMetrics(options: RuntimeMetricsOptions = {}): RuntimeMetrics {
  const intervalMs = positive('intervalMs', options.intervalMs ?? DEFAULT_RUNTIME_INTERVAL_MS, 1);
  const resolutionMs = Math.round(positive('eventLoopResolutionMs', options.eventLoopResolutionMs ?? DEFAULT_EVENT_LOOP_RESOLUTION_MS, 1));
  const own: StatsFileV2 | undefined = options.stats === undefined ? openOwnFile('runtime', options.file) : undefined;
  const stats: StatsTarget = options.stats ?? own!;
  const p = options.prefix ?? '';
  const add = <H>(name: string, def: FieldDef<H, unknown>): H => addRecord(stats, p + name, def);

  const cpuUser = add('process.cpu.user', counter({ unit: 'seconds', help: 'Total user CPU time spent in seconds.' }));
  const cpuSystem = add('process.cpu.system', counter({ unit: 'seconds', help: 'Total system CPU time spent in seconds.' }));
  const cpuTotal = add('process.cpu', counter({ unit: 'seconds', help: 'Total user and system CPU time spent in seconds.' }));
  add('process.start_time', info({ value: () => Date.now() / 1000 - process.uptime(), unit: 'seconds', help: 'Start time of the process since unix epoch in seconds.' }));
  const rss = add('process.resident_memory', gauge({ unit: 'bytes', help: 'Resident memory size in bytes.' }));
  const linux = process.platform === 'linux';
  const virtual = linux ? add('process.virtual_memory', gauge({ unit: 'bytes', help: 'Virtual memory size in bytes.' })) : undefined;
  const dataSegment = linux ? add('process.heap', gauge({ unit: 'bytes', help: 'Process heap size in bytes.' })) : undefined;
  const openFds = linux ? add('process.open_fds', gauge({ help: 'Number of open file descriptors.' })) : undefined;
  const maxFds = linux ? readMaxFds() : undefined;
  if (maxFds !== undefined) add('process.max_fds', info({ value: maxFds, help: 'Maximum number of open file descriptors.' }));

  const eventLoop = addEventLoopRecords(add, resolutionMs);
  const heapTotal = add('nodejs.heap_size.total', gauge({ unit: 'bytes', help: 'Process heap size from Node.js in bytes.' }));
  const heapUsed = add('nodejs.heap_size.used', gauge({ unit: 'bytes', help: 'Process heap size used from Node.js in bytes.' }));
  const external = add('nodejs.external_memory', gauge({ unit: 'bytes', help: 'Node.js external memory size in bytes.' }));
  const countActive = addActiveResourceRecords(add);
  const [major, minor, patch] = process.version.slice(1).split('.');
  add('nodejs.version_info', info({ value: 1, dims: { version: process.version, major: major ?? '', minor: minor ?? '', patch: patch ?? '' }, help: 'Node.js version info.' }));

  const spaces = new Map<string, { total: GaugeV2; used: GaugeV2; available: GaugeV2 }>();
  const gcTimers = new Map<string, TimerV2>();

  let observer: PerformanceObserver | undefined;
  if (options.gc ?? true) {
    observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const code = (entry as unknown as { detail?: { kind?: number } | null }).detail?.kind;
        const kind = (code === undefined ? undefined : GC_KINDS[code]) ?? 'other';
        let pause = gcTimers.get(kind);
        if (pause === undefined) {
          pause = add('nodejs.gc.duration', timer({ ...SECONDS_BUCKETS, dims: { kind }, help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.' }));
          gcTimers.set(kind, pause);
        }
        pause.record(entry.duration / 1000);
      }
    });
    observer.observe({ entryTypes: ['gc'] });
  }
  const heapSpaces = options.heapSpaces ?? true;

  const setCpu = (): void => {
    const usage = process.cpuUsage();
    cpuUser.value = usage.user / 1e6;
    cpuSystem.value = usage.system / 1e6;
    cpuTotal.value = (usage.user + usage.system) / 1e6;
  };

  const collect = (): void => {
    setCpu();
    const memory = process.memoryUsage();
    rss.value = memory.rss;
    heapTotal.value = memory.heapTotal;
    heapUsed.value = memory.heapUsed;
    external.value = memory.external;
    if (virtual !== undefined && dataSegment !== undefined) {
      const status = readProcStatus();
      if (status.VmSize !== undefined) virtual.value = status.VmSize;
      if (status.VmData !== undefined) dataSegment.value = status.VmData;
    }
    if (openFds !== undefined) {
      try {
        openFds.value = readdirSync('/proc/self/fd').length - 1; // less the one readdir itself holds
      } catch {
        // /proc unreadable: keep the last value
      }
    }
    eventLoop.collect();
    countActive();

    if (heapSpaces) {
      for (const space of getHeapSpaceStatistics()) {
        const name = space.space_name.replace(/_space$/, '');
        let records = spaces.get(name);
        if (records === undefined) {
          const dims = { space: name };
          records = {
            total: add('nodejs.heap_space_size.total', gauge({ unit: 'bytes', dims, help: 'Process heap space size total from Node.js in bytes.' })),
            used: add('nodejs.heap_space_size.used', gauge({ unit: 'bytes', dims, help: 'Process heap space size used from Node.js in bytes.' })),
            available: add('nodejs.heap_space_size.available', gauge({ unit: 'bytes', dims, help: 'Process heap space size available from Node.js in bytes.' })),
          };
          spaces.set(name, records);
        }
        records.total.value = space.space_size;
        records.used.value = space.space_used_size;
        records.available.value = space.space_available_size;
      }
    }
  };

  collect();
  const interval = setInterval(collect, intervalMs);
  interval.unref();
  let stopped = false;
  return {
    stats,
    collect,
    stop(): void {
      if (stopped) return;
      stopped = true;
      clearInterval(interval);
      observer?.disconnect();
      eventLoop.stop();
      own?.close();
    },
  };
}

/**
 * `VmSize` and `VmData` from `/proc/self/status`, in bytes (prom-client's
 * `process_virtual_memory_bytes` and `process_heap_bytes`); none when it cannot be read.
 */
function readProcStatus(): { VmSize?: number; VmData?: number } {
  const found: { VmSize?: number; VmData?: number } = {};
  try {
    for (const line of readFileSync('/proc/self/status', 'utf8').split('\n')) {
      const match = /^(VmSize|VmData):\s+(\d+) kB$/.exec(line);
      if (match !== null) found[match[1] as 'VmSize' | 'VmData'] = Number(match[2]) * 1024;
    }
  } catch {
    // /proc unreadable: keep the last values
  }
  return found;
}

/** The soft limit of open files from `/proc/self/limits`, or `undefined` when unknown or unlimited. */
function readMaxFds(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s+/)[3]);
    return Number.isFinite(soft) ? soft : undefined;
  } catch {
    return undefined;
  }
}
