// The writer's runtime collector, read through mmash's /metrics, gives every one of
// prom-client's default metrics under the same name, type and labels, so that dashboards built
// for prom-client work unchanged; checked against prom-client's own registry in this process.
import test, { type ExecutionContext } from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, open, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { readStats } from '@mmstats/reader';
import { collectRuntimeMetrics } from '@mmstats/writer/runtime';
import { PROMTOOL, startTestMmash, tempDir, testWithTool } from './test-support.test.util.js';

/** One metric family as scraped: its type and the label names its samples carry. */
interface Family {
  readonly type: string;
  readonly labels: readonly string[];
}

/** Labels mmash puts on every series (which service; per worker or file: which one): not part of what is compared. */
const MMASH_LABELS = new Set(['service', 'worker', 'pid', 'file']);

/**
 * Our records that prom-client has no equivalent of: the event-loop delay histogram (whose
 * percentiles merge across workers), the loop's utilisation, and the default model's Node
 * version text.
 */
const OUR_OWN = ['nodejs_eventloop_delay_seconds', 'nodejs_eventloop_utilization_ratio', 'org_nodejs_version_info'];

/** mmash's series about each scrape (`mmstats_files_read`, `mmstats_read_errors`) start with this. */
const MMASH_FAMILY_PREFIX = 'mmstats_';

/** The families of a text-format (0.0.4) exposition, by name, with the label names of their samples (less mmash's labels and families). */
function families(exposition: string): Map<string, Family> {
  const found = new Map<string, { type: string; labels: Set<string>; samples: number }>();
  let current: { name: string; labels: Set<string>; samples: number } | undefined;
  for (const line of exposition.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type !== null && type[1]!.startsWith(MMASH_FAMILY_PREFIX)) {
      current = undefined; // mmash's own series about the scrape, not the application's
      continue;
    }
    if (type !== null) {
      current = { name: type[1]!, labels: new Set(), samples: 0 };
      found.set(type[1]!, { type: type[2]!, labels: current.labels, samples: 0 });
      continue;
    }
    if (line === '' || line.startsWith('#') || current === undefined) continue;
    const sample = /^([^{ ]+)(?:\{(.*)\})? /.exec(line);
    if (sample === null || !sample[1]!.startsWith(current.name)) throw new Error(`a sample outside its family: ${line}`);
    for (const [, name] of (sample[2] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)="(?:[^"\\]|\\.)*"/g)) if (!MMASH_LABELS.has(name!)) current.labels.add(name!);
    found.get(current.name)!.samples++;
  }
  const result = new Map<string, Family>();
  for (const [name, family] of found) {
    if (family.samples === 0) throw new Error(`${name} has no samples, so its labels cannot be compared`);
    result.set(name, { type: family.type, labels: [...family.labels].sort() });
  }
  return result;
}

/** What `promtool check metrics` finds in `text`, one finding per line (none: `[]`). */
function promtoolFindings(text: string): string[] {
  const run = spawnSync(PROMTOOL.path, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0 && run.status !== 3) throw new Error(`promtool could not parse the metrics (exit ${run.status}): ${run.stdout}${run.stderr}`);
  return `${run.stdout}${run.stderr}`.split('\n').filter((line) => line.trim() !== '');
}

/**
 * Runs both collectors in this process with a listening server (a handle), a pending file open
 * (a request: a FIFO nobody writes opens only when the test ends) and some garbage collected,
 * so that every family has samples; returns prom-client's exposition and mmash's /metrics.
 */
async function bothExpositions(t: ExecutionContext): Promise<{ theirs: string; ours: string }> {
  const { dir, cleanup } = tempDir('mmash-prom-client-');
  t.teardown(cleanup);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const runtime = collectRuntimeMetrics({ file: { path: dir }, intervalMs: 60_000 });
  t.teardown(() => runtime.stop());

  const server = createServer().listen(0, '127.0.0.1');
  t.teardown(() => server.close());
  const fifo = join(dir, 'request.fifo'); // not a *.mmstats name: mmash never opens it
  execFileSync('mkfifo', [fifo]);
  const opened = new Promise<void>((resolve) =>
    open(fifo, 'r', (error, fd) => {
      if (error === null) closeSync(fd);
      resolve();
    }),
  );
  // Opening the other end lets the pending open finish; until it does, it keeps the process alive.
  t.teardown(async () => {
    closeSync(openSync(fifo, 'w'));
    await opened;
  });

  const path = (runtime.stats as { path: string }).path;
  for (let round = 0; round < 100 && !readStats(path).fields.some((f) => f.label === 'nodejs.gc.duration'); round++) {
    let garbage: unknown[] = [];
    for (let i = 0; i < 100_000; i++) garbage.push({ i, text: `item ${i}` });
    garbage = [];
    await sleep(20); // GC entries reach the observers asynchronously
  }
  runtime.collect();
  await sleep(20); // the lag gauges are set from an immediate
  const theirs = await registry.metrics();

  const mmash = await startTestMmash({ targets: [dir] });
  t.teardown(() => mmash.close());
  // Per worker: prom-client's registry is one process's, and per-process values such as
  // process_start_time_seconds do not merge over a service.
  const response = await fetch(new URL('/metrics?series=worker', mmash.url));
  return { theirs, ours: await response.text() };
}

test("mmash /metrics of the runtime collector has each of prom-client's default metrics: same name, type and label names", async (t) => {
  const { theirs, ours } = await bothExpositions(t);
  const wanted = families(theirs);
  const found = families(ours);
  t.true(wanted.size >= 30, `prom-client's families: ${[...wanted.keys()].join(' ')}`);
  for (const [name, family] of wanted) t.deepEqual(found.get(name), family, name);
  t.deepEqual([...found.keys()].filter((name) => !wanted.has(name)).sort(), [...OUR_OWN].sort(), 'no families but our documented own');
});

testWithTool(PROMTOOL)("promtool finds nothing in mmash's /metrics of the runtime collector that it does not find in prom-client's own", async (t) => {
  const { theirs, ours } = await bothExpositions(t);
  const theirFindings = promtoolFindings(theirs);
  // prom-client's own names break one convention (gauges ending in _total); the same names
  // are kept, so that its dashboards work, and promtool says the same of both.
  t.deepEqual(promtoolFindings(ours), theirFindings);
  t.log(`promtool on both: ${theirFindings.join('; ') || 'no findings'}`);
});
