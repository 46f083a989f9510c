import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesRoot, validV2Fixtures } from '@mmstats/fixtures';
import { goldenV2Cases, goldenV2Json, goldenV2Producer, unexpectedValues } from './golden.test.cases.js';
import { firstDifference, tempDir } from '../common/test-support.test.util.js';

for (const golden of goldenV2Cases) {
  test(`${golden.name}: writing it again gives the golden bytes and JSON of fixtures/v2/ts`, (t) => {
    const stats = golden.write({ path: tempDir(t), filename: `${golden.name}.mmstats` });
    t.teardown(() => stats.remove());
    const found = new Uint8Array(readFileSync(stats.path));
    const wanted = join(fixturesRoot, 'v2/ts', `${golden.name}.mmstats`);
    t.is(firstDifference(found, readFileSync(wanted)), undefined);
    const json = goldenV2Json(found, golden.note);
    t.deepEqual(JSON.parse(JSON.stringify(json)), JSON.parse(readFileSync(wanted.replace(/\.mmstats$/, '.json'), 'utf8')));
    t.deepEqual(unexpectedValues(golden, json), [], 'values by the cases’ own arithmetic');
  });
}

test('the v2 golden files are the writer’s, all of them', (t) => {
  const fixtures = validV2Fixtures('v2/ts');
  t.deepEqual(fixtures.map((f) => f.name), goldenV2Cases.map((c) => c.name));
  t.true(fixtures.every((f) => f.json.producer === goldenV2Producer));
});
