// The example service's routes: answers of varying latency, some errors, no framework.
//
//   GET  /             a line of text
//   GET  /api/items    25 items as JSON (counts service.items.served)
//   GET  /api/slow     JSON after 5 to 50 ms
//   GET  /api/flaky    500 one time in five, else 200
//   POST /api/echo     the request body back
//   anything else      404

const items = Array.from({ length: 25 }, (_, i) => ({ id: i + 1, name: `item ${i + 1}`, price: Math.round(((i * 37) % 100) * 100) / 100 + 1 }));

/** The request handler, and `onItems(n)`, called with the number of items each /api/items lists. */
export function routes() {
  let flaky = 0;
  const app = {
    onItems: (n) => void n,
    handle(req, res) {
      const url = req.url ?? '/';
      const json = (status, body) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
      };
      if (req.method === 'GET' && url === '/') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello from worker ${process.pid}\n`);
      } else if (req.method === 'GET' && url === '/api/items') {
        app.onItems(items.length);
        json(200, { items });
      } else if (req.method === 'GET' && url === '/api/slow') {
        setTimeout(() => json(200, { slow: true }), 5 + Math.random() * 45);
      } else if (req.method === 'GET' && url === '/api/flaky') {
        if (++flaky % 5 === 0) json(500, { error: 'flaky failed' });
        else json(200, { ok: true });
      } else if (req.method === 'POST' && url === '/api/echo') {
        const chunks = [];
        req.on('data', (chunk) => chunks.push(chunk));
        req.on('end', () => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.concat(chunks)));
      } else {
        json(404, { error: 'not found' });
      }
    },
  };
  return app;
}
