// A child process for native-histograms.test.ts: a program of service SERVICE that observes the values its parent sends into an exponential histogram (`app.latency`, in
// seconds) and counts them (`app.requests`), in its own stats file.
//
//   node exp-histogram-writer.test.child.js DIR SERVICE
//
// Messages: `{ observe: number[] }` observes the values and answers `{ observed: n }` once they
// are written; `{ exit: true }` removes the file and exits. It says `{ path, pid }` first.
import { counter, defineModel, histogram } from '@mmstats/writer';

const [dir, service] = process.argv.slice(2);
const Service = defineModel(
  {
    latency: histogram({ label: 'latency', unit: 'seconds', help: 'time to check out', encoding: 'exponential' }),
    requests: counter({ label: 'requests', unit: 'requests', help: 'checkouts' }),
  },
  { name: service! },
);

const stats = Service.open({ path: dir!, filename: '{NAME}-{PID}.mmstats', labelPrefix: 'app.' });
process.on('message', (message: { observe?: number[]; exit?: boolean }) => {
  if (message.exit === true) {
    stats.remove();
    process.exit(0);
  }
  for (const value of message.observe ?? []) {
    stats.latency.observe(value);
    stats.requests.incr();
  }
  process.send!({ observed: message.observe?.length ?? 0 });
});
process.send!({ path: stats.path, pid: process.pid });
