import test from 'ava';
import { readFileSync } from 'node:fs';
import { readV1Scalar, statsBytes, type V1FieldLayout, type Value } from '@mmstats/format';
import { validFixtures } from '@mmstats/fixtures';
import { readStats } from '@mmstats/reader';
import {
  bool, byte, counter, defineModel, double, float, int, short, staticDouble, staticFloat, staticInt64,
  staticText, staticUint, staticUint64, string, uint, ushort, type AnyFieldDef,
} from '../index.js';
import { firstDifference, tempDir } from '../common/test-support.test.util.js';

/** The writer field that makes each (type, buffering) of the Python files. */
function definitionFor(field: V1FieldLayout, value: Value): AnyFieldDef {
  const label = { label: field.label };
  if (field.buffered) {
    const buffered: Record<string, () => AnyFieldDef> = {
      Q: () => counter(label), d: () => double(label), f: () => float(label), I: () => uint(label),
      i: () => int(label), h: () => short(label), H: () => ushort(label),
    };
    return buffered[field.type]!();
  }
  if (field.type === '256s') return staticText({ ...label, value: value as string });
  if (field.valueType.code === 's') return string({ ...label, size: field.valueType.size });
  const unbuffered: Record<string, () => AnyFieldDef> = {
    b: () => byte(label), '?': () => bool(label), f: () => staticFloat({ ...label, value: value as number }),
    d: () => staticDouble({ ...label, value: value as number }), I: () => staticUint({ ...label, value: value as number }),
    q: () => staticInt64({ ...label, value: value as bigint }), Q: () => staticUint64({ ...label, value: value as bigint }),
  };
  return unbuffered[field.type]!();
}

/**
 * The writes that leave a buffered record as Python left it: buffer w^1 was written last;
 * before it the other buffer, when it was ever written (spec/format-v1.md#buffering).
 */
function replay(handle: { value: unknown }, field: V1FieldLayout, bytes: Uint8Array): void {
  const file = statsBytes(bytes);
  const w = bytes[field.writeBufferOffset]!;
  const buffer = (i: number) => readV1Scalar(file.bytes, file.view, field.valueOffset + i * field.valueType.size, field.valueType);
  const isZero = (i: number) => bytes.subarray(field.valueOffset + i * field.valueType.size, field.valueOffset + (i + 1) * field.valueType.size).every((b) => b === 0);
  if (w === 0 && isZero(0) && isZero(1)) return; // never written
  const writes = w === 0 ? [buffer(0), buffer(1)] : isZero(1) ? [buffer(0)] : [buffer(0), buffer(1), buffer(0)];
  for (const value of writes) handle.value = value;
}

const python = validFixtures('v1/python-0.8.0').filter((f) => !f.name.startsWith('thread-'));

for (const fixture of python) {
  test(`${fixture.name}: for every field, our record is byte-identical to Python’s for the same label, type and value`, (t) => {
    const bytes = readFileSync(fixture.path);
    const dir = tempDir(t);
    for (const field of readStats(fixture.path).fields) {
      const value = field.value as Value;
      const layout = field.layout as V1FieldLayout;
      const stats = defineModel({ f: definitionFor(layout, value) }, { system: false, format: 1 }).open({ path: dir, filename: `${layout.offset}.mmstats` });
      const handle = stats.f as unknown as { value: unknown };
      if (layout.buffered) {
        replay(handle, layout, bytes);
      } else if (layout.valueType.code === 's' && layout.type !== '256s') {
        // Python leaves old bytes after a shorter string's NUL: write such an older value first.
        const raw = bytes.subarray(layout.valueOffset, layout.valueOffset + layout.valueType.size);
        const nul = raw.indexOf(0);
        if (nul !== -1 && raw.subarray(nul + 1).some((b) => b !== 0)) handle.value = Buffer.from(raw).fill(0x2e, nul, nul + 1).toString('utf8');
        handle.value = value;
      } else if (layout.type === 'b' || layout.type === '?') {
        handle.value = value;
      }
      const ours = readFileSync(stats.path).subarray(1, 1 + layout.size);
      const theirs = bytes.subarray(layout.offset, layout.offset + layout.size);
      t.is(firstDifference(ours, theirs), undefined, `${layout.label} (${layout.type})`);
    }
  });
}
