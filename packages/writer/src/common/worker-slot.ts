/**
 * Worker slots (spec/files.md#worker-slot): the lowest index no live writer of the same
 * service holds in the directory, claimed with a hidden claim file `link`ed into place, so that
 * a restarted worker carries on as `worker="3"` instead of as a new pid.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// The subpath, not the reader's index: the writer's start-up loads only the liveness rules.
import { UNKNOWN_BOOT_ID } from '@mmstats/format';
import { judgeWriter, observer, type WriterInfo } from '@mmstats/reader/writer-info';
import { isLiveThread } from './thread-id.js';

/** The most slots a writer looks through before giving up (a bound, not a limit anyone should meet). */
export const MAX_SLOTS = 4096;

/** What a claim file holds (spec/files.md#worker-slot). */
interface Claim {
  readonly pid: number;
  /** The claiming thread (Linux `gettid`); absent in claims written before it was added. */
  readonly tid?: number;
  readonly processStart: number;
  readonly pidNs: string;
  readonly bootId: string;
  readonly token: string;
}

/** A slot this process holds: its index, and how to give it back. */
export interface WorkerSlot {
  /** The index, from 0. */
  readonly index: number;
  /** Removes the claim if it is still this writer's (same token); never throws. */
  release(): void;
}

/** Who claims: this process. */
export interface Claimant {
  readonly pid: number;
  /** The OS thread: a claim of this process whose thread is gone is a dead one (a `worker_thread` that crashed). */
  readonly tid: number;
  readonly processStart: number;
  readonly pidNs: bigint;
  readonly bootId: string;
}

/**
 * Claims the lowest free slot of service `name` in `dir` (spec/files.md#worker-slot): tries each
 * index's claim file with `link`, takes over claims whose holder is dead by the liveness rules,
 * and skips those of live (or unjudgeable) holders.
 *
 * @throws Error (with the system error's code) when no claim file can be written in `dir`, or
 *   no slot is free among {@link MAX_SLOTS}
 */
export function claimWorkerSlot(dir: string, name: string, who: Claimant): WorkerSlot {
  const claim: Claim = { pid: who.pid, tid: who.tid, processStart: who.processStart, pidNs: who.pidNs.toString(), bootId: who.bootId, token: randomBytes(8).toString('hex') };
  const text = `${JSON.stringify(claim)}\n`;
  const temporary = join(dir, `.${name}.slot.${claim.token}.tmp`);
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    writeFileSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    const seen = observer();
    for (let index = 0; index < MAX_SLOTS; index++) {
      const path = join(dir, `.${name}.slot-${index}.claim`);
      // Twice at most: once more after a dead holder's claim was moved away.
      for (let attempt = 0; attempt < 2; attempt++) {
        if (tryLink(temporary, path)) return { index, release: () => releaseClaim(path, claim.token) };
        const holder = readClaim(path);
        if (holder === 'gone') continue; // released meanwhile: try the link again
        if (holder === undefined || !holderGone(holder, claim, seen)) break;
        if (!takeOver(path, holder.token, dir)) break;
      }
    }
    throw new Error(`no free worker slot among ${MAX_SLOTS} in ${dir}`);
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // Already gone: nothing to tidy.
    }
  }
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The claim at `path`: `'gone'` when there is none, `undefined` when it is not one this writer can judge (another user's, not a regular file, not JSON). */
function readClaim(path: string): Claim | 'gone' | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.uid !== process.geteuid?.() || stats.size > 1024) return undefined;
    const parsed = JSON.parse(readFileSync(fd, 'utf8')) as Partial<Claim>;
    const ok = Number.isSafeInteger(parsed.pid) && (parsed.tid === undefined || Number.isSafeInteger(parsed.tid)) && typeof parsed.processStart === 'number' && typeof parsed.pidNs === 'string' && /^\d+$/.test(parsed.pidNs) && typeof parsed.bootId === 'string' && typeof parsed.token === 'string';
    return ok ? (parsed as Claim) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether the writer of claim `holder` is gone: a thread of this very process by whether that
 * thread still runs (its process is alive: this one), any other by the liveness rules.
 */
function holderGone(holder: Claim, own: Claim, seen: ReturnType<typeof observer>): boolean {
  const sameProcess = holder.pid === own.pid && holder.pidNs === own.pidNs && holder.bootId === own.bootId && Math.abs(holder.processStart - own.processStart) <= 5;
  if (sameProcess && holder.tid !== undefined) return isLiveThread(holder.tid) === false;
  return judgeWriter(claimInfo(holder), 2, seen).gone;
}

/** The claim as the liveness rules read a v2 header (spec/files.md#liveness). */
function claimInfo(claim: Claim): WriterInfo {
  const pidNs = BigInt(claim.pidNs);
  return {
    pid: claim.pid,
    processStart: claim.processStart,
    ...(pidNs > 0n ? { pidNs } : {}),
    ...(claim.bootId === UNKNOWN_BOOT_ID ? {} : { bootId: claim.bootId }),
  };
}

/**
 * Moves the dead claim `token` away from `path` and removes it. `false` when what was moved was
 * another writer's newer claim (it is linked back) or nothing could be moved.
 */
function takeOver(path: string, token: string, dir: string): boolean {
  const aside = join(dir, `.stale.${randomBytes(8).toString('hex')}.claim`);
  try {
    renameSync(path, aside);
  } catch {
    return true; // gone meanwhile: the link can be tried again
  }
  const moved = readClaim(aside);
  if (moved !== 'gone' && moved !== undefined && moved.token !== token) {
    // Another writer took it over first: give its claim back.
    tryLink(aside, path);
    unlinkSync(aside);
    return false;
  }
  unlinkSync(aside);
  return true;
}

function releaseClaim(path: string, token: string): void {
  try {
    const holder = readClaim(path);
    if (holder !== 'gone' && holder?.token === token) unlinkSync(path);
  } catch {
    // Left for the next writer, which takes over a claim whose holder is gone.
  }
}
