/**
 * Counts of what keeps the event loop alive, by type and in total, as prom-client's
 * `nodejs_active_{handles,requests,resources}` and their `_total` gauges.
 *
 * @module
 */
import { gauge } from '../fields.js';
import type { GaugeV2 } from '../v2/scalars.js';
import type { AddRecord } from './event-loop.js';

/** The undocumented handle and request lists prom-client counts (absent in some runtimes). */
interface ProcessInternals {
  readonly _getActiveHandles?: () => unknown[];
  readonly _getActiveRequests?: () => unknown[];
}

/**
 * What one family counts: its label, prom-client's help texts, and the type of each current
 * item (`undefined` for an item of no type, counted only in the total; the list itself
 * `undefined` when this runtime cannot tell).
 */
interface Family {
  readonly label: string;
  readonly help: string;
  readonly totalHelp: string;
  readonly types: () => (string | undefined)[] | undefined;
}

const internals = process as unknown as ProcessInternals;

/** prom-client's grouping: an object's constructor name. */
function constructorNames(list: unknown[]): (string | undefined)[] {
  return list.map((item) => (item !== null && typeof item === 'object' && item.constructor !== undefined ? item.constructor.name : undefined));
}

const FAMILIES: readonly Family[] = [
  {
    label: 'nodejs.active_handles',
    help: 'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
    totalHelp: 'Total number of active handles.',
    types: () => (internals._getActiveHandles === undefined ? undefined : constructorNames(internals._getActiveHandles())),
  },
  {
    label: 'nodejs.active_requests',
    help: 'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
    totalHelp: 'Total number of active requests.',
    types: () => (internals._getActiveRequests === undefined ? undefined : constructorNames(internals._getActiveRequests())),
  },
  {
    label: 'nodejs.active_resources',
    help: 'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
    totalHelp: 'Total number of active resources.',
    types: () => (typeof process.getActiveResourcesInfo === 'function' ? process.getActiveResourcesInfo() : undefined),
  },
];

/**
 * Adds, for handles, requests and resources, `LABEL_total` (gauge: how many there are) and
 * `LABEL{type}` (gauges, one per type seen, added when the type first appears and 0 once it is
 * gone), `LABEL` being `nodejs.active_handles`, `nodejs.active_requests`,
 * `nodejs.active_resources`. The totals are gauges despite the name, as in prom-client; a
 * family this runtime cannot count gets no records.
 *
 * @returns a function that refreshes every count
 */
export function addActiveResourceRecords(add: AddRecord): () => void {
  const counters = FAMILIES.filter((family) => family.types() !== undefined).map((family) => ({
    family,
    total: add(`${family.label}_total`, gauge({ help: family.totalHelp })),
    byType: new Map<string, GaugeV2>(),
  }));
  return () => {
    for (const { family, total, byType } of counters) {
      const types = family.types() ?? [];
      total.value = types.length;
      const counts = new Map<string, number>();
      for (const type of types) if (type !== undefined) counts.set(type, (counts.get(type) ?? 0) + 1);
      for (const [type, record] of byType) if (!counts.has(type)) record.value = 0;
      for (const [type, count] of counts) {
        let record = byType.get(type);
        if (record === undefined) {
          record = add(family.label, gauge({ dims: { type }, help: family.help }));
          byType.set(type, record);
        }
        record.value = count;
      }
    }
  };
}
