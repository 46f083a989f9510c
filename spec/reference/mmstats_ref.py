"""Independent reference reader of the mmstats file formats (v1 and v2).

Written from the specification text only (spec/format-v1.md, spec/format-v2.md,
spec/errors.md, spec/expected-json.md), with the Python 3 standard library and
nothing else. It exists to show that the text is enough to implement a reader: it
shares no code with the TypeScript packages.

Entry points:

- ``decode(data)``: decode the bytes of a stats file (v1 or v2, chosen by byte 0) to
  the JSON form of spec/expected-json.md; raises ``MmstatsError`` with an
  ``MMSTATS-Ennn`` code on a bad file.
- ``decode_file(path)``: the same for a path (access errors ``E101``-``E103``).
- ``hist_quantile``, ``hist_bucket_index``, ``hist_bucket_bounds``: histogram
  buckets and percentile estimation (format-v2.md#enc-histogram).
- ``window_stats``: rate and mean of a window value at a given time
  (format-v2.md#enc-window).
- ``read_seqlocked``: the seqlock read rule with bounded retries (format-v2.md#seqlock).
- ``merge``: combine the records of several decoded v2 files (format-v2.md#merge).
"""

import math
import re
import os
import struct
import time

# --------------------------------------------------------------------------------------
# Errors and notices (spec/errors.md)
# --------------------------------------------------------------------------------------

ERROR_NAMES = {
    "MMSTATS-E001": "EMPTY_FILE",
    "MMSTATS-E002": "UNSUPPORTED_VERSION",
    "MMSTATS-E003": "TRUNCATED_RECORD",
    "MMSTATS-E004": "SIZE_PAST_END",
    "MMSTATS-E005": "UNKNOWN_TYPE",
    "MMSTATS-E006": "MALFORMED_TYPE",
    "MMSTATS-E007": "INVALID_UTF8",
    "MMSTATS-E008": "BAD_WRITE_BUFFER",
    "MMSTATS-E009": "BAD_SIGNATURE",
    "MMSTATS-E010": "UNSUPPORTED_BYTE_ORDER",
    "MMSTATS-E011": "NOT_READY",
    "MMSTATS-E012": "BAD_HEADER",
    "MMSTATS-E013": "BAD_RECORD",
    "MMSTATS-E014": "VALUE_UNSTABLE",
    "MMSTATS-E101": "NOT_FOUND",
    "MMSTATS-E102": "NOT_A_FILE",
    "MMSTATS-E103": "READ_FAILED",
    "MMSTATS-W001": "SKIPPED_ENCODING",
    "MMSTATS-W002": "UNKNOWN_KIND",
}


class MmstatsError(Exception):
    """A coded error: ``code`` (``MMSTATS-Ennn``), ``detail`` and, for errors found in
    the bytes, ``offset``. ``str()`` gives the one-line report of errors.md#reporting
    (without the path)."""

    def __init__(self, code, detail, offset=None):
        self.code = code
        self.detail = detail
        self.offset = offset
        text = f"{code} {detail}"
        if offset is not None:
            text += f" at byte {offset}"
        super().__init__(text)


def _fail(code, detail, offset=None):
    """Raise ``MmstatsError(code, detail, offset)``."""
    raise MmstatsError(code, detail, offset)


# --------------------------------------------------------------------------------------
# Little-endian reads and the JSON form of values (spec/expected-json.md#values)
# --------------------------------------------------------------------------------------

MAX_SAFE = 2**53 - 1


def u16(b, off):
    """The little-endian u16 at ``off``."""
    return b[off] | (b[off + 1] << 8)


def u32(b, off):
    """The little-endian u32 at ``off``."""
    return struct.unpack_from("<I", b, off)[0]


def i32(b, off):
    """The little-endian i32 at ``off``."""
    return struct.unpack_from("<i", b, off)[0]


def u64(b, off):
    """The little-endian u64 at ``off``."""
    return struct.unpack_from("<Q", b, off)[0]


def i64(b, off):
    """The little-endian i64 at ``off``."""
    return struct.unpack_from("<q", b, off)[0]


def f64(b, off):
    """The little-endian IEEE 754 binary64 at ``off``."""
    return struct.unpack_from("<d", b, off)[0]


def json_int(v):
    """A 64-bit integer in JSON form: a number within +-(2^53-1), else a decimal string."""
    return v if -MAX_SAFE <= v <= MAX_SAFE else str(v)


def json_float(v):
    """A float in JSON form: a number, or "NaN" / "Infinity" / "-Infinity".
    Negative zero becomes 0 (as JSON.stringify writes it)."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0:
        return 0
    return v


def lenient_utf8(b):
    """Decode string *values*: invalid sequences become U+FFFD, one per maximal
    ill-formed subpart (Python's decoder follows Unicode 3.9 / WHATWG here)."""
    return bytes(b).decode("utf-8", "replace")


def strict_utf8(b, offset, what="label"):
    """Decode names (labels, units, help, dimensions): invalid UTF-8 is E007."""
    try:
        return bytes(b).decode("utf-8", "strict")
    except UnicodeDecodeError:
        _fail("MMSTATS-E007", f"{what} is not valid UTF-8", offset)


# --------------------------------------------------------------------------------------
# Format v1 (spec/format-v1.md)
# --------------------------------------------------------------------------------------

# code -> (struct format, size); format-v1.md#type-table
V1_SCALARS = {
    "b": ("<b", 1), "B": ("<B", 1), "?": ("<B", 1),
    "h": ("<h", 2), "H": ("<H", 2),
    "i": ("<i", 4), "I": ("<I", 4),
    "l": ("<q", 8), "L": ("<Q", 8), "q": ("<q", 8), "Q": ("<Q", 8),
    "f": ("<f", 4), "d": ("<d", 8),
}
_DIGITS = frozenset("0123456789")


def v1_signature_size(sig_bytes, offset):
    """Size of one value of the type signature ``sig_bytes``, or raise E005/E006
    by the five rules of format-v1.md#type-signatures (each byte is one character)."""
    sig = "".join(chr(c) for c in sig_bytes)  # latin-1 view: one byte, one character
    if len(sig) == 1 and sig in V1_SCALARS:
        return V1_SCALARS[sig][1]
    if sig == "s":
        return 1
    if len(sig) >= 2 and sig[-1] == "s" and all(c in _DIGITS for c in sig[:-1]):
        return int(sig[:-1])
    shown = repr(bytes(sig_bytes))
    if len(sig) == 0:
        _fail("MMSTATS-E006", "empty type signature", offset)  # rule 1
    if len(sig) == 1 and sig not in _DIGITS:
        _fail("MMSTATS-E005", f"unknown type code {shown}", offset)  # rule 2
    head, last = sig[:-1], sig[-1]
    if len(sig) >= 2 and all(c in _DIGITS for c in head):
        if last in V1_SCALARS:
            _fail("MMSTATS-E006", f"count on a scalar code in {shown}", offset)  # rule 3
        if last not in _DIGITS:
            _fail("MMSTATS-E005", f"unknown type code in {shown}", offset)  # rule 4
    _fail("MMSTATS-E006", f"malformed type signature {shown}", offset)  # rule 5


def v1_value(sig, raw):
    """Decode the value bytes ``raw`` of type ``sig`` (a str) to its JSON form."""
    if sig in V1_SCALARS:
        fmt, _ = V1_SCALARS[sig]
        v = struct.unpack(fmt, raw)[0]
        if sig == "?":
            return v != 0
        if sig in "fd":
            return json_float(v)
        return json_int(v)
    nul = raw.find(b"\x00")
    return lenient_utf8(raw if nul < 0 else raw[:nul])


def decode_v1(data):
    """Decode a v1 file by the algorithm of format-v1.md#decoding.

    Returns ``{"version": 1, "file_size": n, "fields": [...]}`` with each field as
    ``{offset, label, type, write_buffer, value_offset, size, value}``."""
    b = bytes(data)
    n = len(b)
    if n == 0:
        _fail("MMSTATS-E001", "empty file")  # no bytes, so no offset (errors.md)
    if b[0] != 0x01:
        _fail("MMSTATS-E002", f"unsupported version byte 0x{b[0]:02x}", 0)
    fields = []
    p = 1
    while True:
        left = n - p
        if left == 0:
            break
        if left == 1:
            if b[p] == 0:
                break
            _fail("MMSTATS-E003", "label_sz cut off by the end of the file", p)
        L = u16(b, p)
        if L == 0:
            break
        if p + 2 + L > n:
            _fail("MMSTATS-E004", f"label_sz {L} goes past the end of the file", p)
        label = strict_utf8(b[p + 2:p + 2 + L], p + 2)
        t = p + 2 + L
        if t + 2 > n:
            _fail("MMSTATS-E003", "type_sz cut off by the end of the file", t)
        T = u16(b, t)
        if t + 2 + T > n:
            _fail("MMSTATS-E004", f"type_sz {T} goes past the end of the file", t)
        sig_bytes = b[t + 2:t + 2 + T]
        size = v1_signature_size(sig_bytes, t + 2)
        sig = sig_bytes.decode("ascii")  # valid signatures are ASCII
        w = t + 2 + T
        if w >= n:
            _fail("MMSTATS-E003", "write_buffer cut off by the end of the file", w)
        wb = b[w]
        if wb not in (0x00, 0x01, 0xFF):
            _fail("MMSTATS-E008", f"write_buffer 0x{wb:02x}", w)
        v = w + 1
        k = size if wb == 0xFF else 2 * size
        if v + k > n:
            _fail("MMSTATS-E003", "value cut off by the end of the file", v)
        at = v + size if wb == 0x00 else v  # format-v1.md#buffering
        fields.append({
            "offset": p, "label": label, "type": sig, "write_buffer": wb,
            "value_offset": v, "size": v + k - p,
            "value": v1_value(sig, b[at:at + size]),
        })
        p = v + k
    return {"version": 1, "file_size": n, "fields": fields}


# --------------------------------------------------------------------------------------
# Format v2 (spec/format-v2.md)
# --------------------------------------------------------------------------------------

V2_MAGIC = b"mmstats"
V2_MIN_HEADER = 128
V2_RECORD_MIN = 48
FLAG_READY, FLAG_FULL, FLAG_CLOSED, FLAG_ARCHIVE = 1, 2, 4, 8

KINDS = {1: "counter", 2: "gauge", 3: "text", 4: "histogram", 5: "timer",
         6: "average", 7: "window", 8: "info"}
ENCODINGS = {1: "f64", 2: "i64", 3: "u64", 4: "text", 5: "average",
             6: "histogram", 7: "window"}
MERGES = {0: "none", 1: "sum", 2: "min", 3: "max", 4: "avg", 5: "last"}
# kind -> encodings allowed (format-v2.md#kinds)
KIND_ENCODINGS = {1: {1, 3}, 2: {1, 2, 3}, 3: {4}, 4: {6}, 5: {6}, 6: {5}, 7: {7},
                  8: {1, 2, 3, 4}}

SEQLOCK_TRIES = 1000


def _pause():
    """Yield the processor between seqlock tries."""
    if hasattr(os, "sched_yield"):
        os.sched_yield()
    else:  # pragma: no cover
        time.sleep(0)


STUCK_SECONDS = 0.010  # format-v2.md#seqlock: odd and unchanged this long before "stuck"


def read_seqlocked(buf, off, size, check=None, tries=SEQLOCK_TRIES, pause=_pause,
                   stuck_seconds=STUCK_SECONDS):
    """Copy the composite value area ``buf[off:off+size]`` consistently
    (format-v2.md#seqlock, reader steps 1-4), or raise E014 after ``tries`` attempts.

    ``buf`` is anything that slices to bytes (``bytes``, ``mmap``, a test double);
    every slice is a fresh load. ``check(copy)`` may reject a copy as impossible (a
    text ``len > capacity``): while ``seq`` moves that is a torn copy and is retried;
    under an even, unchanged ``seq`` it is bad bytes, E013 for that record
    (format-v2.md#enc-text). The returned copy starts with the ``seq`` word.

    A ``seq`` odd and unchanged through every try is watched ``stuck_seconds`` more: if it
    moves, the writer was only paused mid-write and the tries start again (once)."""
    copy, seqs = _try_copies(buf, off, size, check, tries, pause)
    if copy is not None:
        return copy
    stuck = len(set(seqs)) == 1 and seqs[0] & 1
    if stuck and (stuck_seconds <= 0 or _stays(buf, off, seqs[0], stuck_seconds)):
        _fail("MMSTATS-E014", f"value never settled after {tries} tries "
              "(seq odd and unchanged: a writer stopped mid-write)", off)
    if not stuck:
        _fail("MMSTATS-E014", f"value never settled after {tries} tries (seq still changing)", off)
    copy, _ = _try_copies(buf, off, size, check, tries, pause)
    if copy is not None:
        return copy
    _fail("MMSTATS-E014", f"value never settled after {2 * tries} tries", off)


def _stays(buf, off, seq, seconds):
    """True when ``seq`` is still the sequence word after ``seconds`` of watching."""
    until = time.monotonic() + seconds
    while True:
        if u32(bytes(buf[off:off + 4]), 0) != seq:
            return False
        if time.monotonic() >= until:
            return True


def _try_copies(buf, off, size, check, tries, pause):
    """Up to ``tries`` attempts at a consistent copy: ``(copy, [])``, or ``(None, seqs)``
    with every sequence word seen."""
    seqs = []
    for _ in range(tries):
        s1 = u32(bytes(buf[off:off + 4]), 0)
        seqs.append(s1)
        if s1 & 1:
            pause()
            continue
        copy = bytes(buf[off:off + size])
        s2 = u32(bytes(buf[off:off + 4]), 0)
        if s2 != s1:
            seqs.append(s2)
            pause()
            continue
        if check is not None and not check(copy):
            _fail("MMSTATS-E013", "value contents invalid under a stable sequence word", off)
        return copy, []
    return None, seqs


# ---- histogram (format-v2.md#enc-histogram) -------------------------------------------

def hist_bucket_count(k, min_exp, max_exp):
    """n = (max_exp - min_exp) * 2^k + 2 buckets."""
    return (max_exp - min_exp) * (1 << k) + 2


def hist_bucket_bounds(i, k, min_exp, max_exp):
    """``(low, high)`` of bucket ``i``: values v with low <= v < high. The underflow
    bucket is ``(-inf, 2^min_exp)``, the overflow bucket ``(2^max_exp, inf)`` (it
    includes +inf itself)."""
    n = hist_bucket_count(k, min_exp, max_exp)
    if i == 0:
        return (-math.inf, math.ldexp(1.0, min_exp))
    if i == n - 1:
        return (math.ldexp(1.0, max_exp), math.inf)
    j = i - 1
    e = min_exp + (j >> k)
    m = j & ((1 << k) - 1)
    low = math.ldexp(1.0 + m / (1 << k), e)
    high = math.ldexp(1.0 + (m + 1) / (1 << k), e)
    return (low, high)


def hist_bucket_index(v, k, min_exp, max_exp):
    """The bucket of value ``v`` from its binary64 bits (what a writer does), or None
    for NaN, which is not recorded."""
    if math.isnan(v):
        return None
    n = hist_bucket_count(k, min_exp, max_exp)
    if v < math.ldexp(1.0, min_exp):
        return 0
    if v >= math.ldexp(1.0, max_exp):
        return n - 1
    bits = struct.unpack("<Q", struct.pack("<d", v))[0]
    e = ((bits >> 52) & 0x7FF) - 1023
    m = (bits >> (52 - k)) & ((1 << k) - 1) if k else 0
    return 1 + (e - min_exp) * (1 << k) + m


def hist_midpoint(i, k, min_exp, max_exp):
    """Midpoint 2^e * (1 + (m + 1/2) / 2^k) of an inner bucket ``i``."""
    j = i - 1
    e = min_exp + (j >> k)
    m = j & ((1 << k) - 1)
    return math.ldexp(1.0 + (m + 0.5) / (1 << k), e)


def hist_rank(q, count):
    """The rank r = ceil(q * count), with the product computed in binary64 as the text
    writes it (so that readers in every language agree). Note: ceil(0.07 * 100) is 8
    this way (0.07 * 100 = 7.000000000000001); the exact product of the binary64
    values would give ceil(0.01 * 100) = 2 instead. At least 1."""
    return max(1, math.ceil(q * count))


def hist_quantile(h, q, k, min_exp, max_exp):
    """Estimate the ``q``-quantile (0 < q <= 1) of histogram value ``h`` (the JSON form
    of a decoded histogram: ``count``, ``min``, ``max`` and sparse ``buckets``) as
    format-v2.md#enc-histogram says; None when ``count`` is 0."""
    if not 0 < q <= 1:
        raise ValueError("q must be in (0, 1]")
    count = _num(h["count"])
    if not count:
        return None
    r = hist_rank(q, count)
    n = hist_bucket_count(k, min_exp, max_exp)
    total = 0
    i = n - 1  # if the counts never reach r (they disagree with count), take the last
    for idx in sorted(int(b) for b in h["buckets"]):
        total += _num(h["buckets"][str(idx)])
        if total >= r:
            i = idx
            break
    lo, hi = _num(h["min"]), _num(h["max"])
    if i == 0:
        return lo
    if i == n - 1:
        return hi
    return min(max(hist_midpoint(i, k, min_exp, max_exp), lo), hi)


def hist_params(rec):
    """``(k, min_exp, max_exp)`` of a decoded histogram record; ``max_exp`` is param2
    read as i32 (the JSON ``params`` keeps param2 unsigned)."""
    k, min_exp, p2 = rec["params"]
    return k, min_exp, p2 - (1 << 32) if p2 >= 1 << 31 else p2


def hist_error_bound(k):
    """The stated relative error of a percentile estimate: 2^-(k+1)."""
    return math.ldexp(1.0, -(k + 1))


# ---- window (format-v2.md#enc-window) -------------------------------------------------

def window_interval(start, width_ms):
    """The interval number a slot counts, round(start * 1000 / w): how slots are told
    apart (format-v2.md#enc-window; stored starts are never compared directly)."""
    return round(start * 1000 / width_ms)


def window_stats(slots, n_slots, width_ms, now):
    """Rate and mean of a window value at time ``now`` (Unix seconds).

    ``slots`` is a list of ``{"start", "count", "sum"}`` (start 0: never used, skipped).
    With ``s = floor(now * 1000 / w)``, only the slots whose interval number lies in
    ``s - N + 1 .. s`` count: older ones are stale, later ones (a clock that went back)
    are ignored. ``elapsed = (N - 1) * w / 1000 + (now - s * w / 1000)``; ``rate`` is 0
    when ``elapsed`` is 0. Returns ``{"count", "sum", "elapsed", "rate", "mean"}``;
    ``mean`` is None without values."""
    current = math.floor(now * 1000 / width_ms)
    count = 0.0
    total = 0.0
    for s in slots:
        if not s["start"]:
            continue
        interval = window_interval(s["start"], width_ms)
        if current - n_slots + 1 <= interval <= current:
            count += s["count"]
            total += s["sum"]
    elapsed = (n_slots - 1) * width_ms / 1000 + (now - current * width_ms / 1000)
    return {
        "count": count,
        "sum": total,
        "elapsed": elapsed,
        "rate": count / elapsed if elapsed > 0 else 0.0,
        "mean": total / count if count else None,
    }


def window_add(slots, n_slots, width_ms, t, v):
    """What a writer does to add ``v`` at time ``t`` (for tests): pick and maybe reset
    the slot, then add to ``count`` and ``sum``."""
    s = math.floor(t * 1000 / width_ms)
    i = s % n_slots
    start = s * width_ms / 1000
    if slots[i]["start"] != start:
        slots[i] = {"start": start, "count": 0.0, "sum": 0.0}
    slots[i]["count"] += 1
    slots[i]["sum"] += v


# ---- v2 header -----------------------------------------------------------------------

def decode_v2_header(b, n):
    """Check and decode the v2 header of ``b`` (``n`` bytes, byte 0 is 0x02); returns
    a dict. The checks follow format-v2.md#decoding steps 2-7: length, signature, byte
    order, READY, header_size / capacity / file_id, capacity vs file length."""
    if n < V2_MIN_HEADER:
        _fail("MMSTATS-E003", f"file of {n} bytes is shorter than the 128-byte header", 0)
    if b[1:8] != V2_MAGIC:
        first = next(i for i in range(1, 8) if b[i] != V2_MAGIC[i - 1])
        _fail("MMSTATS-E009", "byte 0 is 0x02 but bytes 1-7 are not 'mmstats'", first)
    if b[8] != 0x01:
        _fail("MMSTATS-E010", f"byte_order 0x{b[8]:02x}", 8)
    header_size = u16(b, 10)
    flags = u32(b, 12)
    capacity = u32(b, 16)
    file_id = u64(b, 32)
    if not flags & FLAG_READY:
        _fail("MMSTATS-E011", "READY flag not set", 12)
    if header_size < V2_MIN_HEADER or header_size % 8:
        _fail("MMSTATS-E012", f"header_size {header_size}", 10)
    if capacity % 8 or capacity < header_size:
        _fail("MMSTATS-E012", f"capacity {capacity}", 16)
    if file_id == 0:
        _fail("MMSTATS-E012", "file_id 0", 32)
    if capacity > n:
        _fail("MMSTATS-E003", f"capacity {capacity} is past the end of the file ({n} bytes)", 16)
    return {
        "version": 2,
        "minor": b[9],
        "header_size": header_size,
        "flags": {"ready": bool(flags & FLAG_READY), "full": bool(flags & FLAG_FULL),
                  "closed": bool(flags & FLAG_CLOSED)},
        "capacity": capacity,
        "used": u32(b, 20),
        "record_count": u32(b, 24),
        "dropped_records": u32(b, 28),
        "file_id": str(file_id),  # always a decimal string (expected-json.md#v2-fixture-json)
        "pid": u32(b, 40),
        "heartbeat_interval_ms": u32(b, 44),
        "tid": json_int(u64(b, 48)),
        "process_start": json_float(f64(b, 56)),
        "created": json_float(f64(b, 64)),
        "heartbeat": json_float(f64(b, 72)),
        # Minor 1 (format-v2.md#header): bytes 80-103; reserved, so unknown, in minor 0.
        "pid_ns": str(u64(b, 80)) if b[9] >= 1 else "0",
        "boot_id": boot_id_text(b[88:104] if b[9] >= 1 else bytes(16)),
    }


def boot_id_text(raw):
    """The 16 raw bytes of ``boot_id`` as /proc/sys/kernel/random/boot_id prints them:
    8-4-4-4-12 lowercase hex digits (all zero = unknown)."""
    h = bytes(raw).hex()
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


# ---- v2 records ----------------------------------------------------------------------

def decode_dims(b, off, length):
    """Decode ``length`` bytes of dimensions at ``off``: ``u16 key_len | key | u16
    value_len | value`` pairs. Pair by pair (format-v2.md#decoding step 8): key length
    (E013), key UTF-8 (E007), value length (E013), value UTF-8 (E007), then an empty or
    repeated key (E013). Returns a dict, in file order."""
    end = off + length
    p = off
    pairs = {}
    while p < end:
        if p + 2 > end:
            _fail("MMSTATS-E013", "dimension key length cut off", p)
        at = p
        kl = u16(b, p)
        if p + 2 + kl > end:
            _fail("MMSTATS-E013", "dimension key past dims_len", p)
        key = strict_utf8(b[p + 2:p + 2 + kl], p + 2, "dimension key")
        p += 2 + kl
        if p + 2 > end:
            _fail("MMSTATS-E013", "dimension value length cut off", p)
        vl = u16(b, p)
        if p + 2 + vl > end:
            _fail("MMSTATS-E013", "dimension value past dims_len", p)
        val = strict_utf8(b[p + 2:p + 2 + vl], p + 2, "dimension value")
        p += 2 + vl
        if kl == 0:
            _fail("MMSTATS-E013", "empty dimension key", at)
        if key in pairs:
            _fail("MMSTATS-E013", f"dimension key {key!r} repeated", at)
        pairs[key] = val
    return pairs


def hist_params_ok(k, min_exp, max_exp):
    """Whether histogram parameters are in range: 0 <= k <= 8,
    -1022 <= min_exp < max_exp <= 1023."""
    return 0 <= k <= 8 and -1022 <= min_exp < max_exp <= 1023


def expected_value_size(enc, p0, p1, p2):
    """The value_size an encoding and its parameters require, or None when the
    parameters are out of range (E013)."""
    if enc in (1, 2, 3):
        return 8
    if enc == 4:
        return 8 + -(-p0 // 8) * 8
    if enc == 5:
        return 24
    if enc == 6:
        if not hist_params_ok(p0, p1, p2):
            return None
        return 40 + 8 * hist_bucket_count(p0, p1, p2)
    if enc == 7:
        if not (1 <= p0 <= 3600 and p2 >= 1):
            return None
        return 8 + 24 * p0
    return None


def decode_value(buf, enc, off, size, p0, p1, p2, tries=SEQLOCK_TRIES, pause=_pause):
    """Read and decode a value area of encoding ``enc`` at ``off`` to its JSON form.
    Composite encodings are read with ``read_seqlocked``; may raise E014."""
    if enc == 1:
        return json_float(f64(bytes(buf[off:off + 8]), 0))
    if enc == 2:
        return json_int(i64(bytes(buf[off:off + 8]), 0))
    if enc == 3:
        return json_int(u64(bytes(buf[off:off + 8]), 0))
    if enc == 4:
        c = read_seqlocked(buf, off, size, lambda c: u32(c, 4) <= p0, tries, pause)
        return lenient_utf8(c[8:8 + u32(c, 4)])
    c = read_seqlocked(buf, off, size, None, tries, pause)
    if enc == 5:
        return {"sum": json_float(f64(c, 8)), "count": json_float(f64(c, 16))}
    if enc == 6:
        nb = hist_bucket_count(p0, p1, p2)
        counts = (f64(c, 40 + 8 * i) for i in range(nb))
        return {
            "count": json_float(f64(c, 8)),
            "sum": json_float(f64(c, 16)),
            "min": json_float(f64(c, 24)),
            "max": json_float(f64(c, 32)),
            # sparse: bucket index (decimal string) -> count, non-zero buckets only
            "buckets": {str(i): json_float(x) for i, x in enumerate(counts) if x != 0},
        }
    if enc == 7:
        slots = []
        for i in range(p0):
            start, cnt, total = struct.unpack_from("<3d", c, 8 + 24 * i)
            if start != 0:  # never-used slots (start 0) are left out
                slots.append({"slot": i, "start": json_float(start),
                              "count": json_float(cnt), "sum": json_float(total)})
        return {"slot_ms": p2, "slots": slots}
    raise AssertionError(enc)


def decode_record(b, buf, r, capacity, notices, tries=SEQLOCK_TRIES, pause=_pause):
    """Check and decode the published record at ``r``. Returns ``(record or None,
    size)``; None when the record is skipped (unknown encoding, notice W001)."""
    size = u32(b, r + 4)
    if size < V2_RECORD_MIN or size % 8 or r + size > capacity:
        _fail("MMSTATS-E013", f"record size {size}", r + 4)
    kind = u16(b, r + 8)
    enc = b[r + 10]
    merge_rule = b[r + 11]
    value_offset = u32(b, r + 12)
    value_size = u32(b, r + 16)
    label_len, unit_len, help_len, dims_len = (u16(b, r + 20 + 2 * i) for i in range(4))
    p0, p1 = u32(b, r + 28), i32(b, r + 32)
    # param2 is u32, but i32 (max_exp) for a histogram (format-v2.md#record)
    p2 = i32(b, r + 36) if enc == 6 else u32(b, r + 36)
    names_end = V2_RECORD_MIN + label_len + unit_len + help_len + dims_len
    if label_len < 1:
        _fail("MMSTATS-E013", "label_len 0", r + 20)
    if value_offset % 8 or value_size % 8 or names_end > value_offset \
            or value_offset + value_size > size:
        _fail("MMSTATS-E013",
              f"value_offset {value_offset} / value_size {value_size} / names {names_end}"
              f" do not fit in a record of {size} bytes", r + 12)
    if enc not in ENCODINGS:
        # skipped by its size, with no further check (format-v2.md#decoding step 8)
        notices.append({"code": "MMSTATS-W001", "offset": r})
        return None, size
    want = expected_value_size(enc, p0, p1, p2)
    if want is None or want != value_size:
        _fail("MMSTATS-E013", f"value_size {value_size} for encoding {ENCODINGS[enc]}"
              f" (params {p0}, {p1}, {p2}) should be {want}", r + 16)
    p = r + V2_RECORD_MIN
    label = strict_utf8(b[p:p + label_len], p, "label")
    p += label_len
    unit = strict_utf8(b[p:p + unit_len], p, "unit")
    p += unit_len
    help_text = strict_utf8(b[p:p + help_len], p, "help")
    p += help_len
    dims = decode_dims(b, p, dims_len)
    if kind not in KINDS:
        # read by its encoding; a tool presents it as a gauge (format-v2.md#kinds)
        notices.append({"code": "MMSTATS-W002", "offset": r})
    rec = {
        "offset": r,
        "label": label,
        "kind": KINDS.get(kind, f"kind-{kind}"),
        "encoding": ENCODINGS[enc],
        # an unknown merge rule is treated as none (format-v2.md#merge); its JSON name
        # is not specified: "merge-N", like "kind-N"
        "merge": MERGES.get(merge_rule, f"merge-{merge_rule}"),
        "unit": unit, "help": help_text, "dims": dims,
        "params": [p0, p1, p2 & 0xFFFFFFFF],  # as stored: param2 unsigned in the JSON
        "value_offset": r + value_offset, "value_size": value_size, "size": size,
    }
    try:
        rec["value"] = decode_value(buf, enc, r + value_offset, value_size, p0, p1, p2,
                                    tries, pause)
    except MmstatsError as e:
        if e.code not in ("MMSTATS-E014", "MMSTATS-E013"):
            raise
        rec["error"] = e.code  # that record only; the file reads on
    return rec, size


def decode_v2(data, tries=SEQLOCK_TRIES, pause=_pause):
    """Decode a v2 file (format-v2.md): header checks, then the record walk of
    format-v2.md#publication. ``data`` may be bytes or a live ``mmap``: metadata is
    read from one snapshot, value areas from ``data`` itself with the seqlock rule.

    Returns ``{"version": 2, "file_size", "header", "records", "notices"}``."""
    b = bytes(data)
    n = len(b)
    header = decode_v2_header(b, n)
    capacity = header["capacity"]
    records, notices = [], []
    r = header["header_size"]
    while capacity - r >= V2_RECORD_MIN:
        state = u32(b, r)
        if state == 0:
            break
        if state != 1:
            _fail("MMSTATS-E013", f"record state {state}", r)
        rec, size = decode_record(b, data, r, capacity, notices, tries, pause)
        if rec is not None:
            records.append(rec)
        r += size
    return {"version": 2, "file_size": n, "header": header,
            "records": records, "notices": notices}


# --------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------

def decode(data, tries=SEQLOCK_TRIES, pause=_pause):
    """Decode a stats file of either version, chosen by byte 0:
    ``0x01`` v1, ``0x02`` v2, anything else E002 (E001 for no bytes)."""
    n = len(data)
    if n == 0:
        _fail("MMSTATS-E001", "empty file")  # no bytes, so no offset (errors.md)
    first = data[0]
    if first == 0x01:
        return decode_v1(data)
    if first == 0x02:
        return decode_v2(data, tries, pause)
    if n >= 8 and bytes(data[1:8]) == V2_MAGIC:
        _fail("MMSTATS-E002", f"file from a future major version {first}", 0)
    _fail("MMSTATS-E002", f"unsupported version byte 0x{first:02x}", 0)


def decode_file(path, tries=SEQLOCK_TRIES):
    """Read ``path`` and decode it; access problems give E101-E103."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        _fail("MMSTATS-E101", "no such file")
    except OSError as e:
        _fail("MMSTATS-E103", f"cannot stat: {e.strerror}")
    import stat as _stat
    if not _stat.S_ISREG(st.st_mode):
        _fail("MMSTATS-E102", "not a regular file")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        _fail("MMSTATS-E101", "no such file")
    except OSError as e:
        _fail("MMSTATS-E103", f"cannot read: {e.strerror}")
    return decode(data, tries)


# --------------------------------------------------------------------------------------
# Merging (format-v2.md#merge)
# --------------------------------------------------------------------------------------

def _num(v):
    """A JSON-form number back to a Python number (decimal strings, NaN, infinities)."""
    if isinstance(v, str):
        if v == "NaN":
            return math.nan
        if v == "Infinity":
            return math.inf
        if v == "-Infinity":
            return -math.inf
        return int(v)
    return v


def _identity(rec):
    """A record's identity: its label with its dimensions (order-insensitive)."""
    return (rec["label"], tuple(sorted(rec["dims"].items())))


def _file_time(f):
    """A file's time for merge ``last``: its ``heartbeat``, or ``created`` when the
    heartbeat is 0."""
    h = f["header"]
    return _num(h["heartbeat"]) or _num(h["created"]) or 0.0


def _merge_scalars(rule, values):
    """Merge scalar values by rule sum/min/max/avg."""
    if rule == "sum":
        return sum(values)
    if rule in ("min", "max"):
        # NaN is skipped (as C fmin/fmax do) unless every value is NaN; Python's min and
        # max would otherwise depend on the order of the files
        real = [v for v in values if not (isinstance(v, float) and math.isnan(v))]
        if not real:
            return math.nan
        return min(real) if rule == "min" else max(real)
    if rule == "avg":
        return sum(values) / len(values)
    raise ValueError(rule)


def _merge_composite(enc, values):
    """Merge composite values component-wise: counts, sums and buckets add; min of
    mins and max of maxes (ignoring histograms with count 0); window slots are
    combined slot by slot: the same interval number adds, the later interval wins."""
    if enc == "average":
        return {"sum": json_float(sum(_num(v["sum"]) for v in values)),
                "count": json_float(sum(_num(v["count"]) for v in values))}
    if enc == "histogram":
        live = [v for v in values if _num(v["count"])]  # min/max of empty ones mean nothing
        buckets = {}
        for v in values:
            for idx, c in v["buckets"].items():
                buckets[idx] = buckets.get(idx, 0) + _num(c)
        return {
            "count": json_float(sum(_num(v["count"]) for v in values)),
            "sum": json_float(sum(_num(v["sum"]) for v in values)),
            "min": json_float(min((_num(v["min"]) for v in live), default=0.0)),
            "max": json_float(max((_num(v["max"]) for v in live), default=0.0)),
            "buckets": {idx: json_float(buckets[idx])
                        for idx in sorted(buckets, key=int) if buckets[idx]},
        }
    if enc == "window":
        width = values[0]["slot_ms"]
        by_slot = {}
        for v in values:
            for sl in v["slots"]:
                by_slot.setdefault(sl["slot"], []).append(sl)
        slots = []
        for i in sorted(by_slot):
            col = by_slot[i]
            # by interval number: the same interval adds, the later interval wins
            newest = max(window_interval(_num(sl["start"]), width) for sl in col)
            same = [sl for sl in col if window_interval(_num(sl["start"]), width) == newest]
            slots.append({"slot": i, "start": json_float(_num(same[0]["start"])),
                          "count": json_float(sum(_num(sl["count"]) for sl in same)),
                          "sum": json_float(sum(_num(sl["sum"]) for sl in same))})
        return {"slot_ms": width, "slots": slots}
    raise ValueError(enc)


SCALAR_ENCODINGS = ("f64", "i64", "u64")


def _storage(rec):
    """What must agree for values to combine: scalar encodings all count as one."""
    if rec["encoding"] in SCALAR_ENCODINGS:
        return "scalar"
    return (rec["encoding"], tuple(rec["params"]))


def merge(files):
    """Merge decoded v2 files (results of ``decode_v2``) by the records' merge rules.

    Records are grouped by label and dimensions (order-insensitive); records whose value
    could not be read (``error``) are left out of the merge and returned on their own. A
    group whose readable records disagree on kind, merge rule, unit, or encoding and
    parameters (the scalar encodings f64, i64 and u64 combine with each other), whose rule
    is ``none`` or unknown, or a ``text`` group with a rule other than ``last``, is not
    merged: each record is returned on its own (``"merged": False``). Returns a list of
    ``{label, dims, kind, unit, encoding, merge, params, files, merged, value}``;
    ``files`` lists the indexes of the files that contributed (format-v2.md#merge)."""
    groups = {}
    order = []
    for fi, f in enumerate(files):
        for rec in f["records"]:
            if is_file_meta_label(rec["label"]):
                continue  # what the file is, not a value (files.md#service)
            key = _identity(rec)
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append((fi, rec))
    out = []
    for key in order:
        for fi, rec in groups[key]:
            if "error" in rec:
                out.append(_merged_entry(rec, [fi], False, None))
        members = [(fi, rec) for fi, rec in groups[key] if "error" not in rec]
        if not members:
            continue
        first = members[0][1]
        shape = {(r["kind"], r["merge"], r["unit"], _storage(r)) for _, r in members}
        rule = first["merge"]
        mergeable = (len(shape) == 1 and rule in ("sum", "min", "max", "avg")
                     and first["encoding"] != "text")
        if rule == "last" and len(shape) == 1:
            fi, rec = max(members, key=lambda m: _file_time(files[m[0]]))
            out.append(_merged_entry(rec, [fi], True, rec["value"]))
            continue
        if not mergeable:
            for fi, rec in members:
                out.append(_merged_entry(rec, [fi], False, rec.get("value")))
            continue
        values = [r["value"] for _, r in members]
        if first["encoding"] in SCALAR_ENCODINGS:
            value = _merge_scalars(rule, [_num(v) for v in values])
            exact_int = all(r["encoding"] != "f64" for _, r in members) and isinstance(value, int)
            value = json_int(value) if exact_int else json_float(float(value))
        else:
            value = _merge_composite(first["encoding"], values)
        out.append(_merged_entry(first, [fi for fi, _ in members], True, value))
    return out


def _merged_entry(rec, file_indexes, merged, value):
    """One entry of ``merge``'s result."""
    return {"label": rec["label"], "dims": rec["dims"], "kind": rec["kind"],
            "unit": rec["unit"], "encoding": rec["encoding"], "merge": rec["merge"],
            "params": rec["params"], "files": file_indexes, "merged": merged,
            "value": value}


# --------------------------------------------------------------------------------------
# Services and archives (files.md#service, files.md#archive-reading)
# --------------------------------------------------------------------------------------

SERVICE_LABEL = "mmstats.service"
ARCHIVE_NAME = re.compile(r"^(?:(.+)\.)?archive-(\d{10,16})\.mmstats$", re.S)


def is_file_meta_label(label):
    """``mmstats.service`` and the archive's ``mmstats.archive.*`` records say what a file
    is; merging leaves them out (files.md#service)."""
    return label == SERVICE_LABEL or label.startswith("mmstats.archive.")


def service_of(f):
    """A decoded v2 file's service (its ``mmstats.service`` text), None for the unnamed one."""
    for rec in f.get("records", []):
        if rec["label"] == SERVICE_LABEL and isinstance(rec.get("value"), str):
            return rec["value"]
    return None


def has_archive_flag(path, f):
    """Whether the v2 file at ``path`` (decoded as ``f``) has the ARCHIVE flag: bit 3 of
    ``flags``, defined from minor 2 (format-v2.md#archive-flag; unknown bits of earlier minors
    mean nothing)."""
    if f.get("version") != 2 or f["header"]["minor"] < 2:
        return False
    with open(path, "rb") as fh:
        return u32(fh.read(16), 12) & FLAG_ARCHIVE != 0


def archive_info(path, f):
    """``(service, generation, folded file ids)`` when ``path`` (decoded as ``f``) is an
    archive: the ARCHIVE flag set, and its name, ``mmstats.service`` and
    ``mmstats.archive.generation`` agreeing (files.md#archive-file); else None."""
    if not has_archive_flag(path, f):
        return None
    m = ARCHIVE_NAME.match(os.path.basename(path))
    if m is None or not 1 <= int(m.group(2)) <= 2 ** 53 - 1 or m.group(1) != service_of(f):
        return None
    generation, folded = None, set()
    for rec in f["records"]:
        if "error" in rec:
            continue
        if rec["label"] == "mmstats.archive.generation":
            generation = int(rec["value"])
        elif rec["label"] == "mmstats.archive.folded":
            fid = rec["dims"].get("file_id", "")
            if re.fullmatch(r"[0-9a-f]{16}", fid):
                folded.add(int(fid, 16))
    if generation != int(m.group(2)):
        return None
    return m.group(1), generation, folded


def counted_files(named):
    """The files of ``named`` (a list of ``(path, decoded file)``) that count, by
    files.md#archive-reading rules 1 and 2: of each directory's archives of a service only
    the newest generation, and no file whose ``file_id`` that archive has folded. Returns
    ``(counted, uncounted)``: lists of ``(path, file)`` and of ``(path, reason)``."""
    key = lambda path, service: (os.path.dirname(os.path.abspath(path)), service)
    archives, newest = {}, {}
    for path, f in named:
        info = archive_info(path, f)
        if info is None:
            continue
        archives[path] = info
        k = key(path, info[0])
        if k not in newest or info[1] > archives[newest[k]][1]:
            newest[k] = path
    counted, uncounted = [], []
    for path, f in named:
        if path in archives:
            if newest[key(path, archives[path][0])] == path:
                counted.append((path, f))
            else:
                uncounted.append((path, "superseded"))
            continue
        if has_archive_flag(path, f):
            uncounted.append((path, "bad-archive"))  # flagged, but its name and records disagree
            continue
        best = newest.get(key(path, service_of(f)))
        if best is not None and f.get("version") == 2 and int(f["header"]["file_id"]) in archives[best][2]:
            uncounted.append((path, "folded"))
        else:
            counted.append((path, f))
    return counted, uncounted

