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

/** A series' sample value(s): gauge/counter the sample text; info the text; histogram/summary the value object. */
type Payload = string | HistogramValue | { sum: number; count: number };

/** One metric family being collected: its series as parallel arrays (no object per series). */
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
  /** Each series' plan (its labels, its line head as last rendered). */
  readonly series: SeriesPlan[];
  readonly payloads: Payload[];
  /** The file labels of the last series added, where that file's series start, and (once it has two) their keys: a duplicate can only come from one file. */
  file: string;
  fileStart: number;
  fileKeys: Set<string> | undefined;
  name?: string;
}

/**
 * What a record (or one of a window's two gauges) contributes to its family, whichever file it
 * is in: made once for all the files with the same record (the threads of one program).
 */
interface FamilyPlan {
  readonly type: PromType;
  readonly wanted: string;
  readonly label: string;
  readonly unit: string;
  readonly parts: readonly string[];
  readonly description: string;
  readonly helpNote: string;
  /** The family this series joins: `wanted`, `type`, `unit`. */
  readonly key: string;
}

/**
 * One series: a {@link FamilyPlan} in one file, worked out the first time it is rendered and
 * kept with the file (see {@link MetricsRenderer}): label texts are made once per series, not
 * once per scrape.
 */
interface SeriesPlan {
  readonly family: FamilyPlan;
  /** `pid`, `file` and the dimension labels, rendered. */
  readonly labelText: string;
  /** A counter's or gauge's sample line up to its value, and the name (and disambiguation) it was made for. */
  head?: string;
  headFor?: string;
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
  return new MetricsRenderer().render(snapshots, format, options);
}

/**
 * {@link renderMetrics} for a server that renders the same files scrape after scrape: what
 * each record contributes to the exposition (its family's name, its dimension labels) is
 * worked out the first time and kept, by file and record, as long as the file's layouts stay
 * the same objects (a reader live view keeps them until the file is replaced). Only the files
 * of the last render are kept, so memory follows the series being served.
 */
export class MetricsRenderer {
  #files = new Map<string, FilePlans>();
  /** Family plans by what they are made from; emptied when it outgrows the series last rendered. */
  #families = new Map<string, readonly FamilyPlan[]>();

  /** The exposition of `snapshots`, as {@link renderMetrics} renders it. */
  render(snapshots: readonly StatsSnapshot[], format: MetricsFormat, options: MetricsOptions = {}): string {
    const openmetrics = format === 'openmetrics';
    const kept = this.#files;
    const used = new Map<string, FilePlans>();
    const v1Counters = options.v1Counters === true;
    const plansFor = (snapshot: StatsSnapshot, fileLabels: string): FilePlans => {
      let plans = kept.get(snapshot.path);
      if (plans === undefined || plans.v1Counters !== v1Counters || plans.fileLabels !== fileLabels) plans = { v1Counters, fileLabels, layouts: [], plans: [] };
      used.set(snapshot.path, plans);
      return plans;
    };
    const families = this.#families;
    const familiesOf = (field: StatsField, value: NonNullable<StatsField['value']>): readonly FamilyPlan[] => {
      const key = `${v1Counters}\0${field.version}\0${field.label}\0${field.kind}\0${field.unit}\0${field.type}\0${valueShape(value)}`;
      let plans = families.get(key);
      if (plans === undefined) {
        plans = familyPlans(field, value, v1Counters);
        families.set(key, plans);
      }
      return plans;
    };
    const groups = collectGroups(snapshots, options, plansFor, familiesOf);
    this.#files = used;
    if (families.size > groups.reduce((n, group) => n + group.series.length, 0)) families.clear();
    nameGroups(groups);
    const byName = [...groups].sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0));
    const parts: string[] = [];
    for (const group of byName) parts.push(renderGroup(group, openmetrics));
    if (options.readErrors !== undefined) parts.push(readErrorFamilies(snapshots.length, options.readErrors));
    const out = parts.join('');
    return openmetrics ? `${out}# EOF\n` : out;
  }
}

/** One file's series plans, by field index, with the layout each was made for. */
interface FilePlans {
  readonly v1Counters: boolean;
  /** The `pid` and `file` labels the plans were made with. */
  readonly fileLabels: string;
  readonly layouts: object[];
  readonly plans: (readonly SeriesPlan[])[];
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

/** What shape `value` has, which with the record decides its families: `text`, `scalar`, `histogram`, `window` (and its span), `average`. */
function valueShape(value: NonNullable<StatsField['value']>): string {
  if (typeof value === 'string') return 'text';
  if (typeof value !== 'object') return 'scalar';
  if (isHistogramValue(value)) return 'histogram';
  if (isWindowValue(value)) return `window ${value.slots.length * value.slotMillis}`;
  return 'average';
}

function familyPlans(field: StatsField, value: NonNullable<StatsField['value']>, v1Counters: boolean): FamilyPlan[] {
  const description = field.version === 1 ? `type ${field.type}` : field.kind;
  const plan = (type: PromType, parts: readonly string[], unit: string, about: string, helpNote: string): FamilyPlan => {
    const counter = type === 'counter';
    const wanted = field.version === 1 && !counter ? metricName(field.label) : familyName(field.label, { unit, counter, parts });
    return { type, wanted, label: field.label, unit, parts, description: about, helpNote, key: `${wanted}\0${type}\0${unit}` };
  };
  if (typeof value === 'string') return [plan('info', [], '', description, '')];
  if (typeof value !== 'object') {
    const counter = field.kind === 'counter' && (field.version === 2 || v1Counters);
    return [plan(counter ? 'counter' : 'gauge', [], field.unit, description, '')];
  }
  if (isHistogramValue(value)) return [plan('histogram', [], field.unit, description, '')];
  if (isWindowValue(value)) {
    const seconds = ((value.slots.length * value.slotMillis) / 1000).toString();
    return [
      plan('gauge', ['rate'], '', `${description} rate`, ` (values per second over the last ${seconds} s)`),
      plan('gauge', ['mean'], field.unit, `${description} mean`, ` (mean of the values of the last ${seconds} s)`),
    ];
  }
  return [plan('summary', [], field.unit, description, '')];
}

function collectGroups(
  snapshots: readonly StatsSnapshot[],
  options: MetricsOptions,
  plansFor: (snapshot: StatsSnapshot, fileLabels: string) => FilePlans,
  familiesOf: (field: StatsField, value: NonNullable<StatsField['value']>) => readonly FamilyPlan[],
): Group[] {
  const groups = new Map<string, Group>();
  const now = options.now ?? Date.now() / 1000;
  const add = (plan: SeriesPlan, field: StatsField, fileLabels: string, payload: Payload): void => {
    const family = plan.family;
    let group = groups.get(family.key);
    if (group === undefined) {
      group = { type: family.type, wanted: family.wanted, label: field.label, parts: family.parts, unit: family.unit, helps: [], descriptions: new Set(), labels: new Set(), series: [], payloads: [], file: '', fileStart: 0, fileKeys: undefined };
      groups.set(family.key, group);
    }
    if (group.file !== fileLabels) {
      group.file = fileLabels;
      group.fileStart = group.series.length;
      group.fileKeys = undefined;
    } else if (isRepeated(group, plan, payload)) {
      // The same label twice in one file would make a duplicate series, which scrapers reject.
      return;
    }
    if (field.help !== '' && group.helps.length === 0) group.helps.push(field.help + family.helpNote);
    group.descriptions.add(family.description);
    group.labels.add(field.label);
    group.series.push(plan);
    group.payloads.push(payload);
  };
  const ordered = [...snapshots].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const snapshot of ordered) {
    const fileLabels = fileLabelsOf(snapshot);
    const filePlans = plansFor(snapshot, fileLabels);
    const fields = snapshot.fields;
    for (let index = 0; index < fields.length; index++) {
      const field = fields[index]!;
      const value = field.value;
      if (value === undefined) continue;
      // A layout made by hand (tests) may be missing: such a field is planned at every render.
      if (filePlans.layouts[index] !== field.layout || field.layout === undefined) {
        filePlans.layouts[index] = field.layout;
        const labelText = field.version === 1 ? fileLabels : fileLabels + dimensionLabels(field.dims);
        filePlans.plans[index] = familiesOf(field, value).map((family) => ({ family, labelText }));
      }
      const plans = filePlans.plans[index]!;
      if (typeof value === 'string') add(plans[0]!, field, fileLabels, value);
      else if (typeof value !== 'object') add(plans[0]!, field, fileLabels, sampleValue(value));
      else if (isWindowValue(value)) {
        const stats = windowStats(value, now);
        add(plans[0]!, field, fileLabels, sampleValue(stats.rate));
        add(plans[1]!, field, fileLabels, sampleValue(stats.mean ?? NaN));
      } else add(plans[0]!, field, fileLabels, value as HistogramValue | { sum: number; count: number });
    }
  }
  return [...groups.values()];
}

/**
 * Whether `group` already has the series of `plan` (for info series, with this `payload`) from
 * the file it is collecting now. Series of different files always differ (by `file`), so only
 * a file's own are compared, and a set is made only for a file that puts two series in one
 * family.
 */
function isRepeated(group: Group, plan: SeriesPlan, payload: Payload): boolean {
  const keyOf = (series: SeriesPlan, value: Payload): string => (group.type === 'info' ? `${series.labelText}\0${series.family.label}\0${value as string}` : `${series.labelText}\0${series.family.label}`);
  if (group.fileKeys === undefined) {
    group.fileKeys = new Set();
    for (let i = group.fileStart; i < group.series.length; i++) group.fileKeys.add(keyOf(group.series[i]!, group.payloads[i]!));
  }
  const key = keyOf(plan, payload);
  if (group.fileKeys.has(key)) return true;
  group.fileKeys.add(key);
  return false;
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
  // What a counter's or gauge's line head depends on besides the series itself.
  const headFor = disambiguate ? `${sampleName}\0` : sampleName;
  const lines: string[] = [out];
  for (let i = 0; i < group.series.length; i++) {
    const series = group.series[i]!;
    const payload = group.payloads[i]!;
    let labelText = series.labelText;
    if (disambiguate) labelText += `,mmstats_label="${escapeLabelValue(series.family.label)}"`;
    switch (group.type) {
      case 'counter':
      case 'gauge':
        if (series.headFor !== headFor) {
          series.head = `${sampleName}{${labelText}} `;
          series.headFor = headFor;
        }
        lines.push(series.head!, payload as string, '\n');
        break;
      case 'info':
        lines.push(`${sampleName}{${labelText},value="${escapeLabelValue(payload as string)}"} 1\n`);
        break;
      case 'histogram':
        lines.push(histogramSamples(name, labelText, payload as HistogramValue));
        break;
      case 'summary': {
        const { sum, count } = payload as { sum: number; count: number };
        lines.push(`${name}_sum{${labelText}} ${sampleValue(sum)}\n${name}_count{${labelText}} ${sampleValue(count)}\n`);
        break;
      }
    }
  }
  return lines.join('');
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
