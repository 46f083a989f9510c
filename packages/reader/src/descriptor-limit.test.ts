/**
 * Readers under a low descriptor limit (issue 10 item 6): a reader holds no descriptor per
 * file, so a poller watches more files than its limit allows open; and when descriptors run
 * out, each file it could not read is its own `TOO_MANY_OPEN_FILES` (E104), never left out
 * silently. The reader runs in a child process started by `prlimit --nofile=64:64`.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ErrorCodes } from '@mmstats/format';
import { v1Fixture, v2Fixture, copyFixture, tempDir } from './test-support.js';

const CHILD = fileURLToPath(new URL('./descriptor-limit.test.child.js', import.meta.url));
const PRLIMIT = '/usr/bin/prlimit';
const FILES = 300;

test('300 files under a limit of 64 descriptors: every file reads; squeezed, views read on; out of descriptors, every one is E104', (t) => {
  if (!existsSync(PRLIMIT)) {
    if (process.env.CI === 'true') return t.fail('prlimit (util-linux) is missing');
    t.log('not run: no prlimit here (util-linux)');
    return t.pass();
  }
  const dir = tempDir(t);
  const fixtures = [v1Fixture('webstats'), v2Fixture('v2/ts', 'all-kinds')];
  for (let i = 0; i < FILES; i++) copyFixture(fixtures[i % 2]!, dir, `app-${i}.mmstats`);
  const out = execFileSync(PRLIMIT, ['--nofile=64:64', process.execPath, CHILD, dir], { encoding: 'utf8', timeout: 120_000 });
  const result = JSON.parse(out) as Record<'live' | 'scan' | 'squeezed' | 'exhausted', Record<string, number>>;
  t.log(JSON.stringify(result));
  // Opening 300 views and reading each again: the old views kept a descriptor each.
  t.deepEqual(result.live, { ok: 2 * FILES });
  t.deepEqual(result.scan, { ok: FILES });
  t.deepEqual(result.squeezed, { ok: FILES }, 'the views read on with the descriptors they kept');
  t.deepEqual(result.exhausted, { [ErrorCodes.TOO_MANY_OPEN_FILES]: 2 * FILES });
});
