#!/usr/bin/env node
// A small HTTP service run with `cluster` (2 workers by default), publishing its metrics with
// mmstats: Node runtime metrics (@mmstats/writer/runtime), HTTP requests, in-flight and
// latency (@mmstats/writer/http) and one counter of its own, in one file per worker.
//
//   MMSTATS_PATH=/tmp/svc node examples/service/server.mjs      # then: mmstats slurp /tmp/svc
//
// Environment: PORT (3000; 0 for any free port), HOST (127.0.0.1), WORKERS (2), MMSTATS_PATH
// (where the workers' files go; default <tmpdir>/mmstats-<euid>), SERVICE_METRICS (mmstats, or none and
// prom-client for bench/service.mjs), METRICS_PORT (prom-client only: the primary's /metrics, 0).
// The primary prints `service: listening on URL` once every worker listens, and stops the
// workers on SIGINT or SIGTERM; each worker removes its stats file when it exits.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { routes } from './routes.mjs';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const workers = Number(process.env.WORKERS ?? 2);
const metrics = process.env.SERVICE_METRICS ?? 'mmstats';
if (!['mmstats', 'none', 'prom-client'].includes(metrics)) throw new Error(`SERVICE_METRICS must be mmstats, none or prom-client, not ${metrics}`);

if (cluster.isPrimary) {
  // Nothing to do for mmstats in the primary: each worker writes its own file, and readers
  // (mmstats get --merge, mmash, @mmstats/reader) merge them.
  const forked = Array.from({ length: workers }, () => cluster.fork());
  let listening = 0;
  cluster.on('listening', async (_worker, address) => {
    if (++listening !== workers) return;
    console.log(`service: listening on http://${host}:${address.port}/ (${workers} workers: ${forked.map((w) => w.process.pid).join(' ')}; metrics: ${metrics})`);
    if (metrics === 'prom-client') {
      const { serveClusterMetrics } = await import('./prom-client.mjs');
      const url = await serveClusterMetrics(host, Number(process.env.METRICS_PORT ?? 0));
      console.log(`service: prom-client cluster metrics on ${url}`);
    }
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.disconnect();
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGKILL');
      process.exit(1);
    }, 5000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) console.error(`service: worker ${worker.process.pid} died (${signal ?? code})`);
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  });
} else {
  const server = createServer();
  const app = routes();
  if (metrics === 'mmstats') {
    const { StatsBuilder, counter } = await import('@mmstats/writer');
    const { collectRuntimeMetrics } = await import('@mmstats/writer/runtime');
    const { instrumentHttpServer } = await import('@mmstats/writer/http');
    const builder = new StatsBuilder();
    const items = builder.add('service.items.served', counter({ unit: 'items', help: 'items listed by /api/items' }));
    app.onItems = (n) => items.incr(n);
    // One file per worker ({CMD}-{PID}-{TID}.mmstats), removed when the worker exits.
    const stats = builder.open({ removeOnExit: true });
    collectRuntimeMetrics({ stats });
    instrumentHttpServer(server, { stats });
  } else if (metrics === 'prom-client') {
    const { instrumentWithPromClient } = await import('./prom-client.mjs');
    app.onItems = instrumentWithPromClient(server);
  }
  server.on('request', app.handle);
  server.listen(port, host);
  // The primary disconnects us to stop (cluster then closes our server): let what is in
  // flight finish, then exit normally, so the stats file is removed. Ctrl-C reaches every
  // process of the group: leave it to the primary.
  const exitSoon = () => {
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('disconnect', exitSoon);
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    exitSoon();
  });
}
