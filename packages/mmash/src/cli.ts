/**
 * The `mmash` command line.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { DEFAULT_CONNECTION_LIMITS } from './connection-limits.js';
import { DEFAULT_EVENT_STALL_TIMEOUT_MS } from './event-stream.js';
import { SERIES_VIEWS, type SeriesView } from './metric-series.js';
import { startMmash, type RunningMmash } from './server.js';

/** Exit code for a usage error (an unknown option, a bad value): 2, as every mmstats command. */
export const EXIT_USAGE = 2;

/** Bad command-line arguments; the message is the one line `mmash` reports. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** mmash's version, from its own package.json (found from this module, not the working directory). */
function ownVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/**
 * Parses `args` (without `node` and the script), starts mmash and stops it on `SIGINT` or
 * `SIGTERM`. Prints the URL on stderr once listening.
 *
 * @throws UsageError for arguments yargs or the checks refuse (nothing is started)
 * @returns the running server (tests stop it with `close()`)
 */
export async function runCli(args: readonly string[]): Promise<RunningMmash> {
  const argv = await yargs([...args])
    .scriptName('mmash')
    .usage(
      '$0 [options]\n\nServe live mmstats as a dashboard, a JSON API and a Prometheus /metrics endpoint. Read-only.',
    )
    .option('glob', {
      alias: 'g',
      describe: 'stats files, directories or globs to read; repeat for several (default: $MMSTATS_GLOB, else $MMSTATS_PATH, else <tmpdir>/mmstats-<euid>/*.mmstats)',
      type: 'string',
      array: true,
      default: [] as string[],
      requiresArg: true,
    })
    .option('host', { describe: 'address to listen on; 0.0.0.0 exposes the stats to the network', type: 'string', default: '127.0.0.1', requiresArg: true })
    .option('port', { alias: 'p', describe: 'TCP port (0: any free port)', type: 'number', default: 5002, requiresArg: true })
    .option('allow-host', {
      describe: 'also answer requests whose Host header names this host (e.g. the name of a proxy in front of mmash); repeat for several. Others get a 421, except the address mmash listens on, localhost, 127.0.0.1 and [::1]',
      type: 'string',
      array: true,
      default: [] as string[],
      requiresArg: true,
    })
    .option('max-connections', { describe: 'most connections open at once; at the limit the longest-idle one is closed', type: 'number', default: DEFAULT_CONNECTION_LIMITS.maxConnections, requiresArg: true })
    .option('request-timeout', { describe: 'seconds a client has to send its request once connected', type: 'number', default: DEFAULT_CONNECTION_LIMITS.requestTimeoutMs / 1000, requiresArg: true })
    .option('keep-alive-timeout', { describe: 'seconds an idle keep-alive connection stays open', type: 'number', default: DEFAULT_CONNECTION_LIMITS.keepAliveTimeoutMs / 1000, requiresArg: true })
    .option('max-event-streams', { describe: 'most /events streams open at once; more get a 503', type: 'number', default: 64, requiresArg: true })
    .option('event-stall-timeout', { describe: 'seconds an /events client may stop reading before its stream is closed', type: 'number', default: DEFAULT_EVENT_STALL_TIMEOUT_MS / 1000, requiresArg: true })
    .option('metrics-series', {
      describe: 'the series /metrics shows unless a scrape asks (?series=): service (merged per service, dead writers\' counts included), worker (one per worker) or file (one per file, pid and file labels)',
      choices: SERIES_VIEWS,
      default: 'service' as SeriesView,
      requiresArg: true,
    })
    .option('v1-counters', {
      describe: 'on /metrics, expose format v1 counters (double-buffered Q/L fields, as Python\'s CounterField writes) as Prometheus counters instead of gauges',
      type: 'boolean',
      default: false,
    })
    .check((parsed) => {
      if (!Number.isInteger(parsed.port) || parsed.port < 0 || parsed.port > 65535) throw new Error('--port must be a whole number from 0 to 65535');
      for (const name of ['max-connections', 'max-event-streams'] as const) {
        if (!Number.isInteger(parsed[name]) || parsed[name] < 1) throw new Error(`--${name} must be a whole number of at least 1`);
      }
      for (const name of ['request-timeout', 'keep-alive-timeout', 'event-stall-timeout'] as const) {
        if (!(parsed[name] > 0 && parsed[name] <= 3600)) throw new Error(`--${name} must be a number of seconds above 0, at most 3600`);
      }
      return true;
    })
    .example("$0 --glob '/run/app/*.mmstats'", 'serve the stats of every app process on http://127.0.0.1:5002/')
    .example('MMSTATS_GLOB=/tmp/web-*.mmstats $0 --port 8080', 'the files from the environment, on another port')
    .strict()
    .fail((message: string | null | undefined, error: Error | undefined) => {
      // yargs spreads some messages over indented lines; a handler error has no message.
      if (message) throw new UsageError(message.split('\n').map((line) => line.trim()).filter((line) => line !== '').join(' '));
      throw error;
    })
    .help()
    .alias('h', 'help')
    .version(ownVersion())
    .wrap(Math.min(100, process.stdout.columns ?? 80))
    .parseAsync();

  const running = await startMmash({
    targets: argv.glob.map(String),
    host: argv.host,
    port: argv.port,
    allowHosts: argv['allow-host'].map(String),
    maxConnections: argv['max-connections'],
    requestTimeoutMs: argv['request-timeout'] * 1000,
    keepAliveTimeoutMs: argv['keep-alive-timeout'] * 1000,
    maxEventStreams: argv['max-event-streams'],
    eventStallTimeoutMs: argv['event-stall-timeout'] * 1000,
    v1Counters: argv['v1-counters'],
    metricsSeries: argv['metrics-series'],
  });
  process.stderr.write(`mmash: serving ${argv.glob.length ? argv.glob.join(' ') : 'the default stats files'} on ${running.url}\n`);
  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    void running.close();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return running;
}
