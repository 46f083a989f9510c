// The bytes of hand-made v2 files, spelled out from the tables of spec/format-v2.md and on
// purpose without @mmstats/format (a fixture made by the code it tests proves nothing): used
// by make-handmade-v2-fixtures.mjs and make-derived-fixtures.mjs.

export const u16 = (n) => [n & 0xff, (n >> 8) & 0xff];
export const u32 = (n) => [...Buffer.from(new Uint32Array([n >>> 0]).buffer)];
export const i32 = (n) => [...Buffer.from(new Int32Array([n]).buffer)];
export const u64 = (n) => [...Buffer.from(new BigUint64Array([BigInt(n)]).buffer)];
export const f64 = (x) => [...Buffer.from(new Float64Array([x]).buffer)];
export const utf8 = (s) => (typeof s === 'string' ? [...Buffer.from(s, 'utf8')] : s);
export const align8 = (n) => Math.ceil(n / 8) * 8;
export const pad = (bytes, size) => [...bytes, ...new Array(Math.max(0, size - bytes.length)).fill(0)];

// Codes from the tables of spec/format-v2.md.
export const KIND = { counter: 1, gauge: 2, text: 3, histogram: 4, timer: 5, average: 6, window: 7, info: 8 };
export const ENC = { f64: 1, i64: 2, u64: 3, text: 4, average: 5, histogram: 6, window: 7, exphistogram: 8 };
export const MERGE = { none: 0, sum: 1, min: 2, max: 3, avg: 4, last: 5 };
export const READY = 1;
export const UNKNOWN_BOOT_ID = '00000000-0000-0000-0000-000000000000';
// A boot id as /proc/sys/kernel/random/boot_id prints it, and its 16 bytes in that order.
export const BOOT_ID = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
export const BOOT_ID_BYTES = [0x6f, 0x1c, 0x2a, 0x9e, 0x3b, 0x4d, 0x4e, 0x5f, 0x8a, 0x7b, 0x9c, 0x0d, 0x1e, 0x2f, 0x3a, 0x4b];
export const PID_NS = 4026532512n;

/**
 * The value area of an `exphistogram` with `n` slots per sign (spec/format-v2.md#enc-exphistogram):
 * `positive` / `negative` map bucket index to count, placed at slot `index - offset`; `seq`
 * defaults to 2 (settled).
 */
export function expHistogramBytes(h) {
  const slots = (side, offset) => {
    const counts = new Array(h.n).fill(0);
    for (const [index, count] of Object.entries(side ?? {})) counts[Number(index) - offset] = count;
    return counts.flatMap(f64);
  };
  return [
    ...u32(h.seq ?? 2), ...u32(0), ...f64(h.count), ...f64(h.sum), ...f64(h.min), ...f64(h.max),
    ...f64(h.zeroThreshold ?? 0), ...f64(h.zeroCount ?? 0), ...i32(h.scale), ...u32(0),
    ...i32(h.positiveOffset ?? 0), ...i32(h.negativeOffset ?? 0),
    ...slots(h.positive, h.positiveOffset ?? 0), ...slots(h.negative, h.negativeOffset ?? 0),
  ];
}

/** dims as `u16 key_len | key | u16 value_len | value` pairs (spec/format-v2.md#dims). */
export const dimsBytes = (pairs) => pairs.flatMap(([k, v]) => [...u16(utf8(k).length), ...utf8(k), ...u16(utf8(v).length), ...utf8(v)]);

/**
 * One record (spec/format-v2.md#record). `value` is the value area's bytes; every computed
 * field can be overridden to make a broken record.
 */
export function record(o) {
  const label = utf8(o.label ?? 'x');
  const unit = utf8(o.unit ?? '');
  const help = utf8(o.help ?? '');
  const dims = o.dimsRaw ?? dimsBytes(o.dims ?? []);
  const names = [...label, ...unit, ...help, ...dims];
  const value = o.value ?? [];
  const valueOffset = o.valueOffset ?? align8(48 + names.length);
  const valueSize = o.valueSize ?? value.length;
  const size = o.size ?? align8(valueOffset + value.length);
  const fixed = [
    ...u32(o.state ?? 1), ...u32(size), ...u16(o.kind ?? KIND.gauge), o.encoding ?? ENC.f64, o.merge ?? MERGE.sum,
    ...u32(valueOffset), ...u32(valueSize),
    ...u16(o.labelLen ?? label.length), ...u16(unit.length), ...u16(help.length), ...u16(o.dimsLen ?? dims.length),
    ...u32(o.params?.[0] ?? 0), ...i32(o.params?.[1] ?? 0), ...u32(o.params?.[2] ?? 0), ...(o.reserved ?? new Array(8).fill(0)),
  ];
  const body = pad([...fixed, ...names], valueOffset);
  // `bytes` may be shorter than `size` only when a test lies about the size.
  return { bytes: pad([...body.slice(0, valueOffset), ...value], Math.max(size, 48)), size, valueOffset, valueSize, o };
}

/**
 * A file (spec/format-v2.md#header): the header, then the records one after another from
 * `header_size`, zero-filled to `length` (default `capacity`, default 4096). `used` and
 * `record_count` count the records whose state is 1, as a writer leaves them.
 */
export function file(records, h = {}) {
  const headerSize = h.headerSize ?? 128;
  const capacity = h.capacity ?? 4096;
  const offsets = [];
  let at = headerSize;
  let used = headerSize;
  let count = 0;
  const body = [];
  for (const r of records) {
    offsets.push(at);
    body.push(...r.bytes);
    at += r.bytes.length;
    if ((r.o.state ?? 1) === 1) {
      used = at;
      count++;
    }
  }
  const header = [
    h.version ?? 0x02, ...utf8(h.magic ?? 'mmstats'), h.byteOrder ?? 1, h.minor ?? 0, ...u16(headerSize),
    ...u32(h.flags ?? READY), ...u32(capacity), ...u32(h.used ?? used), ...u32(h.recordCount ?? count), ...u32(h.dropped ?? 0),
    ...u64(h.fileId ?? 0x0123456789abcdefn), ...u32(h.pid ?? 4242), ...u32(h.heartbeatMs ?? 0), ...u64(h.tid ?? 4243),
    ...f64(h.processStart ?? 1700000000.5), ...f64(h.created ?? 1700000001.25), ...f64(h.heartbeat ?? 0),
    // Minor 1: pid_ns (u64 at 80), boot_id (16 raw bytes at 88); reserved (zero) in minor 0.
    ...u64(h.pidNs ?? 0), ...(h.bootId ?? new Array(16).fill(0)),
  ];
  const bytes = new Uint8Array(h.length ?? capacity);
  bytes.set(pad([...pad(header, 128), ...(h.extraHeader ?? [])], headerSize).slice(0, bytes.length));
  if (headerSize < bytes.length) bytes.set(body.slice(0, bytes.length - headerSize), headerSize);
  return { bytes, offsets, header: { headerSize, capacity, used, count } };
}
