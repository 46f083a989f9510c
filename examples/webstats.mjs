#!/usr/bin/env node
// The Python mmstats README example as a running program: a "web server" that counts
// responses by status class and stamps the time of the last hit, until it is stopped.
//
//   MMSTATS_PATH=/tmp/demo node examples/webstats.mjs
//
// Its stats file is {CMD}-{PID}-{TID}.mmstats in $MMSTATS_PATH (default: <tmpdir>/mmstats-<euid>);
// read it with `mmstats slurp` while it runs.
//
// The file is format v2, the writer's default: `mmstats slurp` shows each record's kind
// (`counter`, `gauge`). Python's tools (slurpstats, pollstats, Python mmash) read only format
// v1: for them, open with `WebStats.open({ ..., format: 1 })` (or pass `{ format: 1 }` to
// defineModel), and the same fields are written the way Python mmstats 0.8.0 writes them.
import { counter, defineModel, double } from '@mmstats/writer';

const WebStats = defineModel({
  status2xx: counter({ label: 'status.2XX' }),
  status3xx: counter({ label: 'status.3XX' }),
  status4xx: counter({ label: 'status.4XX' }),
  status5xx: counter({ label: 'status.5XX' }),
  lastHit: double({ label: 'timers.last_hit' }),
});

const stats = WebStats.open({ labelPrefix: 'web.stats.', removeOnExit: true });
console.log(`writing stats to ${stats.path}`);

// A made-up traffic mix: mostly 2xx, some redirects, a few client and server errors.
const statuses = [200, 200, 200, 200, 200, 200, 200, 301, 404, 503];
let i = 0;
const timer = setInterval(() => {
  for (let n = 0; n < 100; n++) {
    const status = statuses[i++ % statuses.length];
    if (status < 300) stats.status2xx.incr();
    else if (status < 400) stats.status3xx.incr();
    else if (status < 500) stats.status4xx.incr();
    else stats.status5xx.incr();
  }
  stats.lastHit.value = Date.now() / 1000;
}, 10);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    clearInterval(timer);
    process.exit(0); // removeOnExit deletes the file on the way out
  });
}
