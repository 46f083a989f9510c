/**
 * Opening a set of fields as one v2 stats file (spec/format-v2.md#lifecycle), adding records
 * to it while it is open (spec/format-v2.md#publication), and the controls of an opened v2
 * file (`add`, `flush`, `close`, `remove`). Shared by declarative models and the procedural
 * builder.
 *
 * @module
 */
import { randomFillSync } from 'node:crypto';
import { dirname } from 'node:path';
import { readFileSync, statSync } from 'node:fs';
import {
  UNKNOWN_BOOT_ID,
  MmstatsError,
  SERVICE_LABEL,
  WORKER_LABEL,
  NoticeCodes,
  V2_FLAGS,
  V2_HEADER_OFFSETS,
  V2_HEADER_SIZE,
  appendV2Record,
  planV2Record,
  publishV2Record,
  setV2Flags,
  setV2Heartbeat,
  setV2Ready,
  statsBytesV2,
  writeV2Header,
  writeV2Record,
  type V2RecordLayout,
  type V2RecordPlan,
  type V2StatsBytes,
} from '@mmstats/format';
import type { FieldDef, V2FieldSpec } from '../common/field-def.js';
import { degradeOrThrow, type FileOptions, type FlushOptions } from '../common/file-options.js';
import {
  commitV2File,
  createV2TempFile,
  flushMapped,
  pageRounded,
  releasePath,
  removeLeftovers,
  unlinkMapped,
  type MappedV2File,
} from '../common/stats-file.js';
import { REJECTED_VALUES_LABEL, rejectsTo, type RejectSink } from '../common/rejected-values.js';
import { forgetAtExit, removeAtExit } from '../common/remove-on-exit.js';
import { filenameTemplate, siblingMatcher, statsLocation, templateValues } from '../common/templates.js';
import { osThreadId } from '../common/thread-id.js';
import { claimWorkerSlot, type Claimant, type WorkerSlot } from '../common/worker-slot.js';
import { staticText } from '../fields.js';
import { checkedInteger } from '../common/values.js';
import { bindV2, heapArea, type BindHow, type RecordHandle } from './handle.js';
import { CARDINALITY_OVERFLOW_LABEL, DEFAULT_CARDINALITY_LIMIT, DimensionSets, OVERFLOW_DIMENSION, recordKey } from './dimension-sets.js';
import { CounterV2 } from './scalars.js';

/** The default `capacity` of a v2 file: 64 KiB, written as real zeros at creation (never sparse: spec/files.md#creation). */
export const DEFAULT_CAPACITY = 65536;

/** The default `heartbeatMs`: the header's heartbeat time is stored once a second. */
export const DEFAULT_HEARTBEAT_MS = 1000;

/**
 * The code of the one warning a v2 file gives when a record does not fit
 * (spec/format-v2.md#capacity): `NoticeCodes.FILE_FULL` of `@mmstats/format`'s catalogue.
 */
export const FILE_FULL_WARNING = NoticeCodes.FILE_FULL;

/**
 * The inode of this process's pid namespace (`/proc/self/ns/pid`), which tells cleaners
 * whether the header's `pid` means the same process to them (spec/format-v2.md#header);
 * `0n` (unknown) where `/proc` does not show it.
 */
export function ownPidNamespace(): bigint {
  // Fixed for the life of the process (unshare and setns change it for children only): read once.
  if (pidNamespace === undefined) {
    try {
      pidNamespace = statSync('/proc/self/ns/pid', { bigint: true }).ino;
    } catch {
      pidNamespace = 0n;
    }
  }
  return pidNamespace;
}
let pidNamespace: bigint | undefined;

/** Linux's id of the current boot (`/proc/sys/kernel/random/boot_id`); all zeros (unknown) elsewhere. */
export function ownBootId(): string {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim().toLowerCase();
    } catch {
      bootId = UNKNOWN_BOOT_ID;
    }
  }
  return bootId;
}
let bootId: string | undefined;

/** Package-internal: stores a heartbeat now (what the timer does). */
export const beat = Symbol('mmstats.beat');

/** Package-internal: places a handle that already exists (a procedural field) in the file. */
export const attach = Symbol('mmstats.attach');

/** Package-internal: starts the heartbeat timer. */
const startHeartbeat = Symbol('mmstats.startHeartbeat');

/** A field to open in a v2 file: its handle and its record. */
export interface V2Entry {
  readonly handle: RecordHandle;
  readonly spec: V2FieldSpec;
  /** `fresh` for a new handle, `carry` for one that already holds a value (a procedural field). */
  readonly how: BindHow;
}

/** The record naming the file's service (spec/files.md#service): `mmstats.service`, no label prefix. */
function serviceEntry(name: string): V2Entry {
  const def = staticText({ label: SERVICE_LABEL, value: name });
  return { handle: def.v2.create(SERVICE_LABEL), spec: def.v2.spec, how: 'fresh' };
}

/** The record holding the writer's slot, in decimal, no label prefix. */
function workerEntry(index: number): V2Entry {
  const def = staticText({ label: WORKER_LABEL, value: String(index) });
  return { handle: def.v2.create(WORKER_LABEL), spec: def.v2.spec, how: 'fresh' };
}

/** Claims a slot beside `path`; with `degrade`, a failure is reported once and the file has no slot. */
function claimSlot(path: string, service: string, who: Claimant, options: OpenV2Options): WorkerSlot | undefined {
  try {
    return claimWorkerSlot(dirname(path), service, who);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    degradeOrThrow(new MmstatsError(code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'ACCESS_DENIED' : 'CREATE_FAILED', `cannot claim a worker slot (${code ?? (error as Error).message})`, { path, cause: error }), options);
    return undefined;
  }
}

/** Options of {@link openEntriesV2}. */
export interface OpenV2Options extends FileOptions {
  /** Put in front of every label, also of records added later. */
  readonly labelPrefix?: string;
}

/**
 * An opened v2 stats file: where it is, its records, `add()` for records known only at run
 * time, and `flush()` / `close()` / `remove()`. Field handles hang off it.
 */
export class StatsFileV2 {
  /** The file format: 2 (spec/format-v2.md). */
  readonly format = 2 as const;
  /** Full path of the file (also when degraded to memory: where it would have been). */
  readonly path: string;
  /** Bytes of the file: its capacity, whole pages. */
  readonly size: number;
  /** `true` when the stats live in heap memory only (degraded, closed or removed). */
  inMemory: boolean;

  #file: V2StatsBytes;
  #mapped: MappedV2File | undefined;
  #disk: { readonly dev: number; readonly ino: number } | undefined;
  readonly #placed: Array<{ readonly handle: RecordHandle; readonly layout: V2RecordLayout }>;
  readonly #keys: Set<string>;
  readonly #dimensionSets: DimensionSets;
  readonly #prefix: string;
  readonly #clock: () => number;
  readonly #leftovers: ((name: string) => number | undefined) | undefined;
  readonly #slot: WorkerSlot | undefined;

  /**
   * The worker slot this file holds (option `slot`, spec/files.md#worker-slot), from 0; also in
   * its record `mmstats.worker`. `undefined` without the option (or when it could not be claimed
   * and `degrade` is set). Released by `close()` and `remove()`.
   */
  get slot(): number | undefined {
    return this.#slot?.index;
  }
  readonly #tid: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #warnedFull = false;
  readonly #rejectSink: RejectSink;
  #rejectedValues: { incr(): void } | undefined;

  /** @internal */
  constructor(
    path: string,
    file: V2StatsBytes,
    mapped: MappedV2File | undefined,
    placed: Array<{ readonly handle: RecordHandle; readonly layout: V2RecordLayout }>,
    keys: Set<string>,
    prefix: string,
    clock: () => number,
    leftovers: ((name: string) => number | undefined) | undefined,
    tid: number,
    cardinalityLimit: number,
    slot: WorkerSlot | undefined,
  ) {
    this.path = path;
    this.#slot = slot;
    this.#placed = placed;
    this.#keys = keys;
    this.#dimensionSets = new DimensionSets(cardinalityLimit, keys);
    this.size = file.bytes.length;
    this.inMemory = mapped === undefined;
    this.#file = file;
    this.#mapped = mapped;
    this.#disk = mapped;
    this.#prefix = prefix;
    this.#clock = clock;
    this.#leftovers = leftovers;
    this.#tid = tid;
    this.#rejectSink = { path, count: () => this.#countRejected() };
    for (const { handle } of placed) handle[rejectsTo](this.#rejectSink);
  }

  /** The records published in the file, in file order (spec/format-v2.md#record). */
  get records(): readonly V2RecordLayout[] {
    return this.#placed.map((p) => p.layout);
  }

  /** `true` once a record did not fit (the header's `FULL` flag, spec/format-v2.md#capacity). */
  get full(): boolean {
    return (Atomics.load(this.#file.i32, V2_HEADER_OFFSETS.flags >> 2) & V2_FLAGS.FULL) !== 0;
  }

  /**
   * Adds a field to the open file (spec/format-v2.md#publication) and returns its handle:
   * the record is written whole, then published, so readers never see half of it. Its label
   * is the file's `labelPrefix` + (`def.label` ?? `name`). When it does not fit, the handle
   * works in memory only, the file is marked `FULL` (`dropped_records` counts it) and one
   * warning is given for the file (`process.emitWarning`, code {@link FILE_FULL_WARNING}).
   *
   * A label that already has as many dimension sets as the file's `cardinalityLimit` (default
   * 2000) gets no record for a new one: the handle returned is the label's overflow record,
   * dimension `otel.metric.overflow` = `true`, shared by every set past the limit, and the sets
   * folded into it are counted in `mmstats.cardinality_overflow{label}`
   * (spec/files.md#cardinality).
   *
   * @throws MmstatsError INVALID_FIELD for a label and dimensions already in the file, a bad
   *   definition (empty or over-long names, bad parameters), or a record past the limit that
   *   holds another kind of value than the label's overflow record
   */
  add<H>(name: string, def: FieldDef<H, unknown>): H {
    const label = this.#prefix + (def.label ?? name);
    if (this.#dimensionSets.atLimit(label)) {
      const plan = planOrThrow(label, def.v2.spec);
      const key = recordKey(plan);
      // A set the file has already is refused below, as at any other count.
      if (!this.#keys.has(key)) return this.#dimensionSets.overflow(plan, key, () => this.#openOverflow(label, def));
    }
    const handle = def.v2.create(label);
    this[attach](handle as RecordHandle, def.v2.spec, 'fresh');
    this.#dimensionSets.added(label);
    return handle;
  }

  /** The overflow record of `label` (made from `def`) and its count, added at the label's first overflow (spec/files.md#overflow-record). */
  #openOverflow<H>(label: string, def: FieldDef<H, unknown>): { handle: H; count: { incr(): void } } {
    const handle = def.v2.create(label);
    this[attach](handle as RecordHandle, { ...def.v2.spec, dims: { [OVERFLOW_DIMENSION]: 'true' } }, 'fresh');
    const count = new CounterV2(CARDINALITY_OVERFLOW_LABEL);
    const spec: V2FieldSpec = { kind: 'counter', encoding: 'f64', dims: { label }, help: 'dimension sets of a label past its cardinality limit, folded into its otel.metric.overflow record' };
    try {
      this[attach](count, spec, 'fresh');
    } catch {
      // The app has a record of that label and dimension itself: the overflow record still works.
      return { handle, count: { incr: () => {} } };
    }
    return { handle, count };
  }

  /**
   * Places `handle` in the file, or in memory when it does not fit.
   *
   * @internal
   */
  [attach](handle: RecordHandle, spec: V2FieldSpec, how: BindHow): void {
    const plan = planEntry(handle, spec, this.#keys);
    handle[rejectsTo](this.#rejectSink);
    const file = this.#file;
    const layout = appendBound(file, plan, handle, how);
    if (layout !== undefined) {
      this.#placed.push({ handle, layout });
      return;
    }
    handle[bindV2](heapArea(handle.valueSize), 0, undefined, how);
    if (!this.#warnedFull) {
      this.#warnedFull = true;
      process.emitWarning(
        `${this.path}: ${FILE_FULL_WARNING} record ${JSON.stringify(handle.label)} (${plan.size} bytes) does not fit in the ${this.size}-byte stats file: it is kept in memory only and the file is marked FULL (raise the capacity option); further records that do not fit are counted in dropped_records without another warning`,
        { type: 'MmstatsWarning', code: FILE_FULL_WARNING },
      );
    }
  }

  /**
   * Writes the mapped pages to disk (msync). Readers never need this: they see the mapping
   * live. It matters only for what stays on disk after a crash. No-op in memory.
   *
   * @throws MmstatsError FLUSH_FAILED naming the path
   */
  flush(options: FlushOptions = {}): void {
    if (this.#mapped !== undefined) flushMapped(this.#mapped, this.path, options.blocking ?? true);
  }

  /**
   * Closes the file on purpose and leaves it for readers: sets `CLOSED` (its values are final,
   * spec/format-v2.md#lifecycle) and stops the heartbeat. Handles keep working afterwards, on
   * a copy in memory; `remove()` can still delete the file. Calling it again does nothing.
   */
  close(): void {
    forgetAtExit(this);
    this.#stopHeartbeat();
    this.#slot?.release();
    if (this.#mapped === undefined) return;
    setV2Flags(this.#file, V2_FLAGS.CLOSED);
    this.#toHeap();
    releasePath(this.path);
  }

  /**
   * Unlinks the file (if it is still ours: same device and inode); and when the file name
   * template has both `{PID}` and `{TID}`, also this process's leftover files of threads that
   * have ended. Stops the heartbeat. Handles keep working afterwards, on a copy in memory.
   * Calling it again does nothing.
   */
  remove(): void {
    forgetAtExit(this);
    this.#stopHeartbeat();
    this.#slot?.release();
    const disk = this.#disk;
    if (disk === undefined) return;
    this.#disk = undefined;
    const open = this.#mapped !== undefined;
    if (open) this.#toHeap();
    // A closed file no longer claims its path: leave the claim of whoever took it since alone.
    unlinkMapped(disk, this.path, open);
    if (this.#leftovers !== undefined) removeLeftovers(this.path, this.#leftovers, this.#tid);
  }

  /**
   * Starts the heartbeat timer (unref'd: it never keeps the process alive).
   *
   * @internal
   */
  [startHeartbeat](intervalMs: number): void {
    this.#timer = setInterval(() => this[beat](), intervalMs);
    this.#timer.unref();
  }

  /**
   * Stores the heartbeat time now (one aligned 8-byte store).
   *
   * @internal
   */
  [beat](): void {
    if (this.#mapped !== undefined) setV2Heartbeat(this.#file, this.#clock());
  }

  /**
   * Counts a value a field ignored in the record `mmstats.rejected_values`, added at the first
   * one (spec/files.md#bad-values). Never throws: when an app's own field has that label, the
   * handles' own counts are all there is.
   */
  #countRejected(): void {
    if (this.#rejectedValues === undefined) {
      // What `counter({ help })` defines, made here so that v2 needs none of the definitions.
      const spec: V2FieldSpec = { kind: 'counter', encoding: 'f64', help: 'updates the writer ignored because the value was not one the field takes (NaN, infinite, not a number, a negative count step)' };
      const handle = new CounterV2(REJECTED_VALUES_LABEL);
      this.#rejectedValues = handle;
      try {
        this[attach](handle, spec, 'fresh');
      } catch {
        this.#rejectedValues = { incr: () => {} };
      }
    }
    this.#rejectedValues.incr();
  }

  #stopHeartbeat(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Re-points every handle at a heap copy, so late updates stay harmless and the mapping can be collected (the binding has no munmap). */
  #toHeap(): void {
    // A copy: on a Buffer (the mapping), slice() would be a view of the same memory.
    const copy = statsBytesV2(new Uint8Array(this.#file.bytes));
    for (const { handle, layout } of this.#placed) handle[bindV2](copy, layout.valueOffset, undefined, 'moved');
    this.#file = copy;
    this.#mapped = undefined;
    this.inMemory = true;
  }
}

/** Plans the record `spec` with `label`, throwing INVALID_FIELD for a bad definition. */
function planOrThrow(label: string, spec: V2FieldSpec): V2RecordPlan {
  const planned = planV2Record({ ...spec, label });
  if (!planned.ok) throw new MmstatsError('INVALID_FIELD', planned.error.detail, { cause: planned.error });
  return planned.value;
}

/** Plans the record of `handle`, refusing a label and dimensions already in `keys` (then adds them). */
function planEntry(handle: RecordHandle, spec: V2FieldSpec, keys: Set<string>): V2RecordPlan {
  const plan = planOrThrow(handle.label, spec);
  const key = recordKey(plan);
  if (keys.has(key)) {
    const dims = plan.dims.length === 0 ? '' : ` and dimensions ${plan.dims.map(([k, v]) => `${k}=${v}`).join(',')}`;
    throw new MmstatsError('INVALID_FIELD', `two fields have the label ${JSON.stringify(plan.label)}${dims}`);
  }
  keys.add(key);
  return plan;
}

/**
 * Appends `plan` at `used` (spec/format-v2.md#publication): every byte of the record, then the
 * handle's starting (or carried) value, then `state = 1`; or, when it does not fit, lets
 * `appendV2Record` drop it (sets `FULL`, counts it in `dropped_records`).
 *
 * @returns the record's layout, or `undefined` when it was dropped (the handle is not bound)
 */
function appendBound(file: V2StatsBytes, plan: V2RecordPlan, handle: RecordHandle, how: BindHow): V2RecordLayout | undefined {
  const h = V2_HEADER_OFFSETS;
  const offset = Atomics.load(file.i32, h.used >> 2) >>> 0;
  const capacity = Atomics.load(file.i32, h.capacity >> 2) >>> 0;
  if (offset + plan.size > capacity) {
    appendV2Record(file, plan);
    return undefined;
  }
  const layout = writeV2Record(file, offset, plan);
  handle[bindV2](file, layout.valueOffset, layout, how);
  publishV2Record(file, offset, plan);
  return layout;
}

function randomFileId(): bigint {
  const id = new BigUint64Array(1);
  while (id[0] === 0n) randomFillSync(id);
  return id[0]!;
}

/**
 * Creates a v2 file for `entries` (spec/format-v2.md#lifecycle): a temporary file in the
 * target directory, zero-filled to `capacity`; the header (flags 0); the records, each
 * written whole and then published; the first heartbeat; `READY`; then the rename to its
 * final name, so readers never see the file half made.
 *
 * @throws MmstatsError INVALID_FIELD for the fields or options; file errors unless `degrade` is set
 */
export function openEntriesV2(given: readonly V2Entry[], options: OpenV2Options): StatsFileV2 {
  const hooks = options.internal ?? {};
  const tid = osThreadId();
  const values = templateValues(options.name, tid);
  const filename = filenameTemplate(options.filename);
  const { path, error: noDirectory } = statsLocation(options.path, filename, values);
  const who = {
    pid: hooks.pid ?? process.pid,
    processStart: hooks.processStart ?? Date.now() / 1000 - process.uptime(),
    pidNs: hooks.pidNs ?? ownPidNamespace(),
    bootId: hooks.bootId ?? ownBootId(),
  };
  const slot = options.slot === true && noDirectory === undefined ? claimSlot(path, values.name, { ...who, tid }, options) : undefined;
  try {
    const entries = [...given, ...(options.name === undefined ? [] : [serviceEntry(options.name)]), ...(slot === undefined ? [] : [workerEntry(slot.index)])];
    const keys = new Set<string>();
    const plans = entries.map(({ handle, spec }) => planEntry(handle, spec, keys));
    const needed = plans.reduce((n, plan) => n + plan.size, V2_HEADER_SIZE);
    const asked = checkedInteger('capacity', options.capacity ?? DEFAULT_CAPACITY, 1, 0xffff_f000);
    const capacity = pageRounded(Math.max(asked, needed));
    if (capacity > 0xffff_f000) throw new MmstatsError('INVALID_FIELD', `the fields need ${needed} bytes, more than a v2 file can hold`);
    const heartbeatMs = checkedInteger('heartbeatMs', options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, 0, 0xffff_ffff);
    const cardinalityLimit = checkedInteger('cardinalityLimit', options.cardinalityLimit ?? DEFAULT_CARDINALITY_LIMIT, 1, 0x7fff_ffff);
    const clock = hooks.clock ?? (() => Date.now() / 1000);

    let mapped: MappedV2File | undefined;
    try {
      if (noDirectory !== undefined) throw noDirectory;
      mapped = createV2TempFile(path, capacity, { mode: options.mode ?? 0o644 });
    } catch (error) {
      degradeOrThrow(error, options);
    }
    let file = mapped?.target ?? statsBytesV2(new Uint8Array(capacity));
    const created = clock();
    writeV2Header(file.bytes, { capacity, fileId: hooks.fileId ?? randomFileId(), tid: hooks.tid ?? tid, ...who, created, heartbeatIntervalMs: heartbeatMs });
    // Every record fits: the capacity was sized for them.
    const placed = entries.map(({ handle, how }, i) => ({ handle, layout: appendBound(file, plans[i]!, handle, how)! }));
    if (heartbeatMs > 0) setV2Heartbeat(file, created);
    setV2Ready(file);

    if (mapped !== undefined) {
      try {
        commitV2File(mapped, path);
      } catch (error) {
        mapped = undefined;
        degradeOrThrow(error, options);
        // Degraded after the handles were bound to the mapping: move them to a heap copy.
        file = statsBytesV2(new Uint8Array(file.bytes));
        for (const { handle, layout } of placed) handle[bindV2](file, layout.valueOffset, undefined, 'moved');
      }
    }
    const stats = new StatsFileV2(path, file, mapped, placed, keys, options.labelPrefix ?? '', clock, siblingMatcher(filename, values), tid, cardinalityLimit, slot);
    if (mapped !== undefined) {
      if (heartbeatMs > 0 && hooks.heartbeatTimer !== false) stats[startHeartbeat](heartbeatMs);
      if (options.removeOnExit === true) removeAtExit(stats);
    }
    return stats;
  } catch (error) {
    // A claim whose file was never made would hold the slot for as long as this process lives.
    slot?.release();
    throw error;
  }
}
