// A child process for processes.test.ts: counts up while the parent reads, in steps the
// parent drives over IPC, so the reads happen while the writers are live. argv: dir, format.
import { counter, defineModel } from './index.js';

const dir = process.argv[2]!;
const format = Number(process.argv[3] ?? 2) as 1 | 2;
const stats = defineModel({ served: counter({ label: 'requests.served' }) }).open({ path: dir, labelPrefix: 'app.', format });
process.send!({ path: stats.path });
process.on('message', (message: { step?: number; exit?: boolean }) => {
  if (message.exit) {
    stats.remove();
    process.disconnect();
    return;
  }
  for (let i = 0; i < message.step!; i++) stats.served.incr();
  process.send!({ stepped: message.step });
});
