/**
 * The cap on the distinct dimension sets of each label of a v2 file, and its overflow records
 * (spec/files.md#cardinality): past the limit, a record with a new dimension set is not added;
 * its updates go to the label's one overflow record (`otel.metric.overflow` = `true`), and the
 * sets folded into it are counted in `mmstats.cardinality_overflow{label}`.
 *
 * @module
 */
import { MmstatsError, type V2RecordPlan } from '@mmstats/format';

/** Distinct dimension sets a label may have before new ones overflow, by default: 2000, OpenTelemetry's default cardinality limit. */
export const DEFAULT_CARDINALITY_LIMIT = 2000;

/** The one dimension of an overflow record, OpenTelemetry's overflow attribute (spec/files.md#overflow-record). */
export const OVERFLOW_DIMENSION = 'otel.metric.overflow';

/** The counter of dimension sets folded into overflow records, one per label (spec/files.md#overflow-count). */
export const CARDINALITY_OVERFLOW_LABEL = 'mmstats.cardinality_overflow';

/** Dimension sets remembered per overflowing label, as multiples of the limit: each counts once; past this, every overflowing `add()` counts. */
const REMEMBERED_PER_LIMIT = 10;

/** The key that tells a file's records apart: the label and the dimensions, sorted. */
export function recordKey(plan: Pick<V2RecordPlan, 'label' | 'dims'>): string {
  return JSON.stringify([plan.label, plan.dims]);
}

/** A label's overflow record, what it was planned as, and the count of what it holds. */
interface Overflow {
  readonly handle: unknown;
  readonly plan: V2RecordPlan;
  readonly count: { incr(): void };
  readonly folded: Set<string>;
}

/** The dimension sets of a file's labels, and the labels' overflow records. */
export class DimensionSets {
  readonly #limit: number;
  readonly #perLabel = new Map<string, number>();
  readonly #overflows = new Map<string, Overflow>();

  /**
   * @param limit - distinct dimension sets per label (spec/files.md#cardinality-limit)
   * @param keys - the {@link recordKey}s of the records the file has already
   */
  constructor(limit: number, keys: Iterable<string>) {
    this.#limit = limit;
    for (const key of keys) this.added((JSON.parse(key) as [string])[0]);
  }

  /** Counts a record added for `label`. */
  added(label: string): void {
    this.#perLabel.set(label, (this.#perLabel.get(label) ?? 0) + 1);
  }

  /** `true` when `label` has as many dimension sets as the limit: a new one overflows. */
  atLimit(label: string): boolean {
    return (this.#perLabel.get(label) ?? 0) >= this.#limit;
  }

  /**
   * The overflow record's handle for a record planned as `plan`, whose dimension set (`key`)
   * the file does not have: the label's, or at its first overflow the one `open()` adds. The set
   * is counted in the overflow count once.
   *
   * @throws MmstatsError INVALID_FIELD when `plan` differs from the overflow record in kind,
   *   encoding, parameters, unit or merge rule: unlike values are not folded together
   */
  overflow<H>(plan: V2RecordPlan, key: string, open: () => { handle: H; count: { incr(): void } }): H {
    let overflow = this.#overflows.get(plan.label);
    if (overflow === undefined) {
      const opened = open();
      overflow = { handle: opened.handle, plan, count: opened.count, folded: new Set() };
      this.#overflows.set(plan.label, overflow);
    } else if (!sameValues(overflow.plan, plan)) {
      throw new MmstatsError(
        'INVALID_FIELD',
        `record ${JSON.stringify(plan.label)} is past its cardinality limit of ${this.#limit} dimension sets, and its overflow record holds another kind of value (kind, encoding, parameters, unit or merge rule differ)`,
      );
    }
    const { folded } = overflow;
    if (!folded.has(key)) {
      if (folded.size < REMEMBERED_PER_LIMIT * this.#limit) folded.add(key);
      overflow.count.incr();
    }
    return overflow.handle as H;
  }
}

/** Whether records planned as `a` and `b` hold the same kind of value. */
function sameValues(a: V2RecordPlan, b: V2RecordPlan): boolean {
  return a.kind === b.kind && a.encoding === b.encoding && a.merge === b.merge && a.unit === b.unit && a.params.every((p, i) => p === b.params[i]);
}
