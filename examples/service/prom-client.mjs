// The same service instrumented the way a prom-client user does it today, for the comparison
// in bench/service.mjs: default metrics, a request counter and an in-flight gauge by method
// and status class, a latency histogram, and in the primary prom-client's AggregatorRegistry
// serving /metrics by asking every worker over IPC.
import { createServer } from 'node:http';
import { AggregatorRegistry, Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client';

/** In a worker: instruments `server` like @mmstats/writer/http does; returns the items counter's `inc`. */
export function instrumentWithPromClient(server) {
  new AggregatorRegistry(); // in a worker: answers the primary's requests for this registry
  collectDefaultMetrics();
  const requests = new Counter({ name: 'http_server_requests_total', help: 'HTTP requests answered, by method and status class.', labelNames: ['method', 'status'] });
  const active = new Gauge({ name: 'http_server_active_requests', help: 'HTTP requests received and not yet answered.' });
  const duration = new Histogram({ name: 'http_server_request_duration_seconds', help: 'Duration of HTTP server requests.' });
  const items = new Counter({ name: 'service_items_served_total', help: 'items listed by /api/items' });
  server.prependListener('request', (req, res) => {
    const end = duration.startTimer();
    active.inc();
    res.on('close', () => {
      end();
      active.dec();
      requests.inc({ method: req.method, status: res.writableFinished ? `${Math.floor(res.statusCode / 100)}xx` : 'aborted' });
    });
  });
  return (n) => items.inc(n);
}

/** In the primary: serves the workers' merged registries on /metrics; resolves with the URL. */
export function serveClusterMetrics(host, port) {
  const aggregator = new AggregatorRegistry();
  const server = createServer(async (req, res) => {
    try {
      const text = await aggregator.clusterMetrics();
      res.writeHead(200, { 'content-type': aggregator.contentType }).end(text);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(`http://${host}:${server.address().port}/metrics`)));
}
