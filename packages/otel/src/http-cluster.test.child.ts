// A clustered service for http-cluster.test.ts: the primary forks two workers; each sets
// MmstatsMeterProvider as the global MeterProvider (all an application adds) and enables
// OpenTelemetry's own HTTP instrumentation, which records `http.server.request.duration` for
// every request of the worker's node:http server into the worker's file in argv[2]. The port
// the workers share is sent to the parent over IPC; the primary writes nothing.
import cluster from 'node:cluster';
import type * as Http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { metrics } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
// The writer's cluster test service's primary (built beside it; not part of its package).
import { runClusterPrimary } from '../../writer/dist/runtime/cluster.test.util.js';
import { MmstatsMeterProvider } from './index.js';

const dir = process.argv[2]!;

if (cluster.isPrimary) {
  runClusterPrimary();
} else {
  metrics.setGlobalMeterProvider(new MmstatsMeterProvider({ file: { path: dir }, resource: { 'service.name': 'cluster-test' } }));
  new HttpInstrumentation();
  // The instrumentation patches node:http as it is required (an ES import would need its loader hook).
  const http = createRequire(import.meta.url)('node:http') as typeof Http;
  const server = http.createServer((req, res) => {
    res.writeHead(req.url === '/boom' ? 500 : 200).end(String(process.pid));
  });
  server.listen(0, '127.0.0.1', () => void (server.address() as AddressInfo));
  process.on('disconnect', () => server.close());
}
