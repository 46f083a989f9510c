/**
 * Helpers shared by the writer's tests (not shipped: `*.test.*` is left out of the package).
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statfsSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStats } from '@mmstats/reader';
import { ErrorCodes, MmstatsError, decodeV2, type DecodedV2File, type V2Header, type V2Value, type Value } from '@mmstats/format';
import type { ExecutionContext } from 'ava';

/** A fresh temp directory, removed when the test ends. */
export function tempDir(t: ExecutionContext, prefix = 'mmstats-writer-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Reads a stats file through `@mmstats/reader` and returns label → value. */
export function readBack(path: string): Map<string, Value> {
  return new Map(readStats(path).fields.map((field) => [field.label, field.value as Value]));
}

/** Where two byte strings first differ, as `addr / found / wanted`, or `undefined` when equal. */
export function firstDifference(found: Uint8Array, wanted: Uint8Array): string | undefined {
  const length = Math.max(found.length, wanted.length);
  for (let addr = 0; addr < length; addr++) {
    if (found[addr] !== wanted[addr]) {
      const show = (b: number | undefined) => (b === undefined ? 'end of file' : `0x${b.toString(16).padStart(2, '0')}`);
      return `first differing byte: addr 0x${addr.toString(16)} (${addr}) / found ${show(found[addr])} / wanted ${show(wanted[addr])}`;
    }
  }
  return undefined;
}

/** A v2 file decoded by `@mmstats/format`: its header and label (with `{k=v}` dimensions) → value. */
export function readV2(path: string): { header: V2Header; values: Map<string, V2Value | undefined>; records: DecodedV2File['records'] } {
  const decoded = decodeV2(new Uint8Array(readFileSync(path)));
  if (!decoded.ok) throw decoded.error;
  const values = new Map(decoded.value.records.map((r) => [r.dims.length === 0 ? r.label : `${r.label}{${r.dims.map(([k, v]) => `${k}=${v}`).join(',')}}`, r.value]));
  return { header: decoded.value.header, values, records: decoded.value.records };
}

/**
 * The symbolic-link rule of spec/files.md#creation, for either format: a link to a file at the
 * target path, and a dangling one, are both refused with SYMLINK_REFUSED naming the path; the
 * linked file keeps its bytes and nothing is created through the dangling link. `open` opens a
 * model with `{ path: dir, filename }`. Returns the first refusal and the paths, for the
 * format's own checks.
 */
export function checkSymlinksRefused(
  t: ExecutionContext,
  open: (dir: string, filename: string) => unknown,
): { error: MmstatsError; dir: string; link: string; victim: string } {
  const dir = tempDir(t);
  const victim = join(dir, 'victim.txt');
  const link = join(dir, 'stats.mmstats');
  writeFileSync(victim, 'precious');
  symlinkSync(victim, link);
  const error = t.throws(() => open(dir, 'stats.mmstats'), { instanceOf: MmstatsError });
  t.is(error.code, ErrorCodes.SYMLINK_REFUSED);
  t.is(error.path, link);
  t.is(readFileSync(victim, 'utf8'), 'precious');
  // A dangling link is refused too: O_EXCL never creates through it.
  symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.mmstats'));
  t.throws(() => open(dir, 'dangling.mmstats'), { code: ErrorCodes.SYMLINK_REFUSED });
  t.false(existsSync(join(dir, 'nowhere')));
  return { error, dir, link, victim };
}

/**
 * Runs `fn` with the process umask at 0, so a file's mode is exactly what the writer asked for
 * (with the usual 022, a writer asking for 0666 would still show 0644). Synchronous: no other
 * test of the file runs in between.
 */
export function withoutUmask<T>(fn: () => T): T {
  const old = process.umask(0);
  try {
    return fn();
  } finally {
    process.umask(old);
  }
}

/**
 * What a test does when this machine lacks a facility it needs (root, `mount`, `useradd`...):
 * under CI (`CI=true`, where everything is there) the test fails; elsewhere it logs why and
 * passes without checking anything. Returns `false`.
 */
export function lacking(t: ExecutionContext, what: string, why: unknown): false {
  const reason = `needs ${what}: ${why instanceof Error ? why.message : String(why)}`;
  if (process.env['CI'] === 'true') t.fail(reason);
  else {
    t.log(`skipped: ${reason}`);
    t.pass();
  }
  return false;
}

/**
 * A fresh tmpfs of `bytes` on a new temp directory, unmounted and removed when the test ends,
 * filled with one `filler` file so that only `free` bytes are left (both whole pages).
 * `undefined` when it cannot be mounted here (see {@link lacking}).
 */
export function nearlyFullTmpfs(t: ExecutionContext, bytes: number, free: number): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'mmstats-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    lacking(t, 'root and mount -t tmpfs', error);
    return undefined;
  }
  t.teardown(() => {
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  const { bavail, bsize } = statfsSync(dir);
  writeFileSync(join(dir, 'filler'), new Uint8Array(bavail * bsize - free));
  const left = statfsSync(dir);
  if (left.bavail * left.bsize !== free) throw new Error(`the tmpfs has ${left.bavail * left.bsize} bytes free, not ${free}`);
  return dir;
}
