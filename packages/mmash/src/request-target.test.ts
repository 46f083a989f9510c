// Requests built to make mmash work hard: globs that make a backtracking matcher explode
// (issue 10, item 8), and oversized targets, parameters and prefixes.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { validFixtures } from '@mmstats/fixtures';
import { MAX_LABEL_LENGTH, MAX_QUERY_PARAMETERS, MAX_TARGET_LENGTH } from './request-target.js';
import { getJson, spawnMmash, tempDir } from './test-support.test.util.js';

/** Generous for a loaded 2-CPU machine; a backtracking matcher takes minutes on these inputs. */
const BOUND_MS = 1000;

/** Milliseconds a GET of `path` takes; fails after 10 s rather than waiting for a stuck server. */
async function timedGet(base: string, path: string): Promise<{ ms: number; status: number }> {
  const start = performance.now();
  const response = await fetch(new URL(path, base), { signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  return { ms: performance.now() - start, status: response.status };
}

test('glob attacks answer in milliseconds, and /metrics does not wait behind them', async (t) => {
  // Long file names: a regular expression from "**********x" backtracks for minutes on each.
  const { dir, cleanup } = tempDir();
  const fixture = validFixtures('v1/python-0.8.0')[0]!.path;
  for (let i = 0; i < 20; i++) copyFileSync(fixture, join(dir, `${String(i).padStart(2, '0')}-${'a'.repeat(200)}.mmstats`));
  // A separate process, so that a stuck event loop shows as a timeout here.
  const mmash = await spawnMmash(['--glob', dir, '--port', '0']);
  t.teardown(async () => {
    await mmash.stop();
    cleanup();
  });
  const attacks = [
    '/files/**********x',
    '/stats/?glob=***********x',
    `/stats/?glob=${'*a'.repeat(127)}`,
    `/files/${'*a'.repeat(60)}x`,
    `/merged/?glob=${'*a'.repeat(60)}x`,
    `/stats/app?glob=${'*a'.repeat(60)}x`,
  ];
  await timedGet(mmash.url, '/metrics'); // warm up
  for (const attack of attacks) {
    const [answer, metrics] = await Promise.all([timedGet(mmash.url, attack), timedGet(mmash.url, '/metrics')]);
    t.is(answer.status, 200, attack);
    t.true(answer.ms < BOUND_MS, `${attack.slice(0, 40)}… took ${answer.ms.toFixed(0)} ms`);
    t.true(metrics.ms < BOUND_MS, `/metrics beside ${attack.slice(0, 40)}… took ${metrics.ms.toFixed(0)} ms`);
  }
  // Doubling the stars must not multiply the time: linear in pattern × name.
  const cost = async (stars: number): Promise<number> => (await timedGet(mmash.url, `/files/${'*a'.repeat(stars)}x`)).ms;
  const few = Math.max(await cost(30), 5);
  const many = await cost(120);
  t.true(many < 200 && many < 16 * few, `120 stars took ${many.toFixed(1)} ms, 30 stars ${few.toFixed(1)} ms`);
});

test('oversized targets, too many parameters and overlong prefixes or stats are refused with a clear 4xx', async (t) => {
  const { dir, cleanup } = tempDir();
  const mmash = await spawnMmash(['--glob', dir, '--port', '0']);
  t.teardown(async () => {
    await mmash.stop();
    cleanup();
  });
  const refusals: Array<[string, number, RegExp]> = [
    [`/stats/?x=${'a'.repeat(MAX_TARGET_LENGTH)}`, 414, /longer than 8192 characters/],
    [`/stats/x?${'exact=1&'.repeat(MAX_QUERY_PARAMETERS)}exact=1`, 400, /at most 128 query parameters/],
    [`/stats/${'a'.repeat(MAX_LABEL_LENGTH + 1)}`, 400, /stat prefix is longer than 1024/],
    [`/merged/${'a'.repeat(MAX_LABEL_LENGTH + 1)}`, 400, /stat prefix is longer than 1024/],
    [`/events?stat=${'a'.repeat(MAX_LABEL_LENGTH + 1)}`, 400, /stat is longer than 1024/],
    [`/files/${'*'.repeat(256)}`, 400, /glob is longer than 255/],
    [`/stats/?glob=${'*'.repeat(256)}`, 400, /glob is longer than 255/],
  ];
  for (const [path, status, message] of refusals) {
    const answer = await getJson(mmash.url, path);
    t.is(answer.status, status, path.slice(0, 40));
    t.regex((answer.body as { error: string }).error, message);
  }
  // At the bounds, still answered.
  t.is((await getJson(mmash.url, `/stats/x?${'exact=1&'.repeat(MAX_QUERY_PARAMETERS - 1)}exact=1`)).status, 200);
  t.is((await getJson(mmash.url, `/stats/${'a'.repeat(MAX_LABEL_LENGTH)}`)).status, 200);
});
