/**
 * Helpers for this package's tests (not exported from the package, not published).
 *
 * @internal
 * @module
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { toJsonValue } from '@mmstats/format';
import { fixtureBytes, type ExpectedField, type ValidFixture } from '@mmstats/fixtures';
import type { StatsField } from './read-stats.js';

/** A fresh directory under `os.tmpdir()`, removed when the test ends. */
export function tempDir(t: ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmstats-reader-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Copies a fixture into `dir` (tests that change files must not change the fixtures). */
export function copyFixture(fixture: { path: string }, dir: string, name = basename(fixture.path)): string {
  const path = join(dir, name);
  copyFileSync(fixture.path, path);
  return path;
}

/**
 * Fields in the fixture JSON's shape, so a read can be compared with `t.deepEqual` to what
 * the Python reader returned. `write_buffer` is read from the fixture's own bytes at the
 * offset the reader found, which checks that offset too.
 */
export function asExpected(fixture: ValidFixture, fields: readonly StatsField[]): ExpectedField[] {
  const bytes = fixtureBytes(fixture);
  return fields.map(({ label, type, value, layout }) => ({
    offset: layout.offset,
    label,
    type,
    write_buffer: bytes[layout.writeBufferOffset]!,
    value_offset: layout.valueOffset,
    size: layout.size,
    value: toJsonValue(value),
  }));
}
