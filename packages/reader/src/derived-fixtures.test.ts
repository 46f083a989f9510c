// The derived-value fixtures (spec/conformance.md#derived): the files of each case merged by
// mergeSnapshots, and what the reader derives from each merged value, as the fixture's JSON.
import test from 'ava';
import { basename } from 'node:path';
import { isAverageValue, isHistogramValue, isWindowValue, meanOf, toJsonV2Value, toJsonValue, type JsonData } from '@mmstats/format';
import { derivedFixtures, type ExpectedMergedGroup } from '@mmstats/fixtures';
import { countedSnapshots } from './archive.js';
import { mergeSnapshots, type MergedField } from './merge-snapshots.js';
import { readStats } from './read-stats.js';

/** A merged field as the fixtures write a group: the value's spec JSON and what is derived from it. */
function asGroup(field: MergedField): ExpectedMergedGroup {
  const { label, dims, value } = field;
  if (value === undefined) return { label, dims, merged: false };
  const json: JsonData = typeof value === 'object' ? toJsonV2Value(value) : toJsonValue(value);
  if (isHistogramValue(value)) return { label, dims, merged: true, value: json, quantiles: Object.values(field.percentiles ?? {}).map((q) => q ?? null) };
  if (isWindowValue(value)) {
    const { rate, mean, count, sum, elapsed } = field.window!;
    return { label, dims, merged: true, value: json, window: { rate, mean: mean ?? null, count, sum, elapsed } };
  }
  if (isAverageValue(value)) return { label, dims, merged: true, value: json, mean: meanOf(value) ?? null };
  return { label, dims, merged: true, value: json };
}

for (const fixture of derivedFixtures()) {
  test(`derived/${fixture.name}: merged groups and derived values as the fixture says`, (t) => {
    const { now, quantiles } = fixture.json;
    const snapshots = fixture.files.map((path) => readStats(path));
    const uncounted = countedSnapshots(snapshots).uncounted.map(({ path, reason }) => ({ file: basename(path), reason }));
    t.deepEqual(uncounted, fixture.json.uncounted ?? [], 'the files not counted');
    const merged = mergeSnapshots(snapshots, { ...(now === undefined ? {} : { now }), ...(quantiles === undefined ? {} : { quantiles }) });
    // Sorted as the fixtures are: by label, then by dimensions.
    const order = (g: ExpectedMergedGroup): string => JSON.stringify([g.label, Object.entries(g.dims).sort()]);
    const groups = merged.map(asGroup).sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
    t.deepEqual(JSON.parse(JSON.stringify(groups)), fixture.json.groups, fixture.json.note);
  });
}

test('there are derived-value fixtures to check', (t) => {
  t.true(derivedFixtures().length >= 3);
});
