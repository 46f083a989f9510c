/**
 * What a polled column shows: a counter's change, a gauge's value, or a statistic of a v2
 * composite value (a histogram's p99, a window's rate...), chosen from the record's kind and
 * the column's selector (`latency:p90`).
 *
 * Format v2 records say their kind (spec/format-v2.md#kinds). Format v1 stores no such thing,
 * so a v1 field's kind is the reader's guess (`inferV1Kind`: a double-buffered `Q` or `L` is a
 * counter, everything else a gauge), overridable per field with `--counter` / `--gauge`.
 *
 * @module
 */
import type { StatsField } from '@mmstats/reader';

/** How `mmstats poll` shows a scalar field: its change per interval, or its current value. */
export type FieldKind = 'counter' | 'gauge';

/** Per-field overrides of the default kind, by field name as typed or by full label. */
export interface KindOverrides {
  /** Fields to show as counters whatever their kind. Default none. */
  readonly counters?: readonly string[];
  /** Fields to show as gauges whatever their kind. Default none. */
  readonly gauges?: readonly string[];
}

/** One polled column as typed in FIELDS: `NAME`, `NAME{k=v,...}`, `NAME:SELECTOR`. */
export interface ColumnSpec {
  /** The text as typed: the column's header. */
  readonly name: string;
  /** `--prefix` + the text as typed: the column's key in `--json` output. */
  readonly key: string;
  /** The label read: `--prefix` + the name without dimensions and selector. */
  readonly label: string;
  /** v2 dimensions a record must have (`{}`: every record of the label, merged). */
  readonly dims: Readonly<Record<string, string>>;
  /** The selector after `:`, e.g. `p99`, `count`, `rate`; `undefined` for the kind's default. */
  readonly selector: string | undefined;
}

/** Selectors of histogram and timer columns. `pN` is any percentile, e.g. `p99.9`. */
export const HISTOGRAM_SELECTORS = ['pN', 'count', 'mean', 'max', 'min', 'sum'] as const;
/** Selectors of average columns. */
export const AVERAGE_SELECTORS = ['mean', 'count', 'sum'] as const;
/** Selectors of window columns. */
export const WINDOW_SELECTORS = ['rate', 'mean', 'count', 'sum'] as const;

/**
 * The default selector of each composite kind: a histogram or timer shows its p99 (the tail is
 * what an operator watches; `:p50`, `:count`... for the rest), an average its mean, a window
 * its rate per second.
 */
export const DEFAULT_SELECTORS = {
  /** Histograms and timers: the 99th percentile. */
  histogram: 'p99',
  /** Averages: the mean. */
  average: 'mean',
  /** Windows: values per second. */
  window: 'rate',
} as const;

/** How a column is shown, decided from the first record seen with its label. */
export interface ColumnShow {
  /**
   * `counter`: the change per interval (or per second with `--rate`) of a count, summed
   * file by file; `gauge`: the merged value; `stat`: a statistic of a merged composite value.
   */
  readonly mode: FieldKind | 'stat';
  /** The record's kind (`counter`, `timer`...; a v1 field's inferred kind). */
  readonly kind: string;
  /** The record's unit (`""` when none; always for v1). */
  readonly unit: string;
  /** For a composite value (histogram, timer, average, window): the selector in effect. */
  readonly selector?: string;
  /** Set when the selector does not fit the record (e.g. `requests:p99` on a counter): the column shows `-`. */
  readonly problem?: string;
}

/** One polled field: which records it reads (see {@link ColumnSpec}) and how it shows them. */
export interface PolledColumn extends ColumnSpec {
  /** How it is shown; `undefined` until a file with the label has been seen (then it counts as a gauge). */
  readonly show: ColumnShow | undefined;
}

/** Text after a `:` that is read as a selector (and must then be a known one): a word such as `p99.9`, `count`, `foo`. */
const SELECTOR_SHAPE = /^[A-Za-z][A-Za-z0-9_.]*$/;

/** `true` for `pN` with N a number above 0 and at most 100 (`p50`, `p99.9`, `p100`). */
function isPercentile(selector: string): boolean {
  if (!/^p\d+(?:\.\d+)?$/.test(selector)) return false;
  const percent = Number(selector.slice(1));
  return percent > 0 && percent <= 100;
}

/** `true` for a selector some composite kind has: any percentile ({@link isPercentile}) or a name in the lists above. */
function isKnownSelector(selector: string): boolean {
  return isPercentile(selector) || (selector !== 'pN' && [...HISTOGRAM_SELECTORS, ...AVERAGE_SELECTORS, ...WINDOW_SELECTORS].includes(selector as never));
}

/**
 * Why the FIELDS entry `text` cannot be polled, or `undefined` when it can: a selector that no
 * kind has (`latency:foo`, `latency:p1000`: percentiles are above 0 and at most 100).
 */
export function columnProblem(text: string): string | undefined {
  const { selector } = parseColumn(text);
  if (selector === undefined || isKnownSelector(selector)) return undefined;
  return `${text}: unknown selector :${selector} (selectors: :pN with 0 < N <= 100, :count, :mean, :max, :min, :sum, :rate)`;
}

/**
 * Parses one FIELDS entry: `NAME`, `NAME{k=v,...}` (only the records with those dimensions),
 * `NAME:SELECTOR`, or both. A word after the last `:` (outside the braces) is a selector
 * (`p50`, `p99.9`, `count`, `mean`, `max`, `min`, `sum`, `rate`; {@link columnProblem} refuses
 * others); a `:` followed by anything else is part of the name. A label that itself ends in
 * `:word` is named with empty braces: `host:port{}`.
 */
export function parseColumn(text: string, prefix = ''): ColumnSpec {
  let rest = text;
  let selector: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > 0 && colon > rest.lastIndexOf('}') && SELECTOR_SHAPE.test(rest.slice(colon + 1))) {
    selector = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const dims: Record<string, string> = {};
  const brace = /^(.*)\{([^{}]*)\}$/su.exec(rest);
  if (brace !== null) {
    rest = brace[1]!;
    for (const pair of brace[2]!.split(',').filter((p) => p.trim() !== '')) {
      const at = pair.indexOf('=');
      if (at > 0) dims[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
    }
  }
  return { name: text, key: prefix + text, label: prefix + rest, dims, selector };
}

/** `true` when `field` is one of the records `column` reads: its label, and every dimension the column names. */
export function columnSelects(column: ColumnSpec, field: Pick<StatsField, 'label' | 'dims'>): boolean {
  if (field.label !== column.label) return false;
  for (const [key, value] of Object.entries(column.dims)) if (field.dims[key] !== value) return false;
  return true;
}

/** The composite shape of a field by its value's encoding: `histogram`, `average`, `window`, or `undefined` for scalars and text. */
function compositeOf(field: Pick<StatsField, 'type' | 'version'>): keyof typeof DEFAULT_SELECTORS | undefined {
  if (field.version !== 2) return undefined;
  return field.type === 'histogram' || field.type === 'average' || field.type === 'window' ? field.type : undefined;
}

/**
 * How `column` is shown, given the first record seen with its label:
 * - a composite value (histogram, timer, average, window): the selector, or the kind's
 *   default ({@link DEFAULT_SELECTORS}); a count (`:count` of a histogram or an average) is
 *   shown as a counter, the rest as statistics;
 * - a scalar: an override naming the column (by name as typed or by label) wins (`gauges`
 *   over `counters`), else `counter` when the record's kind is `counter` (v1: the reader's
 *   `inferV1Kind`), else `gauge` (gauges, text, info, unknown kinds).
 */
export function showOf(column: ColumnSpec, field: StatsField, overrides: KindOverrides = {}): ColumnShow {
  const names = (list: readonly string[] | undefined): boolean =>
    list?.some((n) => n === column.name || n === column.label || n === column.label + (column.selector ? `:${column.selector}` : '')) ?? false;
  const base = { kind: field.kind, unit: field.unit };
  const composite = compositeOf(field);
  if (composite === undefined) {
    const mode: FieldKind = names(overrides.gauges) ? 'gauge' : names(overrides.counters) ? 'counter' : field.kind === 'counter' ? 'counter' : 'gauge';
    if (column.selector !== undefined) return { ...base, mode, problem: `${column.name}: a ${field.kind} has no :${column.selector}; selectors are for histograms, timers, averages and windows` };
    return { ...base, mode };
  }
  const selector = column.selector ?? DEFAULT_SELECTORS[composite];
  const allowed: readonly string[] = composite === 'histogram' ? HISTOGRAM_SELECTORS : composite === 'average' ? AVERAGE_SELECTORS : WINDOW_SELECTORS;
  const known = allowed.includes(selector) || (composite === 'histogram' && isPercentile(selector));
  if (!known) return { ...base, mode: 'stat', selector, problem: `${column.name}: a ${field.kind} has no :${selector} (it has ${allowed.join(', ')})` };
  const counts = selector === 'count' && composite !== 'window' && !names(overrides.gauges);
  return { ...base, mode: counts ? 'counter' : 'stat', selector };
}
