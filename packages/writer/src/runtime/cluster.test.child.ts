// A clustered service for cluster.test.ts: the primary forks two workers, each of which opens
// its own stats file in argv[2] (the default {CMD}-{PID}-{TID} name), collects runtime metrics
// and instruments its HTTP server; the port they share is sent to the parent over IPC. The
// primary itself writes nothing: nothing is needed for the cluster.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StatsBuilder } from '../index.js';
import { instrumentHttpServer } from '../http/index.js';
import { collectRuntimeMetrics } from './index.js';
import { runClusterPrimary } from './cluster.test.util.js';

const dir = process.argv[2]!;

if (cluster.isPrimary) {
  runClusterPrimary();
} else {
  const stats = new StatsBuilder().open({ path: dir });
  collectRuntimeMetrics({ stats, intervalMs: 100 });
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/boom' ? 500 : 200).end(String(process.pid));
  });
  instrumentHttpServer(server, { stats });
  server.listen(0, '127.0.0.1', () => void (server.address() as AddressInfo));
  process.on('disconnect', () => server.close());
}
