import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesRoot, validFixtures } from '@mmstats/fixtures';
import { goldenCases, goldenJson } from './golden.test.cases.js';
import { firstDifference, tempDir } from '../common/test-support.test.util.js';

for (const golden of goldenCases) {
  test(`${golden.name}: writing it again gives the golden bytes and JSON of fixtures/v1/ts`, (t) => {
    const stats = golden.write({ path: tempDir(t), filename: `${golden.name}.mmstats` });
    const wanted = join(fixturesRoot, 'v1/ts', `${golden.name}.mmstats`);
    t.is(firstDifference(readFileSync(stats.path), readFileSync(wanted)), undefined);
    t.deepEqual(goldenJson(stats.path, golden.note), JSON.parse(readFileSync(wanted.replace(/\.mmstats$/, '.json'), 'utf8')));
  });
}

test('the golden JSON says what the fixtures loader reads', (t) => {
  const fixtures = validFixtures('v1/ts');
  t.deepEqual(fixtures.map((f) => f.name), goldenCases.map((c) => c.name));
  t.true(fixtures.every((f) => f.producer.startsWith('@mmstats/writer ')));
});

test('where Python’s file has no run-dependent values, ours is the same file byte for byte', (t) => {
  for (const name of ['all-types', 'edge-values', 'many-fields', 'unicode-labels']) {
    const ours = readFileSync(join(fixturesRoot, 'v1/ts', `${name}.mmstats`));
    const python = readFileSync(join(fixturesRoot, 'v1/python-0.8.0', `${name}.mmstats`));
    t.is(firstDifference(ours, python), undefined, name);
  }
});

test('firstDifference names the address and both bytes', (t) => {
  t.is(firstDifference(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 9, 3)), 'first differing byte: addr 0x1 (1) / found 0x02 / wanted 0x09');
  t.is(firstDifference(Uint8Array.of(1), Uint8Array.of(1, 0)), 'first differing byte: addr 0x1 (1) / found end of file / wanted 0x00');
});
