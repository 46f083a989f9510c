import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalidFixtures, validFixtures, validGroups, validV2Fixtures, validV2Groups } from '@mmstats/fixtures';
import { bins, tempDir } from '../test-files.test.util.js';
import { compareWithExpected } from './validate.js';

function mmstats(args: string[]) {
  const run = spawnSync(process.execPath, [bins.mmstats, ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const json = (path: string) => path.replace(/\.mmstats$/, '.json');
const bytes = (path: string) => new Uint8Array(readFileSync(path));
const expected = (path: string) => JSON.parse(readFileSync(json(path), 'utf8')) as Record<string, unknown>;

// Every fixture, in process (fast); the command line itself is run on a few below.
const everyFixture = [
  ...validGroups.flatMap((group) => validFixtures(group)),
  ...validV2Groups.flatMap((group) => validV2Fixtures(group)),
  ...invalidFixtures(),
];

test(`every fixture (${everyFixture.length}) matches its own JSON: v1 (Python notation included), v2, invalid`, (t) => {
  t.true(everyFixture.length > 90);
  for (const fixture of everyFixture) t.deepEqual(compareWithExpected(bytes(fixture.path), expected(fixture.path)), { match: true }, fixture.path);
});

test('mmstats validate exits 0 on a match, for one fixture of each shape; --expected defaults to FILE.json', (t) => {
  const v1 = validFixtures('v1/python-0.8.0').find((f) => f.name === 'edge-values')!;
  const v2 = validV2Fixtures('v2/ts').find((f) => f.name === 'all-kinds')!;
  const invalid = invalidFixtures(2).find((f) => f.name === 'v2-not-ready')!;
  for (const path of [v1.path, v2.path, invalid.path]) {
    const run = mmstats(['validate', path, '--expected', json(path)]);
    t.is(run.code, 0, run.stdout + run.stderr);
    t.is(run.stdout, `ok ${path}\n`);
  }
  t.is(mmstats(['validate', v2.path]).code, 0);
});

test('a wrong expectation exits 1, naming the first differing JSON path with what was found and wanted', (t) => {
  const dir = tempDir(t, 'validate');
  const v2 = validV2Fixtures('v2/ts').find((f) => f.name === 'all-kinds')!;
  const wrong = structuredClone(v2.json) as unknown as { records: { value?: unknown }[]; header: { pid: number } };
  const histogram = wrong.records.findIndex((r) => typeof r.value === 'object' && r.value !== null && 'buckets' in r.value);
  const buckets = (wrong.records[histogram]!.value as { buckets: Record<string, number> }).buckets;
  const [bucket] = Object.keys(buckets);
  buckets[bucket!]! += 1;
  writeFileSync(join(dir, 'wrong.json'), JSON.stringify(wrong));
  const run = mmstats(['validate', v2.path, '--expected', join(dir, 'wrong.json')]);
  t.is(run.code, 1);
  const found = (v2.json.records[histogram]!.value as { buckets: Record<string, number> }).buckets[bucket!];
  t.is(run.stdout, `mismatch ${v2.path} at $.records[${histogram}].value.buckets["${bucket}"]\n  found:  ${found}\n  wanted: ${found! + 1}\n`);

  // A valid file where an error is wanted, and the other way round.
  writeFileSync(join(dir, 'error.json'), JSON.stringify({ error: 'MMSTATS-E003', description: 'cut' }));
  const notBad = mmstats(['validate', v2.path, '--expected', join(dir, 'error.json')]);
  t.is(notBad.code, 1);
  t.is(notBad.stdout, `mismatch ${v2.path} at $.error\n  found:  "(decoded: a valid v2 file)"\n  wanted: "MMSTATS-E003"\n`);
  const bad = invalidFixtures(1).find((f) => f.name === 'cut-in-buffer-1')!;
  const v1 = validFixtures('v1/python-0.8.0')[0]!;
  const notGood = mmstats(['validate', bad.path, '--expected', json(v1.path)]);
  t.is(notGood.code, 1);
  t.is(notGood.stdout, `mismatch ${bad.path} at $.error\n  found:  "MMSTATS-E003"\n  wanted: (absent)\n`);

  // A v1 file against a v2 expectation: the first key that differs.
  const crossed = mmstats(['validate', v1.path, '--expected', json(v2.path)]);
  t.is(crossed.code, 1);
  t.regex(crossed.stdout, /^mismatch .+ at \$\.file_size\n/);
});

test('usage errors exit 2: no file, a missing file, JSON that is not a fixture\'s', (t) => {
  const dir = tempDir(t, 'validate-usage');
  const v2 = validV2Fixtures('v2/ts')[0]!;
  t.is(mmstats(['validate']).code, 2);
  const missing = mmstats(['validate', join(dir, 'none.mmstats'), '--expected', json(v2.path)]);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /none\.mmstats: cannot read \(ENOENT\)/);
  writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
  t.is(mmstats(['validate', v2.path, '--expected', join(dir, 'other.json')]).code, 2);
  writeFileSync(join(dir, 'broken.json'), '{');
  t.is(mmstats(['validate', v2.path, '--expected', join(dir, 'broken.json')]).code, 2);
  t.is(mmstats(['validate', v2.path, '--expected']).code, 2);
});
