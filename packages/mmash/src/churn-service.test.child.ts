// A `node:cluster` HTTP service for the churn scenario (churn-scenario.test.util.ts): 4 workers
// that count every request they answer, a primary that restarts every worker that dies and,
// told to, SIGKILLs one worker every KILL_EVERY_MS.
//
//   node churn-service.test.child.js MODE DIR PORT METRICS_PORT KILL_EVERY_MS
//
// MODE `mmstats`: each worker publishes `http.requests` (a counter) and `http.latency` (a
//   timer) in its own file in DIR through @mmstats/writer, service `api`, with a worker slot.
// MODE `prom-client`: each worker counts in a prom-client Counter `http_requests_total`, and the
//   primary serves the cluster's sum on METRICS_PORT with prom-client's AggregatorRegistry.
// The primary says `{ ready: true }` over IPC once 4 workers listen; `{ kill: true }` starts
// the killing, `{ kill: false }` stops it, and `{ stop: true }` ends everything.
import cluster from 'node:cluster';
import { createServer } from 'node:http';

const [mode, dir, portText, metricsPortText, killEveryText] = process.argv.slice(2);
const WORKERS = 4;

if (cluster.isPrimary) {
  let stopping = false;
  let killer: NodeJS.Timeout | undefined;
  let listening = 0;
  let kills = 0;
  let next = 0;
  const fork = (): void => {
    const worker = cluster.fork();
    // A message to a worker that was just killed fails with EPIPE on the Worker: prom-client's
    // aggregator sends them at every scrape, and unhandled that error would end the primary.
    worker.on('error', () => {});
    worker.once('listening', () => {
      if (++listening === WORKERS) process.send!({ ready: true });
    });
  };
  cluster.on('exit', () => {
    if (!stopping) fork();
  });
  for (let i = 0; i < WORKERS; i++) fork();
  if (mode === 'prom-client') {
    const { AggregatorRegistry } = await import('prom-client');
    const registry = new AggregatorRegistry();
    createServer((_req, res) => {
      registry.clusterMetrics().then(
        (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    }).listen(Number(metricsPortText), '127.0.0.1');
  }
  process.on('message', (message: { kill?: boolean; stop?: boolean }) => {
    if (message.kill === true) {
      killer = setInterval(() => {
        const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined && !w.isDead());
        const victim = workers[next++ % workers.length];
        victim?.process.kill('SIGKILL');
        kills++;
      }, Number(killEveryText));
    }
    if (message.kill === false) {
      clearInterval(killer);
      process.send!({ kills });
    }
    if (message.stop === true) {
      stopping = true;
      clearInterval(killer);
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      setTimeout(() => process.exit(0), 500);
    }
  });
} else {
  let count: () => void;
  if (mode === 'mmstats') {
    const { counter, defineModel, timer } = await import('@mmstats/writer');
    const stats = defineModel({ requests: counter({ label: 'http.requests', unit: 'requests', help: 'requests answered' }), latency: timer({ label: 'http.latency' }) }, { name: 'api' }).open({ path: dir!, slot: true });
    count = () => {
      stats.requests.incr();
      stats.latency.observe(0.001);
    };
  } else {
    const { AggregatorRegistry, Counter } = await import('prom-client');
    // prom-client answers the primary's requests for a worker's metrics once a worker has made
    // an AggregatorRegistry (its cluster listeners are added by the constructor).
    new AggregatorRegistry();
    const requests = new Counter({ name: 'http_requests_total', help: 'requests answered' });
    count = () => requests.inc();
  }
  createServer((_req, res) => {
    count();
    res.end('ok');
  }).listen(Number(portText), '127.0.0.1');
}
