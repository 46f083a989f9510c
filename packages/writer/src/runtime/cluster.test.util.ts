// The two halves of a clustered test service shared by the cluster tests (here and in
// @mmstats/otel): the primary, which forks two workers and tells the test their shared port,
// and the test's client, which sends a request on a connection of its own.
import cluster from 'node:cluster';
import { request } from 'node:http';

/**
 * The primary of a test service: forks two workers (the same script), sends the parent
 * `{ port, pids }` once both listen, disconnects them at any message from the parent, and
 * disconnects itself when they are gone. It writes nothing: nothing is needed for the cluster.
 */
export function runClusterPrimary(): void {
  const workers = [cluster.fork(), cluster.fork()];
  let listening = 0;
  cluster.on('listening', (_worker, address: { port: number }) => {
    if (++listening === workers.length) process.send!({ port: address.port, pids: workers.map((w) => w.process.pid) });
  });
  process.on('message', () => {
    for (const worker of workers) worker.disconnect();
  });
  cluster.on('exit', () => {
    if (Object.keys(cluster.workers ?? {}).length === 0 && process.connected) process.disconnect();
  });
}

/** One request on a connection of its own (so the cluster spreads them over its workers); resolves with the body as a number: the worker's pid. */
export function getPid(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(Number(body)));
    });
    req.on('error', reject).end();
  });
}
