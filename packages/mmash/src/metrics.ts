/**
 * The `/metrics` exposition. v2 records keep their kind: counters are Prometheus counters,
 * histograms and timers classic histograms, averages summaries, windows gauges of their rate
 * and mean; v1 fields are gauges. Strings become info series. Every series is one file's, with
 * the writing process's `pid` and the `file` as labels, plus the record's dimensions.
 *
 * @module
 */
import { type HistogramParams, type HistogramValue, isHistogramValue, isWindowValue, type V2Value, windowStats } from '@mmstats/format';
import { writerInfo, type StatsField, type StatsSnapshot } from '@mmstats/reader';
import type { MetricsFormat } from './content-negotiation.js';
import { dimensionLabelName, familyName, metricName, unitSuffix } from './metric-names.js';

/** Options of {@link renderMetrics}. */
export interface MetricsOptions {
  /**
   * Expose v1 fields that the reader's `inferV1Kind` takes for counters (double-buffered `Q`
   * or `L`, what Python's `CounterField` writes) as Prometheus counters (`<name>_total`)
   * instead of gauges. Default `false`: v1 cannot tell a `CounterField` from a `UInt64Field`
   * (both are buffered `Q`), and a gauge exposed as a counter turns every decrease into a
   * counter reset for `rate()`; the names of v1 series also stay what they were.
   */
  readonly v1Counters?: boolean;
  /** The time windows are evaluated at, Unix seconds; default now. */
  readonly now?: number;
  /**
   * The files that matched but could not be read (their coded errors), so that a scrape that
   * missed files says so (spec/errors.md#partial-answers): when given, the exposition ends
   * with `mmstats_files_read` (the snapshots rendered) and `mmstats_read_errors{code="…"}`
   * (how many files failed with each code; no sample when none did), both gauges. Default:
   * neither series.
   */
  readonly readErrors?: readonly {
    /** The error's stable code, e.g. `MMSTATS-E104` (spec/errors.md). */
    readonly code: string;
  }[];
}

/** The Prometheus types mmash exposes. */
type PromType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'info';

/** One sample group of one series: the value(s) of one record of one file. */
interface Entry {
  readonly fileLabels: string;
  readonly dimLabels: string;
  readonly mmstatsLabel: string;
  /** gauge/counter: the sample value; info: the text; histogram/summary: the value object. */
  readonly payload: string | HistogramValue | { sum: number; count: number };
}

interface Group {
  readonly type: PromType;
  /** The name as first proposed, before conflicts are resolved. */
  readonly wanted: string;
  readonly label: string;
  readonly parts: readonly string[];
  readonly unit: string;
  readonly helps: string[];
  readonly descriptions: Set<string>;
  readonly labels: Set<string>;
  readonly entries: Entry[];
  name?: string;
}

const TYPE_RANK: Readonly<Record<PromType, number>> = { counter: 0, gauge: 1, histogram: 2, summary: 3, info: 4 };
/**
 * What is put in a name that another family of a different type or unit already has (not the
 * type's own name, which `promtool check metrics` flags in a name).
 */
const TYPE_WORD: Readonly<Record<PromType, string>> = { counter: 'counted', gauge: 'value', histogram: 'distribution', summary: 'avg', info: 'text' };

/**
 * Renders `snapshots` in the exposition `format` (Prometheus text 0.0.4 or OpenMetrics 1.0.0).
 *
 * Format v2 records, by kind (spec/format-v2.md#kinds):
 * - `counter`: `TYPE counter`, sample `<name>_total`;
 * - `gauge`, numeric `info` and unknown kinds with a scalar value: `TYPE gauge`;
 * - `histogram`, `timer`: classic histograms, `<name>_bucket{le="…"}` (cumulative),
 *   `<name>_sum`, `<name>_count`, with a fixed `le` set per bucket scheme ({@link histogramLeSet});
 * - `average`: `TYPE summary` with `<name>_sum` and `<name>_count` and no quantiles
 *   (`rate(x_sum[5m]) / rate(x_count[5m])` is the mean of the period);
 * - `window`: two gauges computed at scrape time (spec/format-v2.md#enc-window),
 *   `<name>_rate` (values added per second over the window) and `<name>_mean` (their mean,
 *   `NaN` when none), in the record's unit;
 * - `text` and text `info`: info series, as for v1 strings.
 *
 * Names follow `familyName` (the unit at the end unless the label already ends with it,
 * `_total` for counters); HELP is the record's help (else a description of the label). With
 * OpenMetrics, families with a unit have a `# UNIT` line. The record's dimensions become
 * labels (keys by `dimensionLabelName`). Records whose value could not be read
 * (`MMSTATS-E014`, `MMSTATS-E013`) are left out of that scrape.
 *
 * Format v1 fields keep their names (`metricName`) and are gauges (booleans 0 or 1, 64-bit
 * integers exact), unless `options.v1Counters` (see {@link MetricsOptions.v1Counters}).
 *
 * Every series carries `file` (the path) and `pid` (the writer's, from the v2 header or the
 * v1 `sys.pid` field via the reader's `writerInfo`; absent when the file does not say). Series
 * are per file and never merged: Prometheus sums them (`sum without (pid, file)`), and only
 * per-file counters keep `rate()` right when a process restarts (its file's counter starts
 * again at 0, which `rate()` reads as a reset; a merged sum would just drop).
 *
 * When two labels give one name, the series also carry the original as `mmstats_label`; when
 * two records of different types (or units) give one name, the later in name order gets a
 * word for its type before its unit (`x_value` for a gauge, `x_text` for strings, `x_counted`,
 * `x_distribution`, `x_avg`), in both formats: a v1 gauge `x` beside a v2 counter `x` (whose
 * OpenMetrics family is `x`) is exposed as `x_value`.
 * Families are sorted by name, series by file. The result ends with a newline (0.0.4) or
 * with `# EOF` (OpenMetrics), as the formats require.
 */
export function renderMetrics(snapshots: readonly StatsSnapshot[], format: MetricsFormat, options: MetricsOptions = {}): string {
  const openmetrics = format === 'openmetrics';
  const groups = collectGroups(snapshots, options);
  nameGroups(groups);
  const byName = [...groups].sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0));
  const parts: string[] = [];
  for (const group of byName) parts.push(renderGroup(group, openmetrics));
  if (options.readErrors !== undefined) parts.push(readErrorFamilies(snapshots.length, options.readErrors));
  const out = parts.join('');
  return openmetrics ? `${out}# EOF\n` : out;
}

/** `mmstats_files_read` and `mmstats_read_errors` (see {@link MetricsOptions.readErrors}); the codes need no escaping. */
function readErrorFamilies(read: number, errors: readonly { readonly code: string }[]): string {
  const byCode = new Map<string, number>();
  for (const { code } of errors) byCode.set(code, (byCode.get(code) ?? 0) + 1);
  const samples = [...byCode].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, n]) => `mmstats_read_errors{code="${code}"} ${n}\n`);
  return (
    '# HELP mmstats_files_read Stats files read for this scrape.\n# TYPE mmstats_files_read gauge\n' +
    `mmstats_files_read ${read}\n` +
    '# HELP mmstats_read_errors Stats files that matched but could not be read for this scrape, by error code (spec/errors.md).\n' +
    `# TYPE mmstats_read_errors gauge\n${samples.join('')}`
  );
}

// Every scrape names the same labels again; the regexes of the naming rules dominate otherwise.
const names = new Map<string, string>();
function cachedName(key: string, make: () => string): string {
  let name = names.get(key);
  if (name === undefined) {
    // Bounded: a writer that churns through labels cannot grow this forever.
    if (names.size >= 100_000) names.clear();
    name = make();
    names.set(key, name);
  }
  return name;
}

function collectGroups(snapshots: readonly StatsSnapshot[], options: MetricsOptions): Group[] {
  const groups = new Map<string, Group>();
  const now = options.now ?? Date.now() / 1000;
  const add = (type: PromType, field: StatsField, parts: readonly string[], unit: string, description: string, helpNote: string, entry: Entry): void => {
    const counter = type === 'counter';
    const wanted =
      field.version === 1 && !counter
        ? cachedName(field.label, () => metricName(field.label))
        : cachedName(`${field.label}\0${counter}\0${parts.join('\0')}\0${unit}`, () => familyName(field.label, { unit, counter, parts }));
    const key = `${wanted}\0${type}\0${unit}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { type, wanted, label: field.label, parts, unit, helps: [], descriptions: new Set(), labels: new Set(), entries: [] };
      groups.set(key, group);
    }
    if (field.help !== '' && group.helps.length === 0) group.helps.push(field.help + helpNote);
    group.descriptions.add(description);
    group.labels.add(field.label);
    group.entries.push(entry);
  };
  const ordered = [...snapshots].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const snapshot of ordered) {
    const fileLabels = fileLabelsOf(snapshot);
    for (const field of snapshot.fields) {
      const value = field.value;
      if (value === undefined) continue;
      const description = field.version === 1 ? `type ${field.type}` : field.kind;
      const dimLabels = field.version === 1 ? '' : dimensionLabels(field.dims);
      const entry = (payload: Entry['payload']): Entry => ({ fileLabels, dimLabels, mmstatsLabel: field.label, payload });
      if (typeof value === 'string') {
        add('info', field, [], '', description, '', entry(value));
      } else if (typeof value !== 'object') {
        const counter = field.kind === 'counter' && (field.version === 2 || options.v1Counters === true);
        add(counter ? 'counter' : 'gauge', field, [], field.unit, description, '', entry(sampleValue(value)));
      } else if (isHistogramValue(value)) {
        add('histogram', field, [], field.unit, description, '', entry(value));
      } else if (isWindowValue(value)) {
        const stats = windowStats(value, now);
        const seconds = ((value.slots.length * value.slotMillis) / 1000).toString();
        add('gauge', field, ['rate'], '', `${description} rate`, ` (values per second over the last ${seconds} s)`, entry(sampleValue(stats.rate)));
        add('gauge', field, ['mean'], field.unit, `${description} mean`, ` (mean of the values of the last ${seconds} s)`, entry(sampleValue(stats.mean ?? NaN)));
      } else {
        add('summary', field, [], field.unit, description, '', entry(value as { sum: number; count: number }));
      }
    }
  }
  return [...groups.values()];
}

/**
 * The names a family of each type uses, as family or sample name, in either format (so that a
 * series has the same name whichever format the scraper asks for).
 */
function claimsOf(type: PromType, name: string): string[] {
  switch (type) {
    case 'counter':
      return [name, `${name}_total`, `${name}_created`];
    case 'gauge':
      return [name];
    case 'histogram':
      return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`, `${name}_created`];
    case 'summary':
      return [name, `${name}_sum`, `${name}_count`, `${name}_created`];
    case 'info':
      return [name, `${name}_info`];
  }
}

/** Gives every group a name no other group's samples use (see renderMetrics). */
function nameGroups(groups: Group[]): void {
  groups.sort((a, b) => (a.wanted < b.wanted ? -1 : a.wanted > b.wanted ? 1 : TYPE_RANK[a.type] - TYPE_RANK[b.type] || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0)));
  const claimed = new Set<string>();
  for (const group of groups) {
    let name = group.wanted;
    for (let attempt = 1; claimsOf(group.type, name).some((claim) => claimed.has(claim)); attempt++) {
      const extra = attempt === 1 ? [TYPE_WORD[group.type]] : [TYPE_WORD[group.type], String(attempt)];
      name =
        group.type === 'info' && group.parts.length === 0 && group.unit === ''
          ? `${group.wanted}_${extra.join('_')}`
          : familyName(group.label, { unit: group.unit, counter: group.type === 'counter', parts: [...group.parts, ...extra] });
    }
    for (const claim of claimsOf(group.type, name)) claimed.add(claim);
    group.name = name;
  }
}

function renderGroup(group: Group, openmetrics: boolean): string {
  const name = group.name!;
  const labels = [...group.labels].sort();
  const help =
    group.helps[0] ??
    `mmstats ${labels.length > 1 ? 'labels' : 'label'} ${labels.map((l) => JSON.stringify(l)).join(', ')} (${[...group.descriptions].sort().join(', ')})`;
  let familyName = name;
  let sampleName = name;
  let typeWord: string = group.type;
  if (group.type === 'counter') {
    sampleName = `${name}_total`;
    if (!openmetrics) familyName = sampleName;
  } else if (group.type === 'info') {
    sampleName = `${name}_info`;
    if (!openmetrics) {
      familyName = sampleName;
      typeWord = 'gauge';
    }
  }
  let out = `# HELP ${familyName} ${escapeHelp(help, openmetrics)}\n# TYPE ${familyName} ${typeWord}\n`;
  const unit = unitSuffix(group.unit);
  if (openmetrics && unit !== '' && name.endsWith(`_${unit}`)) out += `# UNIT ${familyName} ${unit}\n`;
  const disambiguate = group.labels.size > 1;
  const seen = new Set<string>();
  for (const entry of group.entries) {
    let labelText = entry.fileLabels + entry.dimLabels;
    if (disambiguate) labelText += `,mmstats_label="${escapeLabelValue(entry.mmstatsLabel)}"`;
    if (group.type === 'info') labelText += `,value="${escapeLabelValue(entry.payload as string)}"`;
    // The same label twice in one file would make a duplicate series, which scrapers reject.
    if (seen.has(labelText)) continue;
    seen.add(labelText);
    switch (group.type) {
      case 'counter':
      case 'gauge':
        out += `${sampleName}{${labelText}} ${entry.payload as string}\n`;
        break;
      case 'info':
        out += `${sampleName}{${labelText}} 1\n`;
        break;
      case 'histogram':
        out += histogramSamples(name, labelText, entry.payload as HistogramValue);
        break;
      case 'summary': {
        const { sum, count } = entry.payload as { sum: number; count: number };
        out += `${name}_sum{${labelText}} ${sampleValue(sum)}\n${name}_count{${labelText}} ${sampleValue(count)}\n`;
        break;
      }
    }
  }
  return out;
}

/** The most `le` values (besides `+Inf`) a histogram gets; wider schemes use every m-th power of two. */
export const MAX_LE_BOUNDS = 128;

/** A bucket scheme's `le` bounds and, for each, how many stored buckets lie below it. */
interface LeSet {
  readonly bounds: readonly string[];
  /** Index of the first stored bucket at or above each bound. */
  readonly ends: readonly number[];
}
const leSets = new Map<string, LeSet>();

/**
 * The `le` bounds mmash exposes for histograms with `params`: every power of two from
 * `2^min_exp` to `2^max_exp` (where the log-linear buckets of spec/format-v2.md#enc-histogram
 * have exact edges), then `+Inf`. The set depends only on the parameters, so it is the same at
 * every scrape and across files, as `rate()` and `histogram_quantile()` need. When the range
 * has more than {@link MAX_LE_BOUNDS} powers of two, every m-th is used (m the smallest
 * that fits, counted from `2^min_exp`; `2^max_exp` always included). The default scheme
 * (`2^−30` to `2^34`) gets 65 bounds plus `+Inf`.
 *
 * A bucket `le="2^e"` counts the values below `2^e` (the stored buckets' lower edges are
 * inclusive), where Prometheus means "at most": they differ only for values exactly equal to
 * a power of two.
 *
 * @returns the bounds as exposed (JavaScript's shortest round-trip form, e.g. `0.0009765625`, `1`, `1024`, `+Inf` last)
 */
export function histogramLeSet(params: HistogramParams): string[] {
  return [...leSetOf(params).bounds];
}

function leSetOf(params: HistogramParams): LeSet {
  const key = `${params.k},${params.minExp},${params.maxExp}`;
  let set = leSets.get(key);
  if (set === undefined) {
    const span = params.maxExp - params.minExp;
    const stride = Math.max(1, Math.ceil(span / (MAX_LE_BOUNDS - 1)));
    const bounds: string[] = [];
    const ends: number[] = [];
    for (let e = params.minExp; ; e += stride) {
      if (e > params.maxExp) e = params.maxExp;
      bounds.push(sampleValue(2 ** e));
      // Bucket 1 + (e − min_exp) × 2^k is the first whose lower edge is 2^e.
      ends.push(1 + (e - params.minExp) * 2 ** params.k);
      if (e === params.maxExp) break;
    }
    bounds.push('+Inf');
    set = { bounds, ends };
    if (leSets.size >= 1000) leSets.clear();
    leSets.set(key, set);
  }
  return set;
}

function histogramSamples(name: string, labelText: string, histogram: HistogramValue): string {
  const { bounds, ends } = leSetOf(histogram.params);
  const buckets = histogram.buckets;
  let out = '';
  let running = 0;
  let i = 0;
  for (let b = 0; b < ends.length; b++) {
    const end = Math.min(ends[b]!, buckets.length);
    for (; i < end; i++) running += buckets[i]!;
    out += `${name}_bucket{${labelText},le="${bounds[b]!}"} ${sampleValue(running)}\n`;
  }
  out += `${name}_bucket{${labelText},le="+Inf"} ${sampleValue(histogram.count)}\n`;
  out += `${name}_sum{${labelText}} ${sampleValue(histogram.sum)}\n`;
  out += `${name}_count{${labelText}} ${sampleValue(histogram.count)}\n`;
  return out;
}

/** `pid="…",file="…"` (`pid` only when `writerInfo` finds one). */
function fileLabelsOf(snapshot: StatsSnapshot): string {
  const pid = writerInfo(snapshot).pid;
  const file = `file="${escapeLabelValue(snapshot.path)}"`;
  return pid === undefined ? file : `pid="${pid}",${file}`;
}

// A record's dimensions never change: render them once per dims object.
const dimsText = new WeakMap<object, string>();
function dimensionLabels(dims: Readonly<Record<string, string>>): string {
  let text = dimsText.get(dims);
  if (text === undefined) {
    const used = new Set<string>();
    text = '';
    for (const key of Object.keys(dims).sort()) {
      let name = dimensionLabelName(key);
      // Two keys that sanitise alike (`a.b`, `a-b`) stay apart.
      for (let n = 2; used.has(name); n++) name = `${dimensionLabelName(key)}_${n}`;
      used.add(name);
      text += `,${name}="${escapeLabelValue(dims[key]!)}"`;
    }
    dimsText.set(dims, text);
  }
  return text;
}

/** A sample value as both formats spell it: exact integers, `NaN`, `+Inf`, `-Inf`. */
function sampleValue(value: Exclude<V2Value, string | object> | boolean): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'bigint') return value.toString();
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

// 0.0.4 escapes only backslash and newline in HELP; OpenMetrics escapes double quotes too.
function escapeHelp(text: string, openmetrics: boolean): string {
  return text.replace(openmetrics ? /[\\"\n]/g : /[\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}
