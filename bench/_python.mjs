// The Python peers of the benchmarks: mmstats 0.8.0 made runnable on Python 3
// (../shared/tools/mmpy.py) and its 1000 Python-written files (../shared/tools/make1k.py).
// Not a benchmark itself (run.mjs skips names starting with `_`).
//
// Environment: MMSTATS_PYTHON (an interpreter binary, not a version-manager shim, which adds
// ~75 ms per start), MMSTATS_PY (a directory holding the `mmstats` package; built from
// MMSTATS_PY_REPO, a git copy of schmichael/mmstats, when absent).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tools = resolve(root, '..', 'shared', 'tools');

/** The Python interpreter binary to time: MMSTATS_PYTHON, else pyenv's 3.11.7 if present, else `python3`'s own binary. */
export function pythonBinary() {
  if (process.env.MMSTATS_PYTHON) return process.env.MMSTATS_PYTHON;
  const pyenv = '/root/.pyenv/versions/3.11.7/bin/python3';
  if (existsSync(pyenv)) return pyenv;
  return execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
}

/**
 * The environment that runs Python mmstats (PYTHONPATH set), building it first if needed.
 * Throws an Error saying why when it cannot be had.
 */
export function pythonMmstats() {
  const dir = process.env.MMSTATS_PY ?? '/tmp/mmpy';
  if (!existsSync(join(dir, 'mmstats'))) {
    const repo = process.env.MMSTATS_PY_REPO ?? '/work/.mirror/schmichael+mmstats/repo';
    if (!existsSync(repo)) throw new Error('no Python mmstats: set MMSTATS_PY, or MMSTATS_PY_REPO to a git copy of schmichael/mmstats');
    const built = spawnSync(pythonBinary(), [join(tools, 'mmpy.py'), repo, dir], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`building Python mmstats failed: ${built.stderr.trim()}`);
  }
  return { ...process.env, PYTHONPATH: dir };
}

/** A directory of `count` Python-written stats files (make1k.py), made once under /tmp. Throws like {@link pythonMmstats}. */
export function pythonFiles(count = 1000) {
  const env = pythonMmstats();
  const dir = `/tmp/mmstats-bench-py${count}`;
  if (!existsSync(join(dir, `f${String(count - 1).padStart(4, '0')}.mmstats`))) {
    const made = spawnSync(pythonBinary(), [join(tools, 'make1k.py'), dir, String(count)], { env, encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`make1k.py failed: ${made.stderr.trim()}`);
  }
  return dir;
}
