#!/usr/bin/env python3
"""Run the conformance checks of spec/conformance.md with the reference reader.

1. every valid fixture ``fixtures/v1/*/NAME.mmstats`` and ``fixtures/v2/*/NAME.mmstats``
   decodes to exactly its ``NAME.json`` (parsed JSON compared, floats by value);
2. every ``fixtures/invalid/NAME.mmstats`` fails with the code in ``NAME.json``;
4. every ``fixtures/derived/NAME.json``: its files merged by ``merge``, each group and what
   is derived from its merged value (quantiles, window statistics, means) as it says.

Prints one line per failure, then ``N passed, N failed``; exit status 1 if any failed.
Fixtures are found by listing the folders, so new cases are picked up by themselves.
"""

import argparse
import glob
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import mmstats_ref  # noqa: E402

# keys of a fixture JSON that describe the file for people and are not decoded
META_KEYS = {"producer", "note", "description"}


def from_python_notation(v):
    """Map the python-0.8.0 fixtures' ``{"int": ...}`` / ``{"float": ...}`` values to the
    standard form (expected-json.md#python-notation)."""
    if isinstance(v, dict) and len(v) == 1 and "int" in v:
        return mmstats_ref.json_int(int(v["int"]))
    if isinstance(v, dict) and len(v) == 1 and "float" in v:
        return {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}.get(
            v["float"], float(v["float"]))
    return v


def is_number(v):
    """A JSON number (bool is not one)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def diff(expected, actual, path="$"):
    """The first difference between two parsed JSON values, as a string, or None.
    Numbers compare by value (1 == 1.0, -0 == 0); everything else exactly."""
    if is_number(expected) and is_number(actual):
        if expected == actual or (math.isnan(expected) and math.isnan(actual)):
            return None
        return f"{path}: expected {expected!r}, got {actual!r}"
    if isinstance(expected, dict) and isinstance(actual, dict):
        for k in expected:
            if k not in actual:
                return f"{path}: missing key {k!r}"
        for k in actual:
            if k not in expected:
                return f"{path}: unexpected key {k!r}"
        for k in expected:
            d = diff(expected[k], actual[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path}: expected {len(expected)} items, got {len(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            d = diff(e, a, f"{path}[{i}]")
            if d:
                return d
        return None
    if type(expected) is type(actual) and expected == actual:
        return None
    return f"{path}: expected {expected!r}, got {actual!r}"


def check_v1(data, exp):
    """Step 1 for a v1 file: file_size, then the seven keys of every field."""
    if len(data) != exp["file_size"]:
        return f"file_size {len(data)} != {exp['file_size']}"
    got = mmstats_ref.decode(data)
    if got.get("version") != 1:
        return f"decoded as version {got.get('version')}"
    fields = [dict(f, value=from_python_notation(f["value"])) for f in exp["fields"]]
    return diff(fields, got["fields"], "fields")


def v2_actual(got, exp):
    """The reference reader's result in the shape of a v2 fixture JSON."""
    return {k: v for k, v in got.items() if k != "version"}


def check_v2(data, exp):
    """Step 1 for a v2 file: the decoded JSON equals the fixture's (less its notes)."""
    if "file_size" in exp and len(data) != exp["file_size"]:
        return f"file_size {len(data)} != {exp['file_size']}"
    got = mmstats_ref.decode(data)
    if got.get("version") != 2:
        return f"decoded as version {got.get('version')}"
    expected = {k: v for k, v in exp.items() if k not in META_KEYS}
    return diff(expected, v2_actual(got, exp), "$")


def check_invalid(data, exp):
    """Step 2: decoding fails with the expected code. E014 is per record
    (format-v2.md#seqlock), so a record carrying it also counts."""
    want = exp["error"]
    try:
        got = mmstats_ref.decode(data, tries=50)
    except mmstats_ref.MmstatsError as e:
        return None if e.code == want else f"expected {want}, got {e}"
    codes = [r.get("error") for r in got.get("records", []) if r.get("error")]
    if want in codes:
        return None
    return f"expected {want}, but it decoded" + (f" (record errors {codes})" if codes else "")


def derived_group(entry, fixture):
    """One entry of ``merge`` in the shape of a derived fixture's group
    (expected-json.md#derived-fixture-json)."""
    group = {"label": entry["label"], "dims": entry["dims"], "merged": entry["merged"]}
    if not entry["merged"]:
        return group
    value = entry["value"]
    group["value"] = value
    enc = entry["encoding"]
    if enc == "histogram":
        params = mmstats_ref.hist_params(entry)
        group["quantiles"] = [mmstats_ref.hist_quantile(value, q, *params) for q in fixture["quantiles"]]
    elif enc == "window":
        slots = [{k: mmstats_ref._num(sl[k]) for k in ("start", "count", "sum")} for sl in value["slots"]]
        st = mmstats_ref.window_stats(slots, entry["params"][0], entry["params"][2], fixture["now"])
        group["window"] = {k: st[k] for k in ("rate", "mean", "count", "sum", "elapsed")}
    elif enc == "average":
        count = mmstats_ref._num(value["count"])
        group["mean"] = mmstats_ref._num(value["sum"]) / count if count else None
    return group


def check_derived(json_path, exp):
    """Step 4: the fixture's files merged, and the values derived from each group."""
    folder = json_path[:-len(".json")]
    named = [(os.path.join(folder, name), None) for name in exp["files"]]
    named = [(path, mmstats_ref.decode_file(path)) for path, _ in named]
    counted, uncounted = mmstats_ref.counted_files(named)
    expected_uncounted = exp.get("uncounted", [])
    actual_uncounted = [{"file": os.path.basename(path), "reason": reason} for path, reason in uncounted]
    if actual_uncounted != expected_uncounted:
        return f"$.uncounted: expected {expected_uncounted}, got {actual_uncounted}"
    files = [f for _, f in counted]
    groups = {}
    for entry in mmstats_ref.merge(files):
        key = (entry["label"], tuple(sorted(entry["dims"].items())))
        group = derived_group(entry, exp)
        # a group not merged comes back once per file: it is one group that is not merged
        if key not in groups or not group["merged"]:
            groups[key] = group
    actual = [groups[k] for k in sorted(groups)]
    return diff(exp["groups"], actual, "$.groups")


def run(fixtures):
    """Run every check under ``fixtures``; returns (passed, failures)."""
    passed, failures = 0, []
    cases = []
    for version, checker in (("v1", check_v1), ("v2", check_v2)):
        for path in sorted(glob.glob(os.path.join(fixtures, version, "*", "*.mmstats"))):
            cases.append((path, checker))
    for path in sorted(glob.glob(os.path.join(fixtures, "invalid", "*.mmstats"))):
        cases.append((path, check_invalid))
    if not cases:
        failures.append(f"FAIL {fixtures}: no fixtures found")
    for json_path in sorted(glob.glob(os.path.join(fixtures, "derived", "*.json"))):
        rel = os.path.relpath(json_path, fixtures)
        try:
            with open(json_path, encoding="utf-8") as f:
                problem = check_derived(json_path, json.load(f))
        except mmstats_ref.MmstatsError as e:
            problem = f"decoding failed: {e}"
        except Exception as e:  # anything else escaping is itself a failure
            problem = f"{type(e).__name__}: {e}"
        if problem:
            failures.append(f"FAIL {rel}: {problem}")
        else:
            passed += 1
    for path, checker in cases:
        rel = os.path.relpath(path, fixtures)
        json_path = path[:-len(".mmstats")] + ".json"
        try:
            with open(path, "rb") as f:
                data = f.read()
            with open(json_path, encoding="utf-8") as f:
                exp = json.load(f)
            problem = checker(data, exp)
        except mmstats_ref.MmstatsError as e:
            problem = f"decoding failed: {e}"
        except Exception as e:  # anything else escaping is itself a failure (step 3)
            problem = f"{type(e).__name__}: {e}"
        if problem:
            failures.append(f"FAIL {rel}: {problem}")
        else:
            passed += 1
    return passed, failures


def main(argv=None):
    """Command line: ``conformance.py [--fixtures DIR]``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fixtures", default=os.path.join(HERE, "..", "..", "fixtures"),
                    help="the fixtures folder (default: ../../fixtures from this script)")
    args = ap.parse_args(argv)
    passed, failures = run(os.path.normpath(args.fixtures))
    for line in failures:
        print(line)
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
