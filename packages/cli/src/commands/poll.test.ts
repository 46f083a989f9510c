import test from 'ava';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { validFixtures } from '@mmstats/fixtures';
import { bins, eventually, run, startWriter, statsFileFor, tempDir } from '../test-files.test.util.js';

// The three writers count with steps 1, 10^4 and 10^8, so a sum over them shows each one's
// part in its own digits: total = a + 10^4·b + 10^8·c while each writer is below 10^4.
const STEPS = [1, 10_000, 100_000_000];
const parts = (n: number) => [n % 1e4, Math.floor(n / 1e4) % 1e4, Math.floor(n / 1e8)];

interface Tick {
  time: string;
  interval: number | null;
  files: number;
  unreadable: number;
  values: Record<string, { kind: string; stat?: string; unit?: string; total?: number; change?: number | null; rate?: number | null; value?: number | null }>;
}

// Three v2 writers, three v1 writers, and v1 and v2 together (whose counters merge): the same table.
for (const [what, formats] of [
  ['format 2', [2, 2, 2]],
  ['format 1', [1, 1, 1]],
  ['v1 and v2 writers together: their counters merge', [2, 1, 2]],
] as const) {
  test(`poll -c 3 -d 0.2 sums three live writers (${what}): a header, then totals, then the change per interval`, async (t) => {
    const dir = tempDir(t, `poll-${formats.join('')}`);
    for (const [i, step] of STEPS.entries()) await startWriter(t, dir, step, 20, { format: formats[i]! });
    const poll = spawnSync(process.execPath, [bins.mmstats, 'poll', '-p', 'app.', 'requests,workers,step', '-c', '3', '-d', '0.2', dir], { encoding: 'utf8' });
    t.is(poll.stderr, '');
    t.is(poll.status, 0);
    const [header, ...rows] = poll.stdout.trimEnd().split('\n');
    t.regex(header!, /^files {2,}requests {2,}workers {2,}step$/);
    t.is(rows.length, 3);
    const cells = rows.map((row) => row.trim().split(/\s+/).map(Number));
    for (const [files, , workers, step] of cells) {
      t.is(files, 3);
      t.is(workers, 3, 'a gauge shows its sum: one per writer');
      t.is(step, 100_010_001);
    }
    // First row: every writer's total (each has counted already), summed.
    t.true(parts(cells[0]![1]!).every((part) => part > 0), `row 1: ${rows[0]}`);
    // Then changes: small per writer, never negative.
    for (const row of cells.slice(1)) t.true(parts(row[1]!).every((part) => part >= 0 && part < 1000), `change ${row[1]}`);
  });
}

test('v2: a timer merged over the writers shows percentiles and a count, a window its rate; units come along', async (t) => {
  const dir = tempDir(t, 'poll-v2-kinds');
  // Writer steps 1 and 100 record latencies of 0.001 s and 0.1 s, as often as each other.
  await startWriter(t, dir, 1);
  await startWriter(t, dir, 100);
  const args = ['poll', '--json', '-p', 'app.', 'requests,latency,latency:p50,latency:count,latency:max,recent,recent:mean', '-c', '3', '-d', '0.3', dir];
  const poll = spawnSync(process.execPath, [bins.mmstats, ...args], { encoding: 'utf8' });
  t.is(poll.stderr, '');
  t.is(poll.status, 0);
  const ticks = poll.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Tick);
  const last = ticks[2]!.values;
  t.is(last['app.requests']!.kind, 'counter');
  t.is(last['app.requests']!.unit, 'requests');
  t.like(last['app.latency'], { kind: 'timer', stat: 'p99', unit: 'seconds' }, 'a timer shows its p99 by default');
  // Percentiles come from the merged histogram: p99 is the slow writer's 0.1 s, p50 may be either; both within 3.125 %.
  t.true(Math.abs(last['app.latency']!.value! - 0.1) <= 0.1 * 0.03125, `p99 ${last['app.latency']!.value}`);
  const p50 = last['app.latency:p50']!.value!;
  t.true([0.001, 0.1].some((v) => Math.abs(p50 - v) <= v * 0.03125), `p50 ${p50}`);
  t.is(last['app.latency:max']!.value, 0.1);
  const count = last['app.latency:count']!;
  t.is(count.stat, 'count');
  t.is(count.change, count.total! - ticks[1]!.values['app.latency:count']!.total!, 'a count shows its change');
  t.like(last['app.recent'], { kind: 'window', stat: 'rate', unit: 'seconds' });
  t.true(last['app.recent']!.value! > 0, 'the window counts recent values');
  const mean = last['app.recent:mean']!.value!;
  t.true(mean > 0.001 && mean < 0.1, `window mean ${mean}`);
  // A selector the record's kind does not have ends the poll before any row, as an unknown one does.
  const misfit = spawnSync(process.execPath, [bins.mmstats, 'poll', '-p', 'app.', 'latency:p99,requests:p99', '-c', '1', dir], { encoding: 'utf8' });
  t.is(misfit.status, 2);
  t.is(misfit.stderr, 'mmstats: requests:p99: a counter has no :p99; selectors are for histograms, timers, averages and windows\n');
  t.is(misfit.stdout, '');
});

test('poll --json: each change is exactly the growth of the total since the previous tick', async (t) => {
  const dir = tempDir(t, 'poll-json');
  for (const step of STEPS) await startWriter(t, dir, step);
  const poll = spawnSync(process.execPath, [bins.mmstats, 'poll', '--json', '-p', 'app.', 'requests,workers', '-c', '3', '-d', '0.2', dir], { encoding: 'utf8' });
  t.is(poll.status, 0, poll.stderr);
  const ticks = poll.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Tick);
  t.is(ticks.length, 3);
  t.is(ticks[0]!.interval, null);
  t.deepEqual(ticks[0]!.values['app.workers'], { kind: 'gauge', value: 3 });
  t.is(ticks[0]!.values['app.requests']!.change, null);
  for (let i = 1; i < 3; i++) {
    const before = ticks[i - 1]!.values['app.requests']!;
    const now = ticks[i]!.values['app.requests']!;
    t.is(now.kind, 'counter');
    t.is(now.change, now.total! - before.total!);
    t.true(ticks[i]!.interval! > 0.1 && ticks[i]!.interval! < 5, `interval ${ticks[i]!.interval}`);
  }
  const grown = ticks[2]!.values['app.requests']!.total! - ticks[0]!.values['app.requests']!.total!;
  t.true(grown > 0, 'live writers counted while polled');
});

test('a writer started mid-run joins, a SIGKILLed one is left out, a stopped one leaves; Ctrl-C exits 130', async (t) => {
  const dir = tempDir(t, 'poll-live');
  const first = await startWriter(t, dir, 1, 20, { format: 1 });
  const second = await startWriter(t, dir, 10_000);
  const poll = run(t, bins.mmstats, ['poll', '--json', '-p', 'app.', 'requests,workers', '-d', '0.1', dir]);
  const ticks = () => poll.lines.map((line) => JSON.parse(line) as Tick);
  const waitFor = (files: number) =>
    eventually(`a tick with ${files} files`, () => {
      const last = ticks().at(-1);
      return last !== undefined && last.files === files && last.values['app.workers']!.value === files;
    });
  await waitFor(2);
  const third = await startWriter(t, dir, 100_000_000);
  await waitFor(3);
  first.child.kill('SIGKILL');
  await once(first.child, 'exit');
  await waitFor(2);
  t.is(poll.stderr(), `mmstats: ${first.path}: its writer is gone (pid ${first.pid} is not running, in this or any other pid namespace); left out (--include-dead shows it)\n`);
  second.child.kill('SIGTERM'); // removes its file
  await once(second.child, 'exit');
  await waitFor(1);
  poll.child.kill('SIGINT');
  t.is(await poll.exited, 130);
  t.is(poll.stderr().split('\n').length, 2, 'a writer that removed its file is not a problem to report');
  // Writers came and went, and no interval ever showed a negative change.
  t.true(ticks().every((tick) => (tick.values['app.requests']!.change ?? 0) >= 0));
  t.true(third.child.exitCode === null);
});

test('a file that turns bad mid-run is reported once and skipped; the others are still polled', async (t) => {
  const dir = tempDir(t, 'poll-bad');
  await startWriter(t, dir, 1);
  const victim = statsFileFor(dir, 'victim.mmstats', { pid: process.pid, requests: 5, format: 2 });
  const poll = run(t, bins.mmstats, ['poll', '--json', '-p', 'app.', 'requests', '-d', '0.1', dir]);
  const last = () => (poll.lines.length ? (JSON.parse(poll.lines.at(-1)!) as Tick) : undefined);
  await eventually('both files polled', () => last()?.files === 2);
  truncateSync(victim, 10);
  await eventually('the bad file left out', () => last()?.files === 1);
  const seen = poll.lines.length;
  await eventually('five more ticks', () => poll.lines.length >= seen + 5);
  poll.child.kill('SIGTERM');
  t.is(await poll.exited, 143);
  t.is(last()?.unreadable, 1, 'each tick says how many files it could not read');
  const reports = poll.stderr().trimEnd().split('\n');
  t.is(reports.length, 2);
  t.regex(reports[0]!, new RegExp(`^mmstats: ${victim}: MMSTATS-E(00[34]|105) `));
  t.is(reports[1], 'mmstats: 1 file could not be read (reported above); the rows leave it out');
});

test('-f narrows to the files that match; --rate shows counters per second; --gauge overrides', async (t) => {
  const dir = tempDir(t, 'poll-filter');
  await startWriter(t, dir, 1);
  await startWriter(t, dir, 10_000);
  const poll = spawnSync(process.execPath, [bins.mmstats, 'poll', '--json', '--rate', '-p', 'app.', 'requests,step', '-f', 'app.step=10000', '--gauge', 'step', '-c', '2', '-d', '0.2', dir], { encoding: 'utf8' });
  t.is(poll.status, 0, poll.stderr);
  const ticks = poll.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Tick);
  t.is(ticks[1]!.files, 1);
  t.deepEqual(ticks[1]!.values['app.step'], { kind: 'gauge', value: 10_000 });
  const requests = ticks[1]!.values['app.requests']!;
  t.is(requests.rate, (requests.total! - ticks[0]!.values['app.requests']!.total!) / ticks[1]!.interval!);
  const counted = spawnSync(process.execPath, [bins.mmstats, 'poll', '--json', '-p', 'app.', 'step', '--counter', 'app.step', '-c', '1', dir], { encoding: 'utf8' });
  t.is((JSON.parse(counted.stdout) as Tick).values['app.step']!.kind, 'counter');
});

test('piped into head, poll ends quietly; bad options are refused', async (t) => {
  const dir = tempDir(t, 'poll-pipe');
  await startWriter(t, dir, 1);
  const piped = spawnSync('bash', ['-o', 'pipefail', '-c', `'${process.execPath}' '${bins.mmstats}' poll -p app. requests -d 0.05 '${dir}' | head -2`], { encoding: 'utf8', timeout: 30_000 });
  t.is(piped.status, 0, piped.stderr);
  t.is(piped.stdout.split('\n').length, 3);
  const bad = spawnSync(process.execPath, [bins.mmstats, 'poll', 'requests', '-d', '0', dir], { encoding: 'utf8' });
  t.is(bad.status, 2);
  t.regex(bad.stderr, /--delay must be a positive number of seconds, got 0/);
});

test('under a limit of 128 descriptors, poll sums 400 files: no descriptor is held per file', async (t) => {
  const prlimit = '/usr/bin/prlimit';
  if (!existsSync(prlimit)) {
    if (process.env.CI === 'true') return t.fail('prlimit (util-linux) is missing');
    t.log('not run: no prlimit here (util-linux)');
    return t.pass();
  }
  const dir = tempDir(t, 'poll-limit');
  const webstats = validFixtures('v1/python-0.8.0').find((f) => f.name === 'webstats')!;
  for (let i = 0; i < 400; i++) copyFileSync(webstats.path, join(dir, `web-${i}.mmstats`));
  const poll = spawnSync(prlimit, ['--nofile=128:128', process.execPath, bins.mmstats, 'poll', '--json', '--include-dead', '-c', '2', '-d', '0.2', 'web.stats.status.2XX', dir], { encoding: 'utf8', timeout: 120_000 });
  t.is(poll.status, 0, poll.stderr);
  const ticks = poll.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Tick);
  // The old poller kept a descriptor per file and summed the ~110 it could open (node itself needs some to load its modules).
  t.deepEqual(ticks.map((tick) => [tick.files, tick.unreadable, tick.values['web.stats.status.2XX']!.total]), [[400, 0, 400 * 17], [400, 0, 400 * 17]]);
  t.is(poll.stderr, '');
});

test('-c counts rows printed: a poll stopped for a while (SIGSTOP) still prints them all', async (t) => {
  const dir = tempDir(t, 'poll-stall');
  await startWriter(t, dir, 1);
  const polling = run(t, bins.mmstats, ['poll', '-p', 'app.', 'requests', '-c', '4', '-d', '0.1', dir]);
  await eventually('the first row', () => polling.lines.length >= 2);
  polling.child.kill('SIGSTOP');
  await new Promise((resolve) => setTimeout(resolve, 800)); // eight intervals missed
  polling.child.kill('SIGCONT');
  t.is(await polling.exited, 0, polling.stderr());
  t.is(polling.lines.filter((line) => /^\s+\d/.test(line)).length, 4, polling.lines.join('\n'));
});
