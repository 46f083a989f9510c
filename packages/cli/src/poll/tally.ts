/**
 * Summing polled fields over files and working out how much counters grew.
 *
 * A counter's change is summed file by file, each file against its own previous reading,
 * rather than as "this sum minus the last sum": a worker that leaves takes its count with it
 * and a worker that joins brings its count along, and neither must show as a burst of
 * negative or positive traffic. A file first seen this tick has nothing to compare with and
 * adds nothing to the change (it does add to the total); a counter that went down (its file
 * was recreated) counts from zero, as Prometheus' `rate()` treats a reset.
 *
 * @module
 */
import type { Value } from '@mmstats/format';
import { aggregate } from '@mmstats/reader';
import type { FieldKind } from './field-kinds.js';

/** One file's values of the polled labels at one tick. */
export interface FileReading {
  /**
   * Names this file for the change computation. A file re-opened because it was replaced must
   * get a new id: its counters start over.
   */
  readonly id: string;
  /** The file's value of each polled label it has. */
  readonly values: ReadonlyMap<string, Value>;
}

/** A polled column: the label and how it is shown. */
export interface TallyColumn {
  /** The full label, prefix included. */
  readonly label: string;
  /** `counter` columns get a change; `gauge` columns only a total. */
  readonly kind: FieldKind;
}

/** One column's result for one tick. */
export interface ColumnTally {
  /**
   * The sum over the files that have the label (booleans count 1, 64-bit integers stay exact
   * bigints); for a string field, the first file's string; `null` when no file has it.
   */
  readonly total: Value | null;
  /**
   * For a counter, how much it grew since the previous tick, summed file by file; `null` for a
   * gauge and on the first tick.
   */
  readonly change: number | bigint | null;
}

/** Keeps each file's previous counter values between ticks. */
export class Tally {
  #previous = new Map<string, Map<string, number | bigint>>();
  #ticks = 0;

  /** Combines one tick's `readings` into a result per column, and remembers them for the next tick. */
  add(readings: readonly FileReading[], columns: readonly TallyColumn[]): ColumnTally[] {
    const first = this.#ticks++ === 0;
    const next = new Map<string, Map<string, number | bigint>>();
    const result = columns.map((column): ColumnTally => {
      const values = readings.flatMap((reading) => {
        const value = reading.values.get(column.label);
        return value === undefined ? [] : [value];
      });
      const total = values.length === 0 ? null : (aggregate(values, 'sum') ?? aggregate(values, 'one'));
      if (column.kind === 'gauge') return { total, change: null };
      let change: number | bigint = 0;
      for (const reading of readings) {
        const now = numeric(reading.values.get(column.label));
        if (now === undefined) continue;
        let seen = next.get(reading.id);
        if (seen === undefined) next.set(reading.id, (seen = new Map()));
        seen.set(column.label, now);
        const before = this.#previous.get(reading.id)?.get(column.label);
        if (before !== undefined) change = add(change, grown(before, now));
      }
      return { total, change: first ? null : change };
    });
    this.#previous = next;
    return result;
  }
}

function numeric(value: Value | undefined): number | bigint | undefined {
  if (typeof value === 'boolean') return Number(value);
  return typeof value === 'string' ? undefined : value;
}

/** How much a counter grew from `before` to `now`; after a reset (it went down), all of `now`. */
function grown(before: number | bigint, now: number | bigint): number | bigint {
  if (now < before) return now;
  return typeof now === 'bigint' && typeof before === 'bigint' ? now - before : Number(now) - Number(before);
}

function add(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a + b;
  // A running total starts as the number 0: switch to exact bigints as soon as one arrives.
  if (typeof b === 'bigint' && a === 0) return b;
  return Number(a) + Number(b);
}
