// Helpers of the tests: a fresh stats directory, and the merged fields of the files in it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findStatsFilesSync, type MergedField, mergeSnapshots, readStats } from '@mmstats/reader';

/** A fresh directory for a test's stats files, removed when the test ends. */
export function statsDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmstats-otel-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The fields of every stats file in `dir`, merged (as mmash and `mmstats get --merge` merge them). */
export function merged(dir: string): MergedField[] {
  return mergeSnapshots(findStatsFilesSync([dir]).map((path) => readStats(path)));
}

/** The merged field of `label` whose dimensions include `dims`. */
export function field(fields: readonly MergedField[], label: string, dims: Readonly<Record<string, string>> = {}): MergedField | undefined {
  return fields.find((f) => f.label === label && Object.entries(dims).every(([k, v]) => f.dims[k] === v));
}
