import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { ErrorCodes } from './index.js';
import { nearlyFullTmpfs } from './common/test-support.test.util.js';

// A real app in a real tmpfs with 8 KiB free (spec/files.md#no-space): v1, a model of 20 KiB;
// v2, the default 64 KiB capacity with histograms added at run time past the first 8 KiB.
// Before every write count was checked, the file was mapped whole after a short write and the
// app died of SIGBUS at its first store past 8 KiB, `degrade` or not.
function runApp(dir: string, format: 1 | 2, degrade: boolean) {
  const child = spawnSync(process.execPath, [new URL('./no-space.test.child.js', import.meta.url).pathname, dir, String(format), degrade ? '1' : '0'], { encoding: 'utf8', timeout: 60_000 });
  return { status: child.status, signal: child.signal, stderr: child.stderr, result: child.stdout === '' ? undefined : (JSON.parse(child.stdout) as Record<string, unknown>) };
}

for (const format of [1, 2] as const) {
  test(`v${format}, 8 KiB free: with degrade the app goes on in memory, warned once with NO_SPACE, and leaves no partial file`, (t) => {
    const dir = nearlyFullTmpfs(t, 1 << 20, 8192);
    if (dir === undefined) return;
    const app = runApp(dir, format, true);
    t.is(app.signal, null, app.stderr);
    t.is(app.status, 0, app.stderr);
    t.like(app.result, { inMemory: true, counted: format === 1 ? 500 : 1, observed: format === 1 ? 0 : 6 });
    const warnings = app.stderr.split('\n').filter((line) => line.includes(ErrorCodes.NO_SPACE));
    t.is(warnings.length, 1, app.stderr);
    t.true(warnings[0]!.includes(`${app.result!['path'] as string}: ${ErrorCodes.NO_SPACE}`));
    t.regex(warnings[0]!, /\(\d+ of \d+ bytes written\)/);
    t.deepEqual(readdirSync(dir), ['filler']);
  });

  test(`v${format}, 8 KiB free: without degrade open() throws NO_SPACE and leaves no partial file`, (t) => {
    const dir = nearlyFullTmpfs(t, 1 << 20, 8192);
    if (dir === undefined) return;
    const app = runApp(dir, format, false);
    t.is(app.signal, null, app.stderr);
    t.deepEqual(app.result, { thrown: ErrorCodes.NO_SPACE });
    t.deepEqual(readdirSync(dir), ['filler']);
  });
}
