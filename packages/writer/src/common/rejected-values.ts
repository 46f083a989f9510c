/**
 * Values an update cannot take (spec/files.md#bad-values): NaN, ±Infinity, something that is
 * not a number (a string, `undefined` passed explicitly), a negative count step, a text that
 * is not a string. The update is ignored, so a field never becomes NaN for good nor goes the
 * wrong way, and nothing is thrown into the app (an exception out of `incr()` would be the
 * app dying because of its metrics); each such value is counted on its handle (`rejected`)
 * and, in a v2 file, in the record `mmstats.rejected_values`, added at the first one; the
 * first one of each field gives a warning (`MMSTATS-W203`) naming the field.
 *
 * @module
 */
import { NoticeCodes } from '@mmstats/format';

/** The code of the warning given at a field's first rejected value: `NoticeCodes.REJECTED_VALUE`. */
export const REJECTED_VALUE_WARNING = NoticeCodes.REJECTED_VALUE;

/** The label of the v2 record that counts a file's rejected values (never prefixed). */
export const REJECTED_VALUES_LABEL = 'mmstats.rejected_values';

/** What a kind of field takes, for the warning. */
export const TAKES = {
  count: 'a count step or count: a finite number ≥ 0 (or a bigint ≥ 0 where bigints are taken)',
  number: 'a finite number',
  float: 'a number',
  integer: 'a finite number or a bigint',
  boolean: 'a boolean',
  string: 'a string',
} as const;

/** Where a file counts the rejected values of its fields. */
export interface RejectSink {
  /** The file's path, for the warning. */
  readonly path: string;
  /** Counts one rejected value. Never throws. */
  count(): void;
}

/** Package-internal: tells a handle which file counts its rejected values. */
export const rejectsTo = Symbol('mmstats.rejectsTo');

/** `true` for a number that is neither NaN nor ±Infinity (and not some other type). */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && value - value === 0;
}

/** The rejected values of one handle: counted, the first one warned about. */
export class Rejections {
  /** How many values were rejected. */
  count = 0;
  /** The file that also counts them, while the handle is in one. */
  sink: RejectSink | undefined = undefined;
  readonly #label: string;

  /** @param label - the field's full label */
  constructor(label: string) {
    this.#label = label;
  }

  /** Counts `value`, which the field (taking `takes`) ignored; warns the first time. Never throws. */
  reject(value: unknown, takes: string): void {
    this.count += 1;
    this.sink?.count();
    if (this.count !== 1) return;
    const where = this.sink === undefined ? '' : `${this.sink.path}: `;
    process.emitWarning(
      `${where}${REJECTED_VALUE_WARNING} field ${JSON.stringify(this.#label)} ignored ${describe(value)}: it takes ${takes}; further bad values of this field are counted (its handle's \`rejected\`, and ${REJECTED_VALUES_LABEL} in a v2 file) without another warning`,
      { type: 'MmstatsWarning', code: REJECTED_VALUE_WARNING },
    );
  }
}

/** A bad value in words, without calling anything of it (its `toString` could throw). */
function describe(value: unknown): string {
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return String(value);
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'undefined':
      return 'undefined';
    default:
      return value === null ? 'null' : `a value of type ${typeof value}`;
  }
}
