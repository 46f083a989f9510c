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
import { toJsonV2File, toJsonV2Value, toJsonValue, type DecodedV2Record, type JsonData, type V1FieldLayout } from '@mmstats/format';
import { fixtureBytes, validFixtures, validV2Fixtures, type ExpectedField, type ValidFixture, type ValidV2Fixture } from '@mmstats/fixtures';
import { isV2Layout, type FieldLayout, type FieldValue, type StatsField, type StatsSnapshot } from './fields.js';
import type { LiveStatsFile } from './live-stats-file.js';

/** The Python 0.8.0 v1 fixture called `name` (throws when there is none). */
export function v1Fixture(name: string): ValidFixture {
  return found(validFixtures('v1/python-0.8.0').find((f) => f.name === name), `v1/python-0.8.0/${name}`);
}

/** The v2 fixture `name` of `group` (throws when there is none). */
export function v2Fixture(group: string, name: string): ValidV2Fixture {
  return found(validV2Fixtures(group).find((f) => f.name === name), `${group}/${name}`);
}

function found<T>(fixture: T | undefined, what: string): T {
  if (fixture === undefined) throw new TypeError(`no fixture ${what}`);
  return fixture;
}

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

/** The JSON form of a value of either version (spec/expected-json.md); `undefined` stays `undefined`. */
export function asJson(value: FieldValue | undefined): JsonData | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'object' ? toJsonV2Value(value) : toJsonValue(value);
}

/** The layouts of a live view of a v1 file (throws for a v2 one). */
export function v1Fields(live: LiveStatsFile): V1FieldLayout[] {
  return live.fields.map((field) => v1Layout(field));
}

/** `layout` as a v1 field's (throws for a v2 record's). */
export function v1Layout(layout: FieldLayout): V1FieldLayout {
  if (isV2Layout(layout)) throw new TypeError(`expected a v1 field, got the v2 record ${layout.label}`);
  return layout;
}

/**
 * Fields in the fixture JSON's shape, so a read can be compared with `t.deepEqual` to what
 * the Python reader returned. `write_buffer` is read from the fixture's own bytes at the
 * offset the reader found, which checks that offset too.
 */
export function asExpected(fixture: ValidFixture, fields: readonly StatsField[]): ExpectedField[] {
  const bytes = fixtureBytes(fixture);
  return fields.map((field) => {
    if (field.version !== 1) throw new TypeError(`expected a v1 field, got the v2 record ${field.label}`);
    const { label, type, value, layout } = field;
    return {
      offset: layout.offset,
      label,
      type,
      write_buffer: bytes[layout.writeBufferOffset]!,
      value_offset: layout.valueOffset,
      size: layout.size,
      value: toJsonValue(value),
    };
  });
}

/**
 * A v2 snapshot in the fixture JSON's shape (spec/expected-json.md#v2-fixture-json), built with
 * the format's own `toJsonV2File`, to compare with the fixture's JSON.
 */
export function asExpectedV2(snapshot: StatsSnapshot, about: { readonly producer: string; readonly note: string; readonly fileSize: number }): JsonData {
  if (snapshot.version !== 2 || snapshot.header === undefined) throw new TypeError(`${snapshot.path} is not a v2 snapshot`);
  const records = snapshot.fields.map((field): DecodedV2Record => {
    if (field.version !== 2) throw new TypeError(`expected a v2 record, got the v1 field ${field.label}`);
    return field.error !== undefined ? { ...field.layout, error: field.error } : { ...field.layout, value: field.value! };
  });
  return toJsonV2File({ version: 2, header: snapshot.header, records, notices: snapshot.notices }, about);
}
