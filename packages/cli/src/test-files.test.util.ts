// Helpers shared by the CLI's tests: stats files written by the real writer, v1 with the
// `sys.pid` and `sys.created` a test needs or v2 with the header's pid and process start, and
// the built executables.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import { mergeSnapshots, readStats, type StatsSnapshot } from '@mmstats/reader';
import { counter, defineModel, staticDouble, staticUint } from '@mmstats/writer';

/** The built `mmstats` executable and the Python-compatible ones. */
export const bins = {
  mmstats: fileURLToPath(new URL('./mmstats.bundle.js', import.meta.url)),
  slurpstats: fileURLToPath(new URL('./slurpstats.bundle.js', import.meta.url)),
  pollstats: fileURLToPath(new URL('./pollstats.bundle.js', import.meta.url)),
  cleanstats: fileURLToPath(new URL('./cleanstats.bundle.js', import.meta.url)),
};

/** The live writer child script. */
export const countingWriter = fileURLToPath(new URL('./test-writers/counting-writer.test.child.js', import.meta.url));

/** A fresh temp dir, removed when the test ends. */
export function tempDir(t: ExecutionContext, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mmstats-${name}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Writes `dir/name` with the real writer: a `requests` counter (set to `requests`) under
 * `labelPrefix`. Format 1 (the default here: the v1 rules of clean and poll are about `sys.*`
 * fields) adds `sys.pid`/`sys.created` as given (left out when `undefined`); format 2 puts
 * `pid` (0: none) and `processStart` in the header instead.
 */
export function statsFileFor(
  dir: string,
  name: string,
  fields: { pid?: number; created?: number; processStart?: number; requests?: number; labelPrefix?: string; format?: 1 | 2 },
): string {
  if (fields.format === 2) {
    const v2 = defineModel({ requests: counter({ label: 'requests', unit: 'requests' }) }, { system: false }).open({
      path: dir,
      filename: name,
      labelPrefix: fields.labelPrefix ?? 'app.',
      heartbeatMs: 0,
      internal: { pid: fields.pid ?? 0, ...(fields.processStart === undefined ? {} : { processStart: fields.processStart }) },
    });
    v2.requests.value = fields.requests ?? 0;
    return v2.path;
  }
  const model = defineModel(
    {
      requests: counter({ label: 'requests' }),
      ...(fields.pid === undefined ? {} : { pid: staticUint({ label: 'sys.pid', value: fields.pid }) }),
      ...(fields.created === undefined ? {} : { created: staticDouble({ label: 'sys.created', value: fields.created }) }),
    },
    { system: false },
  );
  const stats = model.open({ path: dir, filename: name, labelPrefix: fields.labelPrefix ?? 'app.', format: 1 });
  stats.requests.value = fields.requests ?? 0;
  return stats.path;
}

/** Polls `check` every 20 ms until it returns something other than `undefined`/`false`, or fails after `ms`. */
export async function eventually<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const result = await check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A running counting writer child (see test-writers/counting-writer.test.child.ts). */
export interface Writer {
  readonly child: ChildProcess;
  readonly path: string;
  readonly pid: number;
}

/**
 * Starts a counting writer in `dir` that adds `step` to `app.requests` every `everyMs`, and
 * resolves once its file exists and it has counted at least once. Killed when the test ends.
 * `format` 2 (the writer's default) or 1 (Python's). `exponential` adds the exponential
 * histogram `app.sizes`, of that zero threshold.
 */
export async function startWriter(t: ExecutionContext, dir: string, step: number, everyMs = 20, options: { uid?: number; format?: 1 | 2; exponential?: { zeroThreshold: number } } = {}): Promise<Writer> {
  const exponential = options.exponential === undefined ? '' : `exp:${options.exponential.zeroThreshold}`;
  const child = spawn(process.execPath, [countingWriter, dir, String(step), String(everyMs), 'app.', String(options.format ?? 2), exponential], {
    stdio: ['ignore', 'pipe', 'inherit'],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const started = await eventually(`writer ${step} to start`, () => (out.includes('\n') ? (JSON.parse(out.split('\n')[0]!) as { path: string; pid: number }) : undefined));
  await eventually(`writer ${step} to count`, () => {
    const field = readStats(started.path).fields.find((f) => f.label === 'app.requests');
    return field !== undefined && field.value !== 0n && field.value !== 0;
  });
  return { child, ...started };
}

/** A child process whose stdout and stderr are collected line by line as they come. */
export interface Running {
  readonly child: ChildProcess;
  /** Complete stdout lines so far. */
  readonly lines: string[];
  /** Everything on stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or 128 + signal number). */
  readonly exited: Promise<number>;
}

/** Spawns `node script ...args`, collecting its output; killed when the test ends. */
export function run(t: ExecutionContext, script: string, args: readonly string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env } });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const lines: string[] = [];
  let partial = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number>((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : signal === 'SIGINT' ? 2 : 0))),
  );
  return { child, lines, stderr: () => err, exited };
}

/**
 * Skips (with why) where a facility is missing, but fails in CI, which must have it.
 * @returns `false` when the test cannot run
 */
export function need(t: ExecutionContext, ok: boolean, what: string): boolean {
  if (ok) return true;
  if (process.env['CI'] === 'true') {
    t.fail(`CI must have ${what}`);
  } else {
    t.log(`skipped: needs ${what}`);
    t.pass();
  }
  return false;
}

/**
 * The merged counters, histograms and timers of `snapshots` by label and dimensions, as JSON:
 * what folding must keep. Fractions to 12 digits: a histogram's `sum` added in another order
 * (the archive first, or last) may differ in its last bit; counts are integers, and exact.
 */
export function countersOf(snapshots: Iterable<StatsSnapshot>): Record<string, unknown> {
  const plain = (_: string, v: unknown): unknown =>
    typeof v === 'bigint' ? Number(v) : ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v;
  return Object.fromEntries(
    mergeSnapshots(snapshots)
      .filter((field) => field.kind === 'counter' || field.kind === 'histogram' || field.kind === 'timer')
      .map((field) => [JSON.stringify([field.label, field.dims]), JSON.parse(JSON.stringify(field.value, plain)) as unknown]),
  );
}
