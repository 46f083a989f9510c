/**
 * A tiny raw writer for tests: v1 and v2 files made with `@mmstats/format`'s primitives over a
 * shared read-write mapping, so that tests (and the stress tests' child processes) can change
 * a file while a reader maps it. Not the `@mmstats/writer` package: only what tests need.
 * Also the deterministic distributions of the merged-percentile test.
 *
 * @internal
 * @module
 */
import { closeSync, ftruncateSync, openSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  appendV2Record,
  planV1Layout,
  planV2Record,
  setV2Ready,
  statsBytes,
  statsBytesV2,
  writeV1Headers,
  writeV2Header,
  type StatsBytes,
  type V1FieldSpec,
  type V1Layout,
  type V2RecordLayout,
  type V2RecordSpec,
  type V2StatsBytes,
} from '@mmstats/format';

/** The writer's mmap binding (the part these tests use). */
interface MmapBinding {
  readonly PROT_READ: number;
  readonly PROT_WRITE: number;
  readonly MAP_SHARED: number;
  map(size: number, protection: number, flags: number, fd: number, offset: number): Buffer;
}

// The binding `@mmstats/writer` builds for this Node, loaded from the workspace by path: the
// reader itself maps nothing, and the writer cannot be a dependency of the reader (the writer's
// tests depend on the reader).
const mmap = (createRequire(import.meta.url)('../../writer/native/binding.cjs') as { loadBinding(): MmapBinding }).loadBinding();

/** Maps `size` bytes of `fd` shared, readable and writable. */
export function mapShared(fd: number, size: number): Buffer {
  return mmap.map(size, mmap.PROT_READ | mmap.PROT_WRITE, mmap.MAP_SHARED, fd, 0);
}

/**
 * A new zero-filled file of `size` bytes at a temporary name beside `path`, mapped shared and
 * writable (the mapping outlives the descriptor): fill it, then `publish()` it (rename it to `path`).
 */
function newMappedFile(path: string, size: number): { readonly bytes: Buffer; publish(): void } {
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w+', 0o644);
  try {
    ftruncateSync(fd, size);
    return { bytes: mapShared(fd, size), publish: () => renameSync(temporary, path) };
  } finally {
    closeSync(fd);
  }
}

/** A v2 file being written: its views over the shared mapping and its records' layouts by label. */
export interface RawV2File {
  readonly path: string;
  readonly file: V2StatsBytes;
  /** The last record added with each label. */
  readonly records: Map<string, V2RecordLayout>;
  /** Every record added, in file order. */
  readonly list: V2RecordLayout[];
  /** Plans and appends a record (spec/format-v2.md#publication); throws when it is invalid or does not fit. */
  add(spec: V2RecordSpec): V2RecordLayout;
}

/** A random non-zero u64. */
export function randomFileId(): bigint {
  return (BigInt(Math.floor(Math.random() * 2 ** 32)) << 32n) | BigInt(Math.floor(Math.random() * 2 ** 32)) | 1n;
}

/**
 * Creates a v2 file at `path` the way spec/format-v2.md#lifecycle says: a temporary name,
 * zero-filled to `capacity`, header, initial records, `READY`, rename.
 */
export function createV2File(path: string, capacity: number, specs: readonly V2RecordSpec[], fileId: bigint = randomFileId()): RawV2File {
  const mapped = newMappedFile(path, capacity);
  const file = statsBytesV2(mapped.bytes);
  const now = Date.now() / 1000;
  writeV2Header(file.bytes, { capacity, fileId, pid: process.pid, tid: process.pid, processStart: now - process.uptime(), created: now });
  const records = new Map<string, V2RecordLayout>();
  const list: V2RecordLayout[] = [];
  const add = (spec: V2RecordSpec): V2RecordLayout => {
    const plan = planV2Record(spec);
    if (!plan.ok) throw plan.error;
    const layout = appendV2Record(file, plan.value);
    if (layout === undefined) throw new RangeError(`record ${spec.label} does not fit`);
    records.set(spec.label, layout);
    list.push(layout);
    return layout;
  };
  for (const spec of specs) add(spec);
  setV2Ready(file);
  mapped.publish();
  return { path, file, records, list, add };
}

/** A v1 file being written: its bytes over the shared mapping and its layout. */
export interface RawV1File {
  readonly file: StatsBytes;
  readonly layout: V1Layout;
}

/** Creates a v1 file of `size` bytes at `path` with the fields of `specs` (values zero). */
export function createV1File(path: string, size: number, specs: readonly V1FieldSpec[]): RawV1File {
  const layout = planV1Layout(specs);
  if (!layout.ok) throw layout.error;
  const mapped = newMappedFile(path, size);
  const file = statsBytes(mapped.bytes);
  writeV1Headers(file.bytes, layout.value);
  mapped.publish();
  return { file, layout: layout.value };
}

/** A distribution of the merged-percentile test. */
export type Distribution =
  | { readonly type: 'uniform'; readonly low: number; readonly high: number }
  | { readonly type: 'lognormal'; readonly mu: number; readonly sigma: number };

/** The distributions of the three writer processes of the merged-percentile test (seconds). */
export const PERCENTILE_DISTRIBUTIONS: readonly Distribution[] = [
  { type: 'lognormal', mu: Math.log(0.02), sigma: 0.5 },
  { type: 'uniform', low: 0.05, high: 0.3 },
  { type: 'lognormal', mu: Math.log(0.2), sigma: 1 },
];

/** mulberry32: a small deterministic PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` values of `distribution` from `seed`: the same values in every process. */
export function sampleValues(distribution: Distribution, seed: number, count: number): Float64Array {
  const random = prng(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    if (distribution.type === 'uniform') {
      out[i] = distribution.low + (distribution.high - distribution.low) * random();
    } else {
      // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
      const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      out[i] = Math.exp(distribution.mu + distribution.sigma * normal);
    }
  }
  return out;
}

/** Records of the runtime test: kind cycles so that record sizes and encodings differ. */
export function runtimeSpec(i: number): V2RecordSpec {
  const label = `rt.${String(i).padStart(4, '0')}`;
  switch (i % 4) {
    case 0: return { label, kind: 'counter' };
    case 1: return { label, kind: 'gauge', encoding: 'i64', dims: { index: String(i) } };
    case 2: return { label, kind: 'average', unit: 'seconds' };
    default: return { label, kind: 'histogram', histogram: { k: 1, minExp: 0, maxExp: 12 } };
  }
}
