// Snapshots made by hand for the exposition tests: renderMetrics reads labels, kinds, units,
// help, dimensions, values and the header's pid, and no layout.
import type { V2Header, V2RecordLayout, V2Value } from '@mmstats/format';
import type { StatsSnapshot, V2StatsField } from '@mmstats/reader';

/** One record of {@link snapshotV2}. */
export interface V2Spec {
  label: string;
  kind: string;
  value: V2Value;
  unit?: string;
  help?: string;
  dims?: Record<string, string>;
}

/** A v2 snapshot made by hand, its header saying `pid`. */
export function snapshotV2(path: string, pid: number, records: V2Spec[]): StatsSnapshot {
  const header = { version: 2, pid, tid: 1n, created: 1_700_000_000, processStart: 1_700_000_000, heartbeat: 0 } as unknown as V2Header;
  const field = (spec: V2Spec): V2StatsField => ({
    version: 2,
    label: spec.label,
    kind: spec.kind,
    unit: spec.unit ?? '',
    help: spec.help ?? '',
    dims: spec.dims ?? {},
    merge: 'sum',
    type: typeof spec.value === 'object' ? ('buckets' in spec.value ? 'histogram' : 'positive' in spec.value ? 'exphistogram' : 'slots' in spec.value ? 'window' : 'average') : typeof spec.value === 'string' ? 'text' : 'f64',
    value: spec.value,
    layout: undefined as unknown as V2RecordLayout,
  });
  return { path, version: 2, header, notices: [], fields: records.map(field) };
}
