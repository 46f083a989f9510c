/**
 * Where the Node integrations (`@mmstats/writer/runtime`, `@mmstats/writer/http`) put their
 * records: a v2 stats file the application already opened, a {@link StatsBuilder} it has not
 * opened yet, or a file of their own.
 *
 * @module
 */
import type { HistogramParams } from '@mmstats/format';
import { StatsBuilder } from '../builder.js';
import type { FieldDef } from '../common/field-def.js';
import type { OpenOptions } from '../common/file-options.js';
import type { StatsFileV2 } from '../v2/stats.js';

/**
 * A v2 stats file opened by the application (`Model.open()`, `StatsBuilder.open()`), or a v2
 * {@link StatsBuilder} not opened yet (its records are carried into the file at `open()`).
 * Records are added to it at run time (spec/format-v2.md#publication).
 */
export type StatsTarget = StatsFileV2 | StatsBuilder<2>;

/**
 * The bucket parameters of every duration the integrations record (event-loop delay, GC
 * pauses, HTTP latency): `k = 4` (3.125 % relative error), from `2^−20` s (about 1 µs) to
 * `2^8` s (256 s). 450 buckets, 3.6 KB per record, a quarter of the writer's default timer:
 * the same parameters in every process, so the files merge (spec/format-v2.md#merge).
 */
export const SECONDS_BUCKETS: Readonly<HistogramParams> = Object.freeze({ k: 4, minExp: -20, maxExp: 8 });

/** Adds a record to `target`, open or not. */
export function addRecord<H>(target: StatsTarget, name: string, def: FieldDef<H, unknown>): H {
  return target instanceof StatsBuilder ? (target.add(name, def) as H) : target.add(name, def);
}

/**
 * Opens a v2 file of the integration's own, named `{CMD}-{PID}-{TID}.<suffix>.mmstats` unless
 * `options.filename` says otherwise (so it never collides with the application's own
 * `{CMD}-{PID}-{TID}.mmstats`), with the default model's `org.nodejs.version` record.
 */
export function openOwnFile(suffix: string, options: Omit<OpenOptions<2>, 'format'> = {}): StatsFileV2 {
  return new StatsBuilder({ labelPrefix: options.labelPrefix ?? '' }).open({ filename: `{CMD}-{PID}-{TID}.${suffix}.mmstats`, ...options });
}
