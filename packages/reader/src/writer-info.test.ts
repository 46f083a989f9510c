import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { judgeWriter, observer, type Observer, type WriterInfo } from './writer-info.js';
import { INITIAL_PID_NAMESPACE, ownBootId, ownPidNamespace } from './process-status.js';

/** The pid of a process that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await once(child, 'exit');
  return child.pid!;
}

/** What this process knows, with the clock and (where given) the namespace replaced. */
function seenAt(now: number, overrides: Partial<Observer> = {}): Observer {
  return { ...observer({ now: () => now }), ...overrides };
}

const now = Date.now() / 1000;
const here = { pidNs: ownPidNamespace(), bootId: ownBootId() };

test('v2, another boot: gone whatever the pid says', (t) => {
  const info: WriterInfo = { pid: process.pid, processStart: now - 10, bootId: '00000000-0000-0000-0000-00000000000a', pidNs: here.pidNs! };
  t.like(judgeWriter(info, 2, seenAt(now)), { gone: true, reason: 'other-boot' });
});

test('v2, our namespace: the pid rules (running, not running)', async (t) => {
  const ours = { ...here, processStart: now - 10 } as WriterInfo;
  t.like(judgeWriter({ ...ours, pid: process.pid, processStart: performance.timeOrigin / 1000 }, 2, seenAt(now)), { gone: false, reason: 'running' });
  const dead = await deadPid();
  t.like(judgeWriter({ ...ours, pid: dead }, 2, seenAt(now)), { gone: true, reason: 'not-running', because: `pid ${dead} is not running` });
});

test('v2, another or an unknown namespace: only a heartbeat older than 10 intervals tells; none, or an interval of 0, never', (t) => {
  const other: WriterInfo = { pid: process.pid, bootId: here.bootId!, pidNs: 4026530000n, heartbeatIntervalMs: 1000, heartbeat: now - 9.5 };
  t.like(judgeWriter(other, 2, seenAt(now)), { gone: false, reason: 'heartbeat-fresh' }, 'the pid is alive here, but says nothing');
  t.like(judgeWriter(other, 2, seenAt(now + 1)), { gone: true, reason: 'heartbeat-stale' });
  const minor0: WriterInfo = { pid: process.pid, heartbeatIntervalMs: 1000, heartbeat: now - 60 };
  t.like(judgeWriter(minor0, 2, seenAt(now)), { gone: true, reason: 'heartbeat-stale', because: 'its writer is in a pid namespace the file does not record and its last heartbeat is 60 s old, more than 10 intervals of 1000 ms' });
  const noInterval: WriterInfo = { pid: process.pid, heartbeat: now - 60 }; // heartbeat_interval_ms 0
  t.like(judgeWriter(noInterval, 2, seenAt(now + 1e6)), { gone: false, reason: 'no-heartbeat' });
  t.like(judgeWriter({ bootId: here.bootId! }, 2, seenAt(now)), { gone: false, reason: 'no-pid' });
});

test('v1: created before this boot is gone; a dead pid is gone only when every namespace is seen', async (t) => {
  const seen = seenAt(now);
  t.like(judgeWriter({ pid: process.pid, created: now - 1 }, 1, seen), { gone: false, reason: 'running' });
  const dead = await deadPid();
  t.like(judgeWriter({ pid: dead, created: seen.bootTime! - 60 }, 1, seen), { gone: true, reason: 'before-boot' });
  const fromHere = judgeWriter({ pid: dead, created: now - 1 }, 1, seen);
  if (seen.pidNs === INITIAL_PID_NAMESPACE) t.like(fromHere, { gone: true, reason: 'not-running', because: `pid ${dead} is not running, in this or any other pid namespace` });
  else t.like(fromHere, { gone: false, reason: 'cannot-tell' });
  // The same file judged from inside a container (any other namespace): kept.
  t.like(judgeWriter({ pid: dead, created: now - 1 }, 1, { ...seen, pidNs: 4026530000n }), { gone: false, reason: 'cannot-tell' });
  t.like(judgeWriter({ pid: dead, created: now - 1 }, 1, { ...seen, byOwnPid: () => undefined, pidNs: INITIAL_PID_NAMESPACE }), { gone: false, reason: 'cannot-tell', because: `pid ${dead} is not running here, but /proc does not show every process` });
  t.like(judgeWriter({}, 1, seen), { gone: false, reason: 'no-pid' });
});
