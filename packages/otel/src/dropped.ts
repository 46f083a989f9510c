/**
 * What the provider does when it cannot record something: it drops it, warns once, and never
 * throws into the application (spec/files.md#otel-invalid).
 *
 * @module
 */
import { NoticeCodes } from '@mmstats/format';

/** The code of the provider's warning (spec/errors.md#v2-notices): `MMSTATS-W204`. */
export const OTEL_DROPPED_WARNING = NoticeCodes.OTEL_DROPPED;

const warned = new WeakSet<object>();

/**
 * Warns (`process.emitWarning`, code {@link OTEL_DROPPED_WARNING}) that `what` was dropped
 * because of `error`, once per `about` (a callback, an instrument).
 */
export function warnDropped(about: object, what: string, error: unknown): void {
  if (warned.has(about)) return;
  warned.add(about);
  const why = error instanceof Error ? error.message : String(error);
  process.emitWarning(`${OTEL_DROPPED_WARNING} ${what} was dropped: ${why}; further failures of the same are not reported`, { type: 'MmstatsWarning', code: OTEL_DROPPED_WARNING });
}

/**
 * The handle given for an attribute set that could not become a record: every update does
 * nothing. It has the methods of every handle the instruments use.
 */
export const NO_RECORD = Object.freeze({
  incr(): void {},
  inc(): void {},
  set(): void {},
  observe(): void {},
  set value(_: number) {},
  get value(): number {
    return 0;
  },
});
