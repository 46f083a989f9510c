"""Unit tests of the reference reader's own pieces.

Run: ``python3 -m unittest discover spec/reference``.

The v2 files here are built by a tiny test writer (``V2Builder``) written from
spec/format-v2.md, not by the TypeScript writer.
"""

import math
import os
import random
import struct
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import mmstats_ref as ref  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures")


# --------------------------------------------------------------------------------------
# a minimal v2 writer for tests
# --------------------------------------------------------------------------------------

def pad8(n):
    """Round up to a multiple of 8."""
    return -(-n // 8) * 8


class V2Builder:
    """Builds v2 files record by record, as format-v2.md#publication says."""

    def __init__(self, capacity=4096, flags=ref.FLAG_READY, header_size=128, minor=0):
        self.buf = bytearray(capacity)
        self.header_size = header_size
        self.used = header_size
        self.count = 0
        b = self.buf
        b[0:8] = b"\x02mmstats"
        b[8] = 1
        b[9] = minor
        struct.pack_into("<HIII", b, 10, header_size, flags, capacity, header_size)
        struct.pack_into("<Q", b, 32, 0x1234_5678_9ABC)
        struct.pack_into("<II", b, 40, 4242, 1000)
        struct.pack_into("<Qddd", b, 48, 77, 1000.5, 1001.25, 1002.0)

    def add(self, label, kind, enc, value_area, merge=1, unit="", help_text="",
            dims=(), params=(0, 0, 0), state=1, kind_raw=None):
        """Append one record with ``value_area`` bytes; returns the record offset."""
        names = label.encode() + unit.encode() + help_text.encode()
        dim_bytes = b"".join(struct.pack("<H", len(k.encode())) + k.encode()
                             + struct.pack("<H", len(v.encode())) + v.encode()
                             for k, v in dims)
        value_offset = pad8(48 + len(names) + len(dim_bytes))
        size = value_offset + pad8(len(value_area))
        r = self.used
        b = self.buf
        struct.pack_into("<IIHBBII4HIiI", b, r, 0, size, kind if kind_raw is None else kind_raw,
                         enc, merge, value_offset, len(value_area),
                         len(label.encode()), len(unit.encode()), len(help_text.encode()),
                         len(dim_bytes), *params)
        p = r + 48
        b[p:p + len(names)] = names
        b[p + len(names):p + len(names) + len(dim_bytes)] = dim_bytes
        b[r + value_offset:r + value_offset + len(value_area)] = value_area
        struct.pack_into("<I", b, r, state)
        self.used = r + size
        self.count += 1
        struct.pack_into("<II", b, 20, self.used, self.count)
        return r

    def bytes(self):
        """The file's bytes."""
        return bytes(self.buf)


def hist_area(values, k, min_exp, max_exp, seq=0):
    """A histogram value area holding ``values``."""
    n = ref.hist_bucket_count(k, min_exp, max_exp)
    buckets = [0.0] * n
    vals = [v for v in values if not math.isnan(v)]
    for v in vals:
        buckets[ref.hist_bucket_index(v, k, min_exp, max_exp)] += 1
    mn = min(vals) if vals else 0.0
    mx = max(vals) if vals else 0.0
    return struct.pack(f"<II4d{n}d", seq, 0, len(vals), sum(vals), mn, mx, *buckets)


# --------------------------------------------------------------------------------------
# histogram
# --------------------------------------------------------------------------------------

class HistogramTest(unittest.TestCase):
    def test_bucket_bounds_contain_their_values(self):
        rng = random.Random(1234)
        for k in (0, 1, 4, 8):
            lo_exp, hi_exp = -30, 34
            for _ in range(6000):
                v = math.ldexp(rng.random() + 0.5, rng.randint(-33, 36))
                i = ref.hist_bucket_index(v, k, lo_exp, hi_exp)
                low, high = ref.hist_bucket_bounds(i, k, lo_exp, hi_exp)
                self.assertTrue(low <= v < high or (i == ref.hist_bucket_count(k, lo_exp, hi_exp) - 1
                                                    and v >= low), (k, v, i, low, high))

    def test_buckets_tile_the_range(self):
        k, lo_exp, hi_exp = 3, -4, 5
        n = ref.hist_bucket_count(k, lo_exp, hi_exp)
        self.assertEqual(n, 9 * 8 + 2)
        prev_high = ref.hist_bucket_bounds(0, k, lo_exp, hi_exp)[1]
        self.assertEqual(prev_high, 2.0 ** -4)
        for i in range(1, n):
            low, high = ref.hist_bucket_bounds(i, k, lo_exp, hi_exp)
            self.assertEqual(low, prev_high)
            prev_high = high
        self.assertEqual(ref.hist_bucket_bounds(n - 1, k, lo_exp, hi_exp)[0], 2.0 ** 5)

    def test_special_values(self):
        k, lo_exp, hi_exp = 4, -30, 34
        n = ref.hist_bucket_count(k, lo_exp, hi_exp)
        self.assertEqual(n, 1026)
        self.assertEqual(ref.hist_bucket_index(0.0, k, lo_exp, hi_exp), 0)
        self.assertEqual(ref.hist_bucket_index(-5.0, k, lo_exp, hi_exp), 0)
        self.assertEqual(ref.hist_bucket_index(math.inf, k, lo_exp, hi_exp), n - 1)
        self.assertEqual(ref.hist_bucket_index(2.0 ** 34, k, lo_exp, hi_exp), n - 1)
        self.assertEqual(ref.hist_bucket_index(2.0 ** -30, k, lo_exp, hi_exp), 1)
        self.assertIsNone(ref.hist_bucket_index(math.nan, k, lo_exp, hi_exp))
        self.assertEqual(ref.hist_bucket_index(1.0, k, lo_exp, hi_exp), 1 + 30 * 16)
        self.assertEqual(ref.hist_bucket_index(1.5, k, lo_exp, hi_exp), 1 + 30 * 16 + 8)

    def _check_quantiles(self, values, k, lo_exp, hi_exp, qs=(0.01, 0.25, 0.5, 0.9, 0.99, 1.0)):
        area = hist_area(values, k, lo_exp, hi_exp)
        h = ref.decode_value(area, 6, 0, len(area), k, lo_exp, hi_exp)
        ordered = sorted(values)
        bound = ref.hist_error_bound(k)
        for q in qs:
            exact = ordered[ref.hist_rank(q, len(ordered)) - 1]
            est = ref.hist_quantile(h, q, k, lo_exp, hi_exp)
            self.assertLessEqual(abs(est - exact), bound * exact, (k, q, exact, est))

    def test_quantile_error_bound_random_samples(self):
        rng = random.Random(20240601)
        for k in (0, 2, 4, 7):
            for dist in ("lognormal", "uniform", "exponential"):
                if dist == "lognormal":
                    vals = [rng.lognormvariate(-3, 2) for _ in range(5000)]
                elif dist == "uniform":
                    vals = [rng.uniform(0.001, 10) for _ in range(5000)]
                else:
                    vals = [rng.expovariate(3.0) + 1e-6 for _ in range(5000)]
                self._check_quantiles(vals, k, -30, 34)

    def test_merged_quantiles_within_bound(self):
        rng = random.Random(7)
        k, lo_exp, hi_exp = 4, -30, 34
        parts = [[rng.gammavariate(2, 0.01 * (i + 1)) for _ in range(2000)] for i in range(4)]
        files = []
        for i, vals in enumerate(parts):
            bld = V2Builder(capacity=16384)
            bld.add("lat", 5, 6, hist_area(vals, k, lo_exp, hi_exp), merge=1, unit="seconds",
                    params=(k, lo_exp, hi_exp))
            files.append(ref.decode(bld.bytes()))
        merged = ref.merge(files)
        self.assertEqual(len(merged), 1)
        self.assertTrue(merged[0]["merged"])
        h = merged[0]["value"]
        everything = sorted(v for p in parts for v in p)
        self.assertEqual(h["count"], len(everything))
        self.assertEqual(h["min"], everything[0])
        self.assertEqual(h["max"], everything[-1])
        for q in (0.5, 0.9, 0.99):
            exact = everything[ref.hist_rank(q, len(everything)) - 1]
            est = ref.hist_quantile(h, q, k, lo_exp, hi_exp)
            self.assertLessEqual(abs(est - exact), ref.hist_error_bound(k) * exact)

    def test_underflow_and_overflow_give_min_and_max(self):
        k, lo_exp, hi_exp = 2, 0, 2   # buckets cover [1, 4)
        area = hist_area([0.25, 0.5, 2.0, 9.0, 10.0], k, lo_exp, hi_exp)
        h = ref.decode_value(area, 6, 0, len(area), k, lo_exp, hi_exp)
        self.assertEqual(ref.hist_quantile(h, 0.2, k, lo_exp, hi_exp), 0.25)
        self.assertEqual(ref.hist_quantile(h, 1.0, k, lo_exp, hi_exp), 10.0)
        self.assertEqual(ref.hist_quantile(h, 0.6, k, lo_exp, hi_exp), 2.25)  # [2, 2.5) midpoint
        area = hist_area([2.0, 2.0625], k, lo_exp, hi_exp)  # both in [2, 2.5): clamp to max
        h = ref.decode_value(area, 6, 0, len(area), k, lo_exp, hi_exp)
        self.assertEqual(ref.hist_quantile(h, 0.5, k, lo_exp, hi_exp), 2.0625)
        self.assertIsNone(ref.hist_quantile({"count": 0, "min": 0, "max": 0, "buckets": []},
                                            0.5, k, lo_exp, hi_exp))

    def test_fixture_histogram_known_percentiles(self):
        path = os.path.join(FIXTURES, "v2", "ts", "histogram-known.mmstats")
        if not os.path.exists(path):
            self.skipTest("fixtures/v2/ts not there yet")
        with open(path, "rb") as f:
            rec = ref.decode(f.read())["records"][0]
        k, lo_exp, hi_exp = ref.hist_params(rec)
        # +inf and NaN were ignored by the writer (counted in mmstats.rejected_values).
        observed = [i / 1000 for i in range(1, 1001)] + [0.0, -1.0, 5.0, 1e300]
        mine = {}
        for v in observed:
            i = ref.hist_bucket_index(v, k, lo_exp, hi_exp)
            if i is not None:
                mine[str(i)] = mine.get(str(i), 0) + 1
        self.assertEqual(mine, rec["value"]["buckets"])
        ordered = sorted(observed)
        for q in (0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99):
            exact = ordered[ref.hist_rank(q, len(ordered)) - 1]
            est = ref.hist_quantile(rec["value"], q, k, lo_exp, hi_exp)
            self.assertLessEqual(abs(est - exact), ref.hist_error_bound(k) * exact, q)
        self.assertEqual(ref.hist_quantile(rec["value"], 0.001, k, lo_exp, hi_exp), -1)
        self.assertEqual(ref.hist_quantile(rec["value"], 1.0, k, lo_exp, hi_exp), 1e300)

    def test_rank_is_the_binary64_product(self):
        self.assertEqual(ref.hist_rank(0.7, 10), 7)
        self.assertEqual(ref.hist_rank(0.01, 100), 1)
        self.assertEqual(ref.hist_rank(0.07, 100), 8)   # binary64 product, as written
        self.assertEqual(ref.hist_rank(0.99, 100), 99)
        self.assertEqual(ref.hist_rank(1.0, 3), 3)
        self.assertEqual(ref.hist_rank(1e-9, 3), 1)


# --------------------------------------------------------------------------------------
# window
# --------------------------------------------------------------------------------------

class WindowTest(unittest.TestCase):
    def test_rate_and_mean_with_fixed_clock(self):
        n, w = 60, 1000
        slots = [{"start": 0.0, "count": 0.0, "sum": 0.0} for _ in range(n)]
        t0 = 1_700_000_000.0
        for i in range(120):              # one value per second for two minutes
            ref.window_add(slots, n, w, t0 + i + 0.5, float(i))
        now = t0 + 119.75
        st = ref.window_stats(slots, n, w, now)
        # live slots: seconds 60..119 -> 60 values, values 60..119
        self.assertEqual(st["count"], 60)
        self.assertEqual(st["sum"], sum(range(60, 120)))
        self.assertAlmostEqual(st["elapsed"], 59 + 0.75)
        self.assertAlmostEqual(st["rate"], 60 / 59.75)
        self.assertAlmostEqual(st["mean"], (60 + 119) / 2)

    def test_stale_slots_age_out(self):
        n, w = 10, 500
        slots = [{"start": 0.0, "count": 0.0, "sum": 0.0} for _ in range(n)]
        t0 = 1000.0
        ref.window_add(slots, n, w, t0, 4.0)
        ref.window_add(slots, n, w, t0 + 0.1, 6.0)
        st = ref.window_stats(slots, n, w, t0 + 0.2)
        self.assertEqual(st["count"], 2)
        self.assertEqual(st["mean"], 5.0)
        self.assertAlmostEqual(st["elapsed"], 9 * 0.5 + 0.2)
        st = ref.window_stats(slots, n, w, t0 + 4.49)    # still inside the 10 slots
        self.assertEqual(st["count"], 2)
        st = ref.window_stats(slots, n, w, t0 + 5.0)     # slot start 1000.0 is now too old
        self.assertEqual(st["count"], 0)
        self.assertIsNone(st["mean"])
        self.assertEqual(st["rate"], 0)

    def test_fixture_window_fixed_clock(self):
        path = os.path.join(FIXTURES, "v2", "ts", "window-fixed-clock.mmstats")
        if not os.path.exists(path):
            self.skipTest("fixtures/v2/ts not there yet")
        with open(path, "rb") as f:
            rec = ref.decode(f.read())["records"][0]
        n, _, w = rec["params"]
        slots = rec["value"]["slots"]
        now = 1700000100.75
        st = ref.window_stats(slots, n, w, now)
        live = [sl for sl in slots if sl["start"] >= 1700000100 - 59]
        self.assertLess(len(live), len(slots))           # some slots are stale
        self.assertEqual(st["count"], sum(sl["count"] for sl in live))
        self.assertEqual(st["sum"], sum(sl["sum"] for sl in live))
        self.assertAlmostEqual(st["elapsed"], 59.75)

    def test_window_decoded_from_file(self):
        n, w = 4, 1000
        slots = [{"start": 0.0, "count": 0.0, "sum": 0.0} for _ in range(n)]
        for t, v in ((100.2, 1.0), (101.5, 2.0), (101.7, 3.0), (103.1, 4.0)):
            ref.window_add(slots, n, w, t, v)
        area = struct.pack("<II", 2, 0) + b"".join(
            struct.pack("<3d", s["start"], s["count"], s["sum"]) for s in slots)
        bld = V2Builder()
        bld.add("req", 7, 7, area, params=(n, 0, w))
        rec = ref.decode(bld.bytes())["records"][0]
        st = ref.window_stats(rec["value"]["slots"], n, w, 103.5)
        self.assertEqual(st["count"], 4)
        self.assertEqual(st["sum"], 10.0)
        self.assertAlmostEqual(st["elapsed"], 3.5)


# --------------------------------------------------------------------------------------
# seqlock
# --------------------------------------------------------------------------------------

class ScriptedMemory:
    """A value area whose contents change between loads, to simulate a writer
    running while the reader copies: ``states`` is the list of byte images, and
    each slice advances to the next image (staying on the last)."""

    def __init__(self, states):
        self.states = states
        self.loads = 0

    def __len__(self):
        return len(self.states[0])

    def __getitem__(self, sl):
        img = self.states[min(self.loads, len(self.states) - 1)]
        self.loads += 1
        return img[sl]


def avg_area(seq, total, count):
    """An average value area."""
    return struct.pack("<IIdd", seq, 0, total, count)


class SeqlockTest(unittest.TestCase):
    def test_consistent_copy_first_try(self):
        mem = ScriptedMemory([avg_area(4, 10.0, 2.0)])
        c = ref.read_seqlocked(mem, 0, 24, pause=lambda: None)
        self.assertEqual(struct.unpack_from("<dd", c, 8), (10.0, 2.0))

    def test_torn_copy_is_retried(self):
        # load 1: seq 4 (even); load 2: the copy is torn (new sum, old count) while the
        # writer is in the middle (seq 5); load 3: seq 6 != 4 -> retry; then stable.
        torn = avg_area(5, 99.0, 2.0)
        new = avg_area(6, 99.0, 3.0)
        mem = ScriptedMemory([avg_area(4, 10.0, 2.0), torn, new, new, new, new])
        pauses = []
        c = ref.read_seqlocked(mem, 0, 24, pause=lambda: pauses.append(1))
        self.assertEqual(struct.unpack_from("<dd", c, 8), (99.0, 3.0))
        self.assertEqual(len(pauses), 1)

    def test_odd_seq_is_retried(self):
        mem = ScriptedMemory([avg_area(7, 1.0, 1.0)] * 3 + [avg_area(8, 2.0, 2.0)])
        c = ref.read_seqlocked(mem, 0, 24, pause=lambda: None)
        self.assertEqual(struct.unpack_from("<dd", c, 8), (2.0, 2.0))

    def test_wraparound_is_fine(self):
        mem = ScriptedMemory([avg_area(0xFFFFFFFE, 1.0, 1.0), avg_area(0, 2.0, 2.0),
                              avg_area(0, 2.0, 2.0), avg_area(0, 2.0, 2.0)])
        c = ref.read_seqlocked(mem, 0, 24, pause=lambda: None)
        self.assertEqual(struct.unpack_from("<dd", c, 8), (2.0, 2.0))

    def test_never_settles_is_E014_for_that_record_only(self):
        bld = V2Builder()
        bld.add("stuck", 6, 5, avg_area(3, 1.0, 1.0))          # writer died mid-write
        bld.add("ok", 1, 1, struct.pack("<d", 5.0))
        out = ref.decode(bld.bytes(), tries=10, pause=lambda: None)
        self.assertEqual(out["records"][0]["error"], "MMSTATS-E014")
        self.assertNotIn("value", out["records"][0])
        self.assertEqual(out["records"][1]["value"], 5.0)

    def test_bounded_tries(self):
        mem = ScriptedMemory([avg_area(1, 0.0, 0.0)])
        with self.assertRaises(ref.MmstatsError) as cm:
            ref.read_seqlocked(mem, 0, 24, tries=25, pause=lambda: None, stuck_seconds=0)
        self.assertEqual(cm.exception.code, "MMSTATS-E014")
        self.assertEqual(mem.loads, 25)

    def test_text_len_past_capacity_while_seq_moves_is_torn(self):
        cap = 8
        bad = struct.pack("<II", 2, 200) + b"abcdefgh"
        good = struct.pack("<II", 4, 3) + b"xyz\0\0\0\0\0"
        # s1 and the copy see the bad image, s2 already the writer's next seq: retried.
        mem = ScriptedMemory([bad, bad, good, good, good, good])
        v = ref.decode_value(mem, 4, 0, 16, cap, 0, 0, pause=lambda: None)
        self.assertEqual(v, "xyz")

    def test_text_len_past_capacity_under_a_stable_seq_is_E013(self):
        bad = struct.pack("<II", 2, 200) + b"abcdefgh"
        with self.assertRaises(ref.MmstatsError) as cm:
            ref.decode_value(ScriptedMemory([bad]), 4, 0, 16, 8, 0, 0, pause=lambda: None)
        self.assertEqual(cm.exception.code, "MMSTATS-E013")


class LiveSeqlockTest(unittest.TestCase):
    """A writer process updates an average (sum = 2 x count) in a shared mapping under
    the seqlock protocol while this process reads it: every accepted copy must be
    consistent. (Python's stores and loads go through memcpy, so the value words can
    tear; the sequence word is what makes the copy safe.)"""

    def test_reader_against_live_writer(self):
        import mmap
        import multiprocessing
        import tempfile
        if not hasattr(os, "fork"):
            self.skipTest("needs fork")
        with tempfile.TemporaryFile() as f:
            f.truncate(4096)
            mem = mmap.mmap(f.fileno(), 4096)
            stop = multiprocessing.Event()

            def writer():
                seq, count = 0, 0
                while not stop.is_set():
                    for _ in range(200):
                        count += 1
                        mem[0:4] = struct.pack("<I", (seq + 1) & 0xFFFFFFFF)
                        mem[8:24] = struct.pack("<dd", 2.0 * count, float(count))
                        seq = (seq + 2) & 0xFFFFFFFF
                        mem[0:4] = struct.pack("<I", seq)

            proc = multiprocessing.get_context("fork").Process(target=writer)
            proc.start()
            try:
                deadline = time.monotonic() + 0.7
                reads = bad = starved = 0
                seen = set()
                while time.monotonic() < deadline:
                    try:
                        c = ref.read_seqlocked(mem, 0, 24)
                    except ref.MmstatsError as e:
                        # a writer in a hot loop can keep every one of the 1000 tries
                        # from settling: E014 for a live value (see README, seqlock)
                        self.assertEqual(e.code, "MMSTATS-E014")
                        starved += 1
                        continue
                    total, count = struct.unpack_from("<dd", c, 8)
                    reads += 1
                    seen.add(count)
                    if total != 2.0 * count:
                        bad += 1
            finally:
                stop.set()
                proc.join(5)
            self.assertEqual(bad, 0)
            self.assertGreater(reads, 100)
            self.assertLess(starved, reads)
            self.assertGreater(len(seen), 10)  # the writer really was changing it
            mem.close()


# --------------------------------------------------------------------------------------
# v2 decoding and merging
# --------------------------------------------------------------------------------------

class V2DecodeTest(unittest.TestCase):
    def sample(self):
        bld = V2Builder()
        bld.add("http.requests", 1, 1, struct.pack("<d", 12.0), unit="requests",
                help_text="requests served", dims=(("method", "GET"), ("code", "200")))
        bld.add("big", 1, 3, struct.pack("<Q", 2**64 - 1))
        bld.add("temp", 2, 2, struct.pack("<q", -3), merge=2)
        text = "héllo".encode()
        bld.add("name", 3, 4, struct.pack("<II", 0, len(text)) + text.ljust(16, b"\0"),
                merge=0, params=(16, 0, 0))
        bld.add("mean", 6, 5, avg_area(2, 6.0, 3.0))
        return bld

    def test_values(self):
        out = ref.decode(self.sample().bytes())
        recs = {r["label"]: r for r in out["records"]}
        self.assertEqual(recs["http.requests"]["value"], 12.0)
        self.assertEqual(recs["http.requests"]["dims"], {"method": "GET", "code": "200"})
        self.assertEqual(recs["http.requests"]["unit"], "requests")
        self.assertEqual(recs["big"]["value"], "18446744073709551615")
        self.assertEqual(recs["temp"]["value"], -3)
        self.assertEqual(recs["name"]["value"], "héllo")
        self.assertEqual(recs["mean"]["value"], {"sum": 6.0, "count": 3.0})
        self.assertEqual(out["notices"], [])
        self.assertEqual(out["header"]["pid"], 4242)

    def _code(self, data):
        with self.assertRaises(ref.MmstatsError) as cm:
            ref.decode(data)
        return cm.exception.code

    def test_header_errors(self):
        good = self.sample().bytes()
        self.assertEqual(self._code(good[:100]), "MMSTATS-E003")
        self.assertEqual(self._code(b"\x02mmstatX" + good[8:]), "MMSTATS-E009")
        self.assertEqual(self._code(b"\x03mmstats" + good[8:]), "MMSTATS-E002")
        self.assertEqual(self._code(good[:8] + b"\x02" + good[9:]), "MMSTATS-E010")
        self.assertEqual(self._code(good[:12] + b"\0\0\0\0" + good[16:]), "MMSTATS-E011")
        self.assertEqual(self._code(good[:10] + b"\x40\x00" + good[12:]), "MMSTATS-E012")
        self.assertEqual(self._code(good[:32] + bytes(8) + good[40:]), "MMSTATS-E012")
        self.assertEqual(self._code(good[:2048]), "MMSTATS-E003")
        bigger = good + bytes(100)
        self.assertEqual(ref.decode(bigger)["header"]["capacity"], 4096)

    def test_check_order(self):
        good = self.sample().bytes()
        # short beats a bad signature; READY beats a bad header_size / file_id
        self.assertEqual(self._code(b"\x02mmstatX" + good[8:100]), "MMSTATS-E003")
        not_ready = good[:12] + b"\0\0\0\0" + good[16:]
        self.assertEqual(self._code(not_ready[:32] + bytes(8) + not_ready[40:]), "MMSTATS-E011")
        # an unknown encoding is skipped with no further check (bad UTF-8 label and all)
        bld = V2Builder()
        r = bld.add("xx", 1, 77, bytes(8))
        bld.buf[r + 48] = 0xFF
        bld.add("ok", 1, 1, struct.pack("<d", 1.0))
        out = ref.decode(bld.bytes())
        self.assertEqual([r["label"] for r in out["records"]], ["ok"])
        # value_size is checked before the names' UTF-8
        bld = V2Builder()
        r = bld.add("x", 1, 1, bytes(16))
        bld.buf[r + 48] = 0xFF
        self.assertEqual(self._code(bld.bytes()), "MMSTATS-E013")
        # an empty dimension key is found after its pair's lengths and UTF-8
        bld = V2Builder()
        r = bld.add("x", 1, 1, struct.pack("<d", 1.0), dims=(("", "\u00e9"),))
        data = bld.bytes().replace(b"\x02\x00\xc3\xa9", b"\x02\x00\xc3\xff")
        self.assertEqual(self._code(data), "MMSTATS-E007")
        self.assertEqual(self._code(bld.bytes()), "MMSTATS-E013")

    def test_histogram_negative_max_exp(self):
        k, lo_exp, hi_exp = 2, -20, -5
        bld = V2Builder()
        bld.add("tiny", 4, 6, hist_area([2.0 ** -10, 2.0 ** -7], k, lo_exp, hi_exp),
                params=(k, lo_exp, hi_exp & 0xFFFFFFFF))
        rec = ref.decode(bld.bytes())["records"][0]
        self.assertEqual(rec["params"], [k, lo_exp, hi_exp & 0xFFFFFFFF])  # JSON: as stored
        self.assertEqual(ref.hist_params(rec), (k, lo_exp, hi_exp))
        self.assertEqual(ref.hist_quantile(rec["value"], 1.0, *ref.hist_params(rec)), 2.0 ** -7)
        self.assertEqual(rec["value"]["count"], 2)

    def test_record_errors_and_notices(self):
        bld = V2Builder()
        bld.add("x", 1, 1, struct.pack("<d", 1.0), state=2)
        self.assertEqual(self._code(bld.bytes()), "MMSTATS-E013")
        bld = V2Builder()
        bld.add("x", 1, 1, struct.pack("<d", 1.0), dims=(("k", "v"), ("k", "w")))
        self.assertEqual(self._code(bld.bytes()), "MMSTATS-E013")
        bld = V2Builder()
        bld.add("x", 1, 1, struct.pack("<d", 1.0))
        b = bytearray(bld.bytes())
        b[128 + 48] = 0xFF
        self.assertEqual(self._code(bytes(b)), "MMSTATS-E007")
        bld = V2Builder()
        bld.add("future", 1, 99, bytes(16))
        bld.add("odd", 42, 1, struct.pack("<d", 2.5))
        out = ref.decode(bld.bytes())
        self.assertEqual([n["code"] for n in out["notices"]], ["MMSTATS-W001", "MMSTATS-W002"])
        self.assertEqual([r["label"] for r in out["records"]], ["odd"])
        self.assertEqual(out["records"][0]["kind"], "kind-42")

    def test_unpublished_record_stops_the_walk(self):
        bld = V2Builder()
        bld.add("a", 1, 1, struct.pack("<d", 1.0))
        bld.add("b", 1, 1, struct.pack("<d", 2.0), state=0)
        self.assertEqual([r["label"] for r in ref.decode(bld.bytes())["records"]], ["a"])

    def test_merge_rules(self):
        files = []
        for i, (hb, created) in enumerate(((10.0, 1.0), (30.0, 2.0), (20.0, 3.0))):
            bld = V2Builder()
            struct.pack_into("<dd", bld.buf, 64, created, hb)
            bld.add("c", 1, 1, struct.pack("<d", i + 1.0), merge=1)
            bld.add("lo", 2, 2, struct.pack("<q", 5 - i), merge=2)
            bld.add("hi", 2, 2, struct.pack("<q", 5 - i), merge=3)
            bld.add("mean", 2, 1, struct.pack("<d", float(i)), merge=4)
            bld.add("last", 2, 1, struct.pack("<d", float(i)), merge=5)
            bld.add("own", 8, 1, struct.pack("<d", float(i)), merge=0)
            bld.add("avg", 6, 5, avg_area(0, 2.0 * i, 1.0))
            files.append(ref.decode(bld.bytes()))
        m = {}
        for e in ref.merge(files):
            m.setdefault(e["label"], []).append(e)
        self.assertEqual(m["c"][0]["value"], 6.0)
        self.assertEqual(m["lo"][0]["value"], 3)
        self.assertEqual(m["hi"][0]["value"], 5)
        self.assertEqual(m["mean"][0]["value"], 1.0)
        self.assertEqual(m["last"][0]["value"], 1.0)      # file 1 has the latest heartbeat
        self.assertEqual(len(m["own"]), 3)
        self.assertEqual(m["avg"][0]["value"], {"sum": 6.0, "count": 3.0})

    def test_merge_last_uses_created_without_heartbeat_and_merges_text(self):
        files = []
        for hb, created, text in ((0.0, 50.0, b"new"), (40.0, 1.0, b"old")):
            bld = V2Builder()
            struct.pack_into("<dd", bld.buf, 64, created, hb)
            bld.add("ver", 8, 4, struct.pack("<II", 0, 3) + text.ljust(8, b"\0"), merge=5,
                    params=(8, 0, 0))
            bld.add("name", 3, 4, struct.pack("<II", 0, 3) + text.ljust(8, b"\0"), merge=1,
                    params=(8, 0, 0))
            files.append(ref.decode(bld.bytes()))
        out = ref.merge(files)
        ver = [e for e in out if e["label"] == "ver"]
        self.assertEqual([(e["merged"], e["value"]) for e in ver], [(True, "new")])
        self.assertEqual([e["merged"] for e in out if e["label"] == "name"], [False, False])

    def test_histograms_with_other_params_do_not_merge(self):
        files = []
        for k in (3, 4):
            bld = V2Builder()
            bld.add("h", 4, 6, hist_area([1.0], k, -4, 4), params=(k, -4, 4))
            files.append(ref.decode(bld.bytes()))
        out = ref.merge(files)
        self.assertEqual([e["merged"] for e in out], [False, False])


def exp_area(n, scale, positive, negative=None, zero_threshold=0.0, zero_count=0.0):
    """An exphistogram value area (format-v2.md#enc-exphistogram): bucket index -> count,
    each side's slots starting at its lowest index."""
    def side(buckets):
        offset = min(buckets, default=0)
        slots = [0.0] * n
        for i, c in buckets.items():
            slots[i - offset] = float(c)
        return offset, slots
    po, ps = side(positive)
    no, ns = side(negative or {})
    count = zero_count + sum(positive.values()) + sum((negative or {}).values())
    return (struct.pack("<IIddddddiiii", 2, 0, count, 0.0, 0.0, 0.0, zero_threshold, zero_count,
                        scale, 0, po, no)
            + struct.pack(f"<{n}d", *ps) + struct.pack(f"<{n}d", *ns))


class ExpHistogramTest(unittest.TestCase):
    def test_bounds_are_exact_powers_of_two_at_scale_zero_and_square_roots_above(self):
        self.assertEqual(ref.exp_bucket_bound(3, 0), 8.0)
        self.assertEqual(ref.exp_bucket_bound(-2, -2), 2.0 ** -8)
        self.assertEqual(ref.exp_bucket_bound(1, 1), math.sqrt(2.0))
        self.assertEqual(ref.exp_bucket_bound(1024, 0), math.inf)
        for scale in range(1, 9):  # within a few ulps of b^i
            for i in (-300, -1, 0, 5, 257):
                want = 2.0 ** (i / 2 ** scale)
                self.assertAlmostEqual(ref.exp_bucket_bound(i, scale) / want, 1.0, places=14)

    def test_quantiles_walk_negatives_zero_positives(self):
        h = {"count": 4, "min": -8.0, "max": 3.0, "scale": 0, "zero_count": 1,
             "negative": {"2": 2}, "positive": {"1": 1}}
        self.assertEqual(ref.exp_quantile(h, 0.25), -6.0)  # (4, 8] negated: -6
        self.assertEqual(ref.exp_quantile(h, 0.75), 0.0)
        self.assertEqual(ref.exp_quantile(h, 1), 3.0)  # midpoint 3 of (2, 4]
        self.assertIsNone(ref.exp_quantile(dict(h, count=0), 0.5))

    def test_scales_merge_by_downscaling_but_zero_thresholds_must_agree(self):
        files = []
        for scale, buckets, zt in ((3, {-9: 1, 7: 2, 8: 1}, 0.0), (1, {1: 1}, 0.0)):
            bld = V2Builder(capacity=8192, minor=2)
            bld.add("h", 4, 8, exp_area(132, scale, buckets, zero_threshold=zt), params=(132, 0, 0))
            bld.add("z", 4, 8, exp_area(140, scale, buckets, zero_threshold=scale / 10), params=(140, 0, 0))
            files.append(ref.decode(bld.bytes()))
        out = {e["label"]: e for e in ref.merge(files) if e["merged"]}
        self.assertEqual(out["h"]["value"]["scale"], 1)
        # at scale 1, bucket j of scale 3 is j >> 2: -9 -> -3, 7 -> 1, 8 -> 2
        self.assertEqual(out["h"]["value"]["positive"], {"-3": 1.0, "1": 3.0, "2": 1.0})
        self.assertNotIn("z", out)

    def test_a_scale_out_of_range_is_e013_for_that_record(self):
        bld = V2Builder(minor=2)
        bld.add("h", 4, 8, exp_area(132, 9, {0: 1}), params=(132, 0, 0))
        rec = ref.decode(bld.bytes())["records"][0]
        self.assertEqual(rec["error"], "MMSTATS-E013")


# --------------------------------------------------------------------------------------
# nothing escapes (conformance.md step 3): mutated fixtures give a value or a code
# --------------------------------------------------------------------------------------

class FuzzTest(unittest.TestCase):
    def test_mutations_only_raise_coded_errors(self):
        rng = random.Random(99)
        seeds = []
        for sub in ("v1/python-0.8.0/all-types.mmstats", "v1/edge/exact-fit.mmstats"):
            path = os.path.join(FIXTURES, sub)
            if os.path.exists(path):
                with open(path, "rb") as f:
                    seeds.append(f.read()[:400])
        seeds.append(V2DecodeTest().sample().bytes())
        for sub in ("v2/ts/all-kinds.mmstats", "v2/future/minor-3.mmstats"):
            path = os.path.join(FIXTURES, sub)
            if os.path.exists(path):
                with open(path, "rb") as f:
                    data = f.read()
                cut = bytearray(data[:pad8(struct.unpack_from("<I", data, 20)[0]) + 64])
                struct.pack_into("<I", cut, 16, len(cut))  # capacity = the shorter length
                seeds.append(bytes(cut))
        for _ in range(6000):
            data = bytearray(rng.choice(seeds))
            for _ in range(rng.randint(1, 6)):
                op = rng.random()
                if op < 0.6 and data:
                    data[rng.randrange(len(data))] = rng.randrange(256)
                elif op < 0.8:
                    del data[rng.randrange(len(data) + 1):]
                else:
                    data += bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
            try:
                ref.decode(bytes(data), tries=3, pause=lambda: None)
            except ref.MmstatsError:
                pass


if __name__ == "__main__":
    unittest.main()
