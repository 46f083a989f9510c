// A worker for the slot tests: opens a v2 file of service `api` with `slot: true`, says its
// slot and path, then waits (a SIGKILL is its crash; a message `remove` removes its file).
import { counter, defineModel } from './index.js';

const [dir] = process.argv.slice(2);
const stats = defineModel({ requests: counter() }, { name: 'api' }).open({ path: dir!, filename: 'api-{PID}-{TID}.mmstats', slot: true });
process.send!({ slot: stats.slot, path: stats.path });
process.on('message', () => {
  stats.remove();
  process.exit(0);
});
