/**
 * When each odd sequence word was first seen, so that a record a dead writer left odd is
 * watched for its 10 ms once (spec/format-v2.md#seqlock: not *stuck* before `seq` stayed odd
 * and unchanged that long), not again on every read of every request.
 *
 * One table for the process, shared by one-shot reads and live views: a key names the file
 * (device, inode, `file_id`) and the record (its value offset), so a file replaced under the
 * same path, or a `seq` that moved, starts a fresh watch.
 *
 * @internal
 * @module
 */

/** A record's odd `seq` and when this process first saw it so (`performance.now()` milliseconds). */
interface Sighting {
  readonly seq: number;
  readonly since: number;
}

/** Bounded, so that files full of odd records cannot grow it without end; the oldest go first. */
const MAX_SIGHTINGS = 100_000;

const sightings = new Map<string, Sighting>();

/**
 * The time `seq` (odd) was first seen at `key`, recording `now` when it was not, or when the
 * record was last seen with another `seq`.
 *
 * @internal
 */
export function oddSince(key: string, seq: number, now: number): number {
  const seen = sightings.get(key);
  if (seen !== undefined && seen.seq === seq) return seen.since;
  if (seen === undefined && sightings.size >= MAX_SIGHTINGS) sightings.delete(sightings.keys().next().value!);
  sightings.set(key, { seq, since: now });
  return now;
}

/**
 * `false` when no odd `seq` is being watched: a reader then need not name a record (make its
 * key) to forget it.
 *
 * @internal
 */
export function anyOddSightings(): boolean {
  return sightings.size > 0;
}

/**
 * Forgets `key`: its `seq` moved, so the writer lives.
 *
 * @internal
 */
export function forgetOdd(key: string): void {
  sightings.delete(key);
}
