// Helpers shared by the tests: temp dirs, writer processes, a running mmash, and finding
// the external tools (chromium, promtool, prometheus) that some tests need.
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { startMmash, type MmashOptions, type RunningMmash } from './server.js';
import { startPrometheus as startPrometheusServer, type RunningPrometheus } from './prometheus-server.test.util.js';
import { waitFor, type Tool } from './test-tools.test.util.js';

// What needs no ava lives in test-tools (benchmarks import it too); the tests get it from here as before.
export { CHROMIUM, PROMETHEUS, PROMTOOL, waitFor, type Tool } from './test-tools.test.util.js';
export { freePort, type QuerySample, type RunningPrometheus } from './prometheus-server.test.util.js';

/** A fresh directory, removed by `cleanup()`. */
export function tempDir(prefix = 'mmash-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A writer process (live-writer.test.child.ts) with the path of its stats file. */
export interface LiveWriter {
  readonly child: ChildProcess;
  readonly path: string;
  readonly pid: number;
  /** Adds `step` to `app.ticks` (and updates the other records) and resolves with the new count once it is written. */
  step(step: number): Promise<number>;
  /** Observes `value` bytes `times` times in `app.payload` (v2 writers only), all in one go, and resolves once they are written. */
  observe(value: number, times?: number): Promise<void>;
  /** Asks the writer to remove its file and exit, and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts a writer in `dir` writing `NAME-PID.mmstats` in format `format` (default 2: see
 * live-writer.test.child.ts for its records); `intervalMs` > 0 makes it count by itself.
 */
export async function startWriter(dir: string, name: string, intervalMs = 0, format: 1 | 2 = 2): Promise<LiveWriter> {
  const script = fileURLToPath(new URL('./live-writer.test.child.js', import.meta.url));
  const child = fork(script, [dir, name, String(intervalMs), String(format)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const hello = await nextMessage<{ path: string; pid: number }>(child);
  return {
    child,
    path: hello.path,
    pid: hello.pid,
    async step(step) {
      const reply = nextMessage<{ ticks: number }>(child);
      child.send({ step });
      return (await reply).ticks;
    },
    async observe(value, times = 1) {
      const reply = nextMessage<{ ticks: number }>(child);
      child.send({ observe: value, times });
      await reply;
    },
    async stop() {
      if (child.exitCode === null && child.connected) child.send({ exit: true });
      const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}

/** The next message a child process sends over IPC; rejects if it exits first. */
export function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`writer exited (${code}) before answering`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as T);
    });
  });
}

/** Starts mmash on a free loopback port. */
export function startTestMmash(options: MmashOptions): Promise<RunningMmash> {
  return startMmash({ port: 0, rescanMs: 0, ...options });
}

/** The `mmash` executable (this package's built `bin.js`). */
export const MMASH_BIN = fileURLToPath(new URL('./bin.js', import.meta.url));

/** An `mmash` process ({@link MMASH_BIN}), started by {@link spawnMmash}. */
export interface MmashProcess {
  /** The URL it printed. */
  readonly url: string;
  /** The process (its `pid` for /proc/PID/status; `exitCode`, `signalCode` to tell how it ended). */
  readonly child: ChildProcess;
  /** Its process id (for /proc/PID/status). */
  readonly pid: number;
  /** What it wrote on stderr so far. */
  stderr(): string;
  /** Sends SIGTERM (SIGKILL 10 s later if it is still there) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs `mmash args` (with `MMSTATS_GLOB` and `MMSTATS_PATH` cleared unless `env` sets them)
 * and waits for the URL it prints. `openFiles` lowers its descriptor limit (`ulimit -n`).
 */
export async function spawnMmash(args: readonly string[], options: { env?: NodeJS.ProcessEnv; openFiles?: number } = {}): Promise<MmashProcess> {
  const command = options.openFiles === undefined ? [process.execPath, MMASH_BIN, ...args] : ['bash', '-c', `ulimit -n ${options.openFiles} && exec "$@"`, 'bash', process.execPath, MMASH_BIN, ...args];
  const child = spawn(command[0]!, command.slice(1), { env: { ...process.env, MMSTATS_GLOB: '', MMSTATS_PATH: '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await waitFor(`mmash to print its URL`, () => {
      if (child.exitCode !== null) throw new Error(`mmash exited (${child.exitCode}): ${stderr}`);
      return /on (http:\/\/\S+)/.exec(stderr)?.[1];
    });
    return {
      url,
      child,
      pid: child.pid!,
      stderr: () => stderr,
      stop: async () => {
        if (child.exitCode === null) child.kill('SIGTERM');
        // A stuck event loop never runs the SIGTERM handler.
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const code = await exited;
        clearTimeout(kill);
        return code;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** The resident set size of process `pid`, in bytes (`VmRSS` of /proc/PID/status). */
export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** GETs `path` from 127.0.0.1:`port` with the `Host` header `host`; of an event stream, only its first bytes. */
export function getWithHost(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host }, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        // An event stream never ends: its first bytes are enough.
        if (res.headers['content-type']?.startsWith('text/event-stream')) res.destroy();
      });
      res.on('close', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer for Host ${host}`)));
    req.on('error', reject);
    req.end();
  });
}

/** GETs `path` from `base` and parses the JSON body. */
export async function getJson(base: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(new URL(path, base), init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers };
}

/** `path` when it exists and runs with `versionArgs`, else `undefined`. */
function findTool(path: string, versionArgs: readonly string[]): string | undefined {
  if (!existsSync(path)) return undefined;
  const run = spawnSync(path, [...versionArgs], { stdio: 'ignore', timeout: 30_000 });
  return run.status === 0 ? path : undefined;
}

/**
 * `test` when `tool` is installed. When it is not: on CI (`CI=true`) a test that fails
 * naming the Debian package; elsewhere `test.skip`, after saying so loudly on stderr.
 */
export function testWithTool(tool: Tool, versionArgs: readonly string[] = ['--version']): ToolTest {
  if (findTool(tool.path, versionArgs) !== undefined) return (title, fn) => test(title, fn);
  const message = `${tool.path} is not installed: install the Debian package "${tool.debianPackage}" (apt-get install -y ${tool.debianPackage})`;
  if (process.env['CI'] === 'true') {
    return (title) => test(title, (t) => t.fail(message));
  }
  process.stderr.write(`\n!!! SKIPPING tests that need ${tool.path}: ${message}\n\n`);
  return (title, fn) => test.skip(title, fn);
}

/** Declares a test that needs a tool (see {@link testWithTool}). */
export type ToolTest = (title: string, fn: (t: ExecutionContext) => Promise<void>) => void;




/**
 * Starts the real Prometheus ({@link PROMETHEUS}) on a free loopback port, its data in `dir`,
 * scraping the job `mmash` at `targets` (`host:port`) every second, with the query parameters
 * `params` (`{ series: ['file'] }`) and the feature flags `features` (`['native-histograms']`,
 * passed as `--enable-feature`; default none); resolves once it is ready. Stopped (SIGTERM,
 * then SIGKILL after 15 s) when the test ends.
 */
export async function startPrometheus(
  t: ExecutionContext,
  dir: string,
  targets: readonly string[],
  params: Readonly<Record<string, readonly string[]>> = {},
  features: readonly string[] = [],
): Promise<RunningPrometheus> {
  const prometheus = await startPrometheusServer(dir, [{ name: 'mmash', targets, params }], features.length === 0 ? [] : [`--enable-feature=${features.join(',')}`]);
  t.teardown(() => prometheus.stop());
  return prometheus;
}
