/**
 * A real `mmash` process against files that misbehave (issue 10 items 5 and 10):
 *
 * - files truncated and rewritten under the same names while it serves requests
 *   (`startRewriteLoop`): it must never die of a signal (a mapped read of a shrunk file is
 *   `SIGBUS`), and each file it could not read is in `errors` with a code;
 * - 400 files under a limit of 128 descriptors: every file is read (none held per file);
 * - a file whose 700 averages were all left mid-write by a writer that died (odd sequence
 *   words): requests must answer in well under a second, every time, with each average
 *   reported `MMSTATS-E014`.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import test from 'ava';
import { appendV2Record, beginV2Write, planV2Record, setV2Ready, statsBytesV2, writeV2Header } from '@mmstats/format';
import { startRewriteLoop, validFixtures, validV2Fixtures } from '@mmstats/fixtures';
import { getJson, spawnMmash, tempDir } from './test-support.test.util.js';

const ALL_KINDS = validV2Fixtures('v2/ts').find((f) => f.name === 'all-kinds')!.path;
const WEBSTATS = validFixtures('v1/python-0.8.0').find((f) => f.name === 'webstats')!.path;

interface Coded {
  readonly file: string;
  readonly code: string;
}

test('mmash serves on while its files are truncated and rewritten under it, listing what it could not read', async (t) => {
  const { dir, cleanup } = tempDir();
  t.teardown(cleanup);
  const loop = startRewriteLoop([ALL_KINDS, WEBSTATS], Array.from({ length: 12 }, (_, i) => join(dir, `app-${i}.mmstats`)));
  t.teardown(() => loop.stop());
  await loop.ready;
  const mmash = await spawnMmash(['--glob', join(dir, '*.mmstats'), '--port', '0']);
  t.teardown(() => mmash.stop());
  const errors = new Map<string, number>();
  let requests = 0;
  const until = performance.now() + 5000;
  while (performance.now() < until) {
    for (const path of ['/files/', '/merged/http.requests', '/stats/']) {
      const { status, body } = await getJson(mmash.url, path);
      t.is(status, 200, path);
      for (const error of (body as { errors: Coded[] }).errors) {
        t.regex(error.code, /^MMSTATS-E\d{3}$/);
        errors.set(error.code, (errors.get(error.code) ?? 0) + 1);
      }
      requests++;
    }
    const metrics = await fetch(new URL('/metrics', mmash.url));
    t.is(metrics.status, 200);
    t.regex(await metrics.text(), /^mmstats_files_read \d+$/m);
  }
  t.true(mmash.child.exitCode === null && mmash.child.signalCode === null, `mmash died (${mmash.child.signalCode}); stderr: ${mmash.stderr()}`);
  t.log(`${requests} requests over ${await loop.stop()} rounds of rewrites; errors by code: ${JSON.stringify(Object.fromEntries(errors))}`);
  // Files caught mid-rewrite were listed with their codes, not silently left out.
  t.true(errors.size > 0, 'no answer listed a file it could not read');
  t.is(await mmash.stop(), 0);
  t.is(mmash.child.signalCode, null);
});

/** A v2 file of `count` averages, every one left mid-write (its `seq` odd), as a writer that died in the middle leaves it. */
function writeStuckFile(path: string, count: number): void {
  const file = statsBytesV2(new Uint8Array(256 * 1024));
  const now = Date.now() / 1000;
  writeV2Header(file.bytes, { capacity: file.bytes.length, fileId: 0x5eed_0001n, pid: 2 ** 22 + 1, tid: 1, processStart: now - 60, created: now - 60 });
  for (let i = 0; i < count; i++) {
    const plan = planV2Record({ label: `latency.${i}`, kind: 'average' });
    if (!plan.ok) throw plan.error;
    beginV2Write(file, appendV2Record(file, plan.value)!.valueOffset);
  }
  setV2Ready(file);
  writeFileSync(path, file.bytes);
}

test('a file with 700 averages stuck mid-write: every request answers in well under a second, each average E014', async (t) => {
  const { dir, cleanup } = tempDir();
  t.teardown(cleanup);
  writeStuckFile(join(dir, 'crashed.mmstats'), 700);
  copyFileSync(WEBSTATS, join(dir, 'web.mmstats'));
  const mmash = await spawnMmash(['--glob', join(dir, '*.mmstats'), '--port', '0']);
  t.teardown(() => mmash.stop());
  // Every request reads every record of both files; /files/ answers with little else to do.
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    const { status, body } = await getJson(mmash.url, '/files/');
    times.push(performance.now() - start);
    t.is(status, 200);
    t.is((body as { files: string[] }).files.length, 2);
  }
  const { body } = await getJson(mmash.url, '/merged/latency.');
  const merged = (body as { merged: Array<{ label: string; errors: Coded[] }> }).merged;
  t.is(merged.length, 700);
  t.true(merged.every((entry) => entry.errors.length === 1 && entry.errors[0]!.code === 'MMSTATS-E014'));
  t.log(`request times: ${times.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  // The old reader watched each stuck record 10 ms on every read: 7 s a request.
  for (const ms of times) t.true(ms < 1000, `a request took ${ms} ms`);
});

test('under a limit of 128 descriptors, mmash reads all 400 files: /merged/ and /metrics count every one', async (t) => {
  const { dir, cleanup } = tempDir();
  t.teardown(cleanup);
  for (let i = 0; i < 400; i++) copyFileSync(WEBSTATS, join(dir, `web-${i}.mmstats`));
  const mmash = await spawnMmash(['--glob', join(dir, '*.mmstats'), '--port', '0'], { openFiles: 128 });
  t.teardown(() => mmash.stop());
  for (let round = 0; round < 3; round++) {
    const { body } = await getJson(mmash.url, '/merged/web.stats.status.2XX');
    // The old mmash kept a descriptor per file: it summed ~110 files and said nothing of the rest.
    t.like((body as { merged: unknown[] }).merged[0], { files: 400, value: 400 * 17, errors: [] });
    t.deepEqual((body as { errors: unknown[] }).errors, []);
    const metrics = await (await fetch(new URL('/metrics', mmash.url))).text();
    t.regex(metrics, /^mmstats_files_read 400$/m);
    t.notRegex(metrics, /^mmstats_read_errors\{/m);
  }
});
