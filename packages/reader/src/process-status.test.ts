import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { bootTime, probePid, processInfo } from './process-status.js';

test('this process is running, started just before now, as this user', (t) => {
  t.is(probePid(process.pid), 'running');
  const info = processInfo(process.pid);
  if (info === undefined) return t.fail('no /proc here');
  const started = performance.timeOrigin / 1000;
  // USER_HZ gives 1/100 s; btime is truncated to whole seconds, so the computed start can be
  // up to a second early.
  t.true(Math.abs(info.startedAt - started) < 2, `started ${info.startedAt}, Node says ${started}`);
  t.is(info.uid, process.getuid!());
  t.regex(info.state, /^[RS]$/);
  t.true(bootTime()! < started);
});

test('a sleeping child is running; once killed and reaped it is gone', async (t) => {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  await once(child, 'spawn');
  const pid = child.pid!;
  t.is(probePid(pid), 'running');
  t.regex(processInfo(pid)?.state ?? '', /^[RSD]$/);
  child.kill('SIGKILL');
  await once(child, 'exit');
  t.is(probePid(pid), 'gone');
  t.is(processInfo(pid), undefined);
});

test('pid 1 (another user\'s, or ours as root) is reported, never signalled for real', (t) => {
  t.not(probePid(1), 'gone');
  t.throws(() => probePid(0), { instanceOf: RangeError });
  t.throws(() => probePid(-5), { instanceOf: RangeError });
});
