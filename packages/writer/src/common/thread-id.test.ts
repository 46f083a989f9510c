import test from 'ava';
import { readlinkSync } from 'node:fs';
import { isLiveThread, osThreadId } from './thread-id.js';

test('on the main thread the OS thread id is the process id (Linux)', (t) => {
  t.is(osThreadId(), process.pid);
  t.is(readlinkSync('/proc/thread-self'), `${process.pid}/task/${process.pid}`);
});

test('isLiveThread tells this process’s live threads from ended ones', (t) => {
  t.true(isLiveThread(osThreadId()));
  t.false(isLiveThread(2 ** 31 - 2));
});
