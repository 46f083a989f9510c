// A writer for the CLI's tests that publishes one stats file and then only stays alive (and,
// for v2, beats its heartbeat), typically started in a pid namespace of its own:
//
//   node idle-writer.test.child.js DIR FORMAT HEARTBEAT_MS
//
// The file is `DIR/idle-<pid>.mmstats` (the pid in the writer's own namespace); its path and
// that pid are printed as one JSON line on stdout once it exists.
import { counter, defineModel } from '@mmstats/writer';

const [dir, formatText = '2', heartbeatText = '100'] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: idle-writer DIR [FORMAT] [HEARTBEAT_MS]');
const model = defineModel({ requests: counter({ label: 'requests' }) });
const open = { path: dir, filename: 'idle-{PID}.mmstats' };
const stats = formatText === '1' ? model.open({ ...open, format: 1 }) : model.open({ ...open, heartbeatMs: Number(heartbeatText) });
stats.requests.incr();
process.stdout.write(`${JSON.stringify({ path: stats.path, pid: process.pid })}\n`);
setInterval(() => stats.requests.incr(), 1000);
