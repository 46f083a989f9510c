// A child process for remove-on-exit.test.ts: an app with `removeOnExit` that counts while it
// runs. argv: dir, format (1 or 2), and `own` when the app has its own SIGTERM/SIGINT
// listener (a graceful shutdown: it keeps running and counting until told to exit over IPC).
import { counter, defineModel } from '../index.js';

const dir = process.argv[2]!;
const format = Number(process.argv[3]) as 1 | 2;
const stats = defineModel({ ticks: counter() }, { system: false }).open({ path: dir, format, removeOnExit: true });
const ticking = setInterval(() => stats.ticks.incr(), 5);
if (process.argv[4] === 'own') {
  const shutdown = (signal: string) => process.send!({ shutdown: signal });
  process.once('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.on('message', () => {
    clearInterval(ticking);
    process.exit(0);
  });
}
process.send!({ path: stats.path });
