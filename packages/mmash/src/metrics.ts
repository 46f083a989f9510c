/**
 * The `/metrics` exposition. v2 records keep their kind: counters are Prometheus counters,
 * histograms and timers classic histograms, averages summaries, windows gauges of their rate
 * and mean; v1 fields are gauges. Strings become info series. By default a series is a
 * service's record merged over its files (labelled `service`); per worker and per file (`pid`,
 * `file`) on request. The record's dimensions are labels too.
 *
 * The protobuf format (protobuf-exposition.ts) serves the same families, from the same
 * compiled groups, with exponential histograms as native histograms.
 *
 * A server renders the same files scrape after scrape, so the exposition is compiled once
 * for a set of layouts (names, labels, every line up to its value, as bytes) and each scrape
 * copies those bytes and writes the values between them (see {@link MetricsRenderer}).
 *
 * @module
 */
import { type DistributionValue, isDistributionValue, isWindowValue, windowStats, type WindowValue } from '@mmstats/format';
import type { StatsField, StatsSnapshot } from '@mmstats/reader';
import { writeHistogramSamples } from './classic-histogram.js';
import type { MetricsFormat } from './content-negotiation.js';
import { escapeLabelValue, ExpositionBytes, labelText, type LabelPair, type SampleValue } from './exposition-bytes.js';
import { TwinValues } from './info-twins.js';
import { dimensionLabelName, familyName, metricName, unitSuffix } from './metric-names.js';
import { MergedLayouts, seriesEntries, type SeriesView } from './metric-series.js';
import { compileProtobuf, writeProtobuf, type CompiledProtobuf, type FixedFamily, type ProtobufFamily, type ProtobufValueKind } from './protobuf-exposition.js';
import { ProtobufWriter } from './protobuf-writer.js';

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
   * Which series to show (see `SeriesView`): `service` (default), one per record per service,
   * merged over its processes and its archive; `worker`, one per worker (slot, else pid);
   * `file`, one per file with `pid` and `file` labels.
   */
  readonly series?: SeriesView;
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

/** Which part of a field's value a series shows: the value, a window's rate or mean. */
type Part = 'value' | 'rate' | 'mean';

/**
 * What a record (or one of a window's two gauges) contributes to its family, whichever file it
 * is in: made once for all the files with the same record (the threads of one program).
 */
interface FamilyPlan {
  readonly type: PromType;
  readonly part: Part;
  readonly wanted: string;
  readonly label: string;
  readonly unit: string;
  readonly parts: readonly string[];
  readonly description: string;
  readonly helpNote: string;
  /** The family this series joins: `wanted`, `type`, `unit`. */
  readonly key: string;
}

/** One series while an exposition is compiled: which field of which file, in which family. */
interface PlannedSeries {
  readonly family: FamilyPlan;
  /** The entry's labels (`service`, …), the dimension labels, and `mmstats_label` when its family needs it. */
  readonly labels: readonly LabelPair[];
  /** Index of the file (in path order) and of the field in it. */
  readonly file: number;
  readonly field: number;
  /** Info series only: the group of this file's series with the same labels, whose lines with equal values are written once. */
  twins?: number;
}

/** One metric family being compiled. */
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
  readonly series: PlannedSeries[];
  /**
   * The file whose series are being added, where its series start, and (once it has two)
   * their keys: a duplicate can only come from one file, and most files put one series in a
   * family.
   */
  file: number;
  fileStart: number;
  fileKeys: Map<string, PlannedSeries> | undefined;
  name?: string;
}

/** How a slot of a compiled exposition gets its bytes from the field it names. */
const SLOT = { sample: 0, rate: 1, mean: 2, info: 3, histogram: 4, sum: 5, count: 6 } as const;

/** What an info or histogram slot needs besides its field: the text around the value, the name and labels. */
type SlotExtra = { readonly before: string; readonly after: string; readonly twins: number } | { readonly name: string; readonly labelText: string };

/**
 * An exposition compiled for one set of files and layouts: the bytes of every line up to its
 * value (`text`), and the slots where values go. It is reused while every file has the same
 * path, `pid` and `file` labels, the same layout objects (a reader live view keeps them until
 * the file is replaced) and the same fields with and without a value.
 */
interface CompiledFiles {
  readonly paths: readonly string[];
  readonly fileLabels: readonly (readonly LabelPair[])[];
  /** Every field's layout, file after file, and whether it had a value (1) or not (0). */
  readonly layouts: readonly unknown[];
  readonly hadValue: Uint8Array;
  /** The body's length when last rendered: the next render's first buffer. */
  size: number;
}

/** The text exposition of a set of files: see {@link CompiledFiles}. */
interface Exposition extends CompiledFiles {
  readonly text: Buffer;
  /** Per slot, five numbers: where in `text` its value goes, its `SLOT` kind, file, field and index into `extras` (−1 for none). */
  readonly slots: Int32Array;
  readonly extras: readonly SlotExtra[];
}

/** The protobuf answer for a set of files: see {@link CompiledFiles} and {@link compileProtobuf}. */
interface ProtobufExposition extends CompiledFiles {
  readonly protobuf: CompiledProtobuf;
}

/** The smallest body {@link MetricsRenderer.recycle} keeps: Node's allocUnsafe pools only smaller buffers. */
const RECYCLED_MIN_BYTES = 64 * 1024;

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
 * Which series there are follows `options.series` (spec/files.md#service):
 * - `service` (the default): one series per record per service, labelled `service` (the files'
 *   `mmstats.service`, `""` for files without one), merged over the service's files by each
 *   record's rule (the reader's `mergeSnapshots`), the archive of its dead writers included
 *   (spec/files.md#archive-reading): the number of series does not change as workers die and
 *   restart, and a merged counter never decreases, so `rate()` sees no resets. Records that do
 *   not merge (rule `none`, text not merged by `last`, files that disagree) are left out;
 * - `worker`: one series per file, labelled `service` and `worker` (the file's slot, its
 *   `mmstats.worker` record; else its pid; `archive` for the archive);
 * - `file`: one series per file, labelled `file` (the path) and `pid` (the writer's, from the
 *   v2 header or the v1 `sys.pid` field via the reader's `writerInfo`; absent when the file
 *   does not say).
 * In every view files an archive holds already are left out, and so are the records that say
 * what a file is (`mmstats.service`, `mmstats.archive.*`, `mmstats.worker`).
 *
 * When two labels give one name, the series also carry the original as `mmstats_label`; when
 * two records of different types (or units) give one name, the later in name order gets a
 * word for its type before its unit (`x_value` for a gauge, `x_text` for strings, `x_counted`,
 * `x_distribution`, `x_avg`), in both formats: a v1 gauge `x` beside a v2 counter `x` (whose
 * OpenMetrics family is `x`) is exposed as `x_value`.
 * Families are sorted by name, series by file. The result ends with a newline (0.0.4) or
 * with `# EOF` (OpenMetrics), as the formats require.
 */
export function renderMetrics(snapshots: readonly StatsSnapshot[], format: Exclude<MetricsFormat, 'protobuf'>, options: MetricsOptions = {}): string {
  return new MetricsRenderer().render(snapshots, format, options).toString('utf8');
}

/**
 * {@link renderMetrics} for a server that renders the same files scrape after scrape, into
 * bytes. The exposition is compiled the first time (families, names, every line up to its
 * value) and kept while the files and their layouts stay the same (see `Exposition`); a
 * scrape then copies the compiled bytes and writes each value between them, one buffer per
 * body and no object per series. A change (a file added, replaced or gone, a record
 * published, a value that became unreadable) compiles it again. One exposition is kept per
 * format and `v1Counters` setting, so memory follows the series being served.
 */
export class MetricsRenderer {
  readonly #expositions = new Map<string, Exposition>();
  readonly #protobufs = new Map<string, ProtobufExposition>();
  readonly #mergedLayouts = new MergedLayouts();
  /** Family plans by what they are made from; emptied when it outgrows the series last compiled. */
  readonly #families = new Map<string, readonly FamilyPlan[]>();
  /** A body buffer given back by {@link MetricsRenderer.recycle}, for the next render. */
  #spare: Buffer | undefined;

  /**
   * The exposition of `snapshots`, as {@link renderMetrics} renders it, in UTF-8; with `format`
   * `protobuf`, the same families as varint-delimited `io.prometheus.client.MetricFamily`
   * messages (see protobuf-exposition.ts), exponential histograms as native histograms.
   */
  render(snapshots: readonly StatsSnapshot[], format: MetricsFormat, options: MetricsOptions = {}): Buffer {
    const v1Counters = options.v1Counters === true;
    const view = options.series ?? 'service';
    const entries = seriesEntries(snapshots, view, this.#mergedLayouts).sort((a, b) => (a.snapshot.path < b.snapshot.path ? -1 : a.snapshot.path > b.snapshot.path ? 1 : 0));
    const ordered = entries.map((e) => e.snapshot);
    const fileLabels = entries.map((e) => e.labels);
    const key = `${format}\0${v1Counters}\0${view}`;
    const familiesOf = (field: StatsField, value: NonNullable<StatsField['value']>): readonly FamilyPlan[] => this.#familiesOf(field, value, v1Counters);
    if (format === 'protobuf') return this.#renderProtobuf(key, ordered, fileLabels, familiesOf, snapshots.length, options);
    let exposition = this.#expositions.get(key);
    if (exposition === undefined || !fits(exposition, ordered, fileLabels)) {
      exposition = compile(ordered, fileLabels, format === 'openmetrics', familiesOf);
      this.#expositions.set(key, exposition);
      this.#settleFamilies(exposition.slots.length / 5);
    }
    // The last body's size, or at first twice the compiled text (values and histograms' lines).
    const out = new ExpositionBytes(exposition.size > 0 ? exposition.size + 256 : 2 * exposition.text.length, this.#spare);
    this.#spare = undefined;
    writeValues(out, exposition, ordered, options.now ?? Date.now() / 1000);
    if (options.readErrors !== undefined) out.text(readErrorText(readErrorFamilies(snapshots.length, options.readErrors)));
    if (format === 'openmetrics') out.text('# EOF\n');
    exposition.size = out.length;
    return out.bytes;
  }

  /** {@link MetricsRenderer.render} in the protobuf format: the same families, compiled to protobuf bytes. */
  #renderProtobuf(key: string, ordered: readonly StatsSnapshot[], fileLabels: readonly (readonly LabelPair[])[], familiesOf: FamiliesOf, read: number, options: MetricsOptions): Buffer {
    let exposition = this.#protobufs.get(key);
    if (exposition === undefined || !fits(exposition, ordered, fileLabels)) {
      const families = servedGroups(ordered, fileLabels, familiesOf).map(protobufFamily);
      exposition = { ...filesOf(ordered, fileLabels), protobuf: compileProtobuf(families) };
      this.#protobufs.set(key, exposition);
      this.#settleFamilies(exposition.protobuf.series.length / 6);
    }
    const out = new ProtobufWriter(exposition.size > 0 ? exposition.size + 256 : 2 * exposition.protobuf.bytes.length, this.#spare);
    this.#spare = undefined;
    writeProtobuf(out, exposition.protobuf, ordered, options.now ?? Date.now() / 1000, options.readErrors === undefined ? [] : readErrorFamilies(read, options.readErrors));
    exposition.size = out.length;
    return out.bytes;
  }

  /** Forgets the family plans once there are more than the `series` last compiled (files gone). */
  #settleFamilies(series: number): void {
    if (this.#families.size > series) this.#families.clear();
  }

  /**
   * Gives back a body {@link MetricsRenderer.render} returned, once nothing reads it any more
   * (a server: when the response has been written), so that the next render writes into its
   * buffer instead of a new one (a body of 100,000 series is 9 MB). Bodies under 64 KiB are not
   * kept: their buffers may be shared with other Buffers.
   */
  recycle(body: Buffer): void {
    const whole = body.buffer.byteLength - body.byteOffset;
    if (whole >= RECYCLED_MIN_BYTES) this.#spare = Buffer.from(body.buffer, body.byteOffset, whole);
  }

  #familiesOf(field: StatsField, value: NonNullable<StatsField['value']>, v1Counters: boolean): readonly FamilyPlan[] {
    const key = `${v1Counters}\0${field.version}\0${field.label}\0${field.kind}\0${field.unit}\0${field.type}\0${valueShape(value)}`;
    let plans = this.#families.get(key);
    if (plans === undefined) {
      plans = familyPlans(field, value, v1Counters);
      this.#families.set(key, plans);
    }
    return plans;
  }
}

/** Whether `exposition` was compiled for these files (in path order) as they are now. */
function fits(exposition: CompiledFiles, ordered: readonly StatsSnapshot[], fileLabels: readonly (readonly LabelPair[])[]): boolean {
  if (ordered.length !== exposition.paths.length) return false;
  const { layouts, hadValue } = exposition;
  let k = 0;
  for (let f = 0; f < ordered.length; f++) {
    const snapshot = ordered[f]!;
    if (snapshot.path !== exposition.paths[f] || !sameLabels(fileLabels[f]!, exposition.fileLabels[f]!)) return false;
    for (const field of snapshot.fields) {
      // A layout made by hand (tests) may be missing: such a file is compiled at every render.
      if (field.layout === undefined || field.layout !== layouts[k] || (field.value === undefined ? 0 : 1) !== hadValue[k]) return false;
      k++;
    }
  }
  return k === layouts.length;
}

function sameLabels(a: readonly LabelPair[], b: readonly LabelPair[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1]) return false;
  return true;
}

/** Writes the compiled text of `exposition` with the current value of each slot's field. */
function writeValues(out: ExpositionBytes, exposition: Exposition, ordered: readonly StatsSnapshot[], now: number): void {
  const { text, slots, extras } = exposition;
  const twinValues = new TwinValues();
  let from = 0;
  for (let s = 0; s < slots.length; s += 5) {
    const at = slots[s]!;
    out.copy(text, from, at);
    from = at;
    const value = ordered[slots[s + 2]!]!.fields[slots[s + 3]!]!.value!;
    switch (slots[s + 1]) {
      case SLOT.sample:
        out.sample(value as SampleValue);
        break;
      case SLOT.rate:
        out.sample(windowStats(value as WindowValue, now).rate);
        break;
      case SLOT.mean:
        out.sample(windowStats(value as WindowValue, now).mean ?? NaN);
        break;
      case SLOT.sum:
        out.sample((value as { sum: number }).sum);
        break;
      case SLOT.count:
        out.sample((value as { count: number }).count);
        break;
      case SLOT.histogram: {
        const { name, labelText: labels } = extras[slots[s + 4]!] as { name: string; labelText: string };
        writeHistogramSamples(out, name, labels, value as DistributionValue);
        break;
      }
      case SLOT.info: {
        const { before, after, twins } = extras[slots[s + 4]!] as { before: string; after: string; twins: number };
        if (!twinValues.first(twins, value as string)) break;
        out.text(`${before}${escapeLabelValue(value as string)}${after}`);
        break;
      }
    }
  }
  out.copy(text, from, text.length);
}

/** Compiles the exposition of `ordered` (snapshots in path order, with their `pid`/`file` labels). */
function compile(ordered: readonly StatsSnapshot[], fileLabels: readonly (readonly LabelPair[])[], openmetrics: boolean, familiesOf: FamiliesOf): Exposition {
  const builder = new ExpositionBuilder();
  for (const group of servedGroups(ordered, fileLabels, familiesOf)) compileGroup(builder, group, openmetrics);
  return { ...filesOf(ordered, fileLabels), ...builder.finish() };
}

/** The families of a record's value: see `MetricsRenderer.#familiesOf`. */
type FamiliesOf = (field: StatsField, value: NonNullable<StatsField['value']>) => readonly FamilyPlan[];

/** What a compiled exposition is compiled for (see {@link fits}). */
function filesOf(ordered: readonly StatsSnapshot[], fileLabels: readonly (readonly LabelPair[])[]): CompiledFiles {
  const layouts: unknown[] = [];
  const hadValue: number[] = [];
  for (const snapshot of ordered) {
    for (const field of snapshot.fields) {
      layouts.push(field.layout);
      hadValue.push(field.value === undefined ? 0 : 1);
    }
  }
  return { paths: ordered.map((s) => s.path), fileLabels, layouts, hadValue: Uint8Array.from(hadValue), size: 0 };
}

/** The families every format serves for `ordered`, named and sorted by name. */
function servedGroups(ordered: readonly StatsSnapshot[], fileLabels: readonly (readonly LabelPair[])[], familiesOf: FamiliesOf): Group[] {
  const groups = collectGroups(ordered, fileLabels, familiesOf);
  nameGroups(groups);
  return groups.sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0));
}

/**
 * The text of an exposition being compiled, and its slots, written as bytes as they come (a
 * list of 100,000 lines kept until the end would outlive the young generation and grow the
 * heap for good).
 */
class ExpositionBuilder {
  readonly #text = new ExpositionBytes(1 << 16);
  #slots = new Int32Array(1 << 10);
  #slotCount = 0;
  readonly #extras: SlotExtra[] = [];

  /** Appends text that every render writes as it is. */
  text(text: string): void {
    this.#text.text(text);
  }

  /** A value written here at every render: the `kind` of the field `series` names. */
  slot(kind: number, series: PlannedSeries, extra?: SlotExtra): void {
    if (this.#slotCount + 5 > this.#slots.length) {
      const grown = new Int32Array(2 * this.#slots.length);
      grown.set(this.#slots);
      this.#slots = grown;
    }
    const slots = this.#slots;
    const at = this.#slotCount;
    slots[at] = this.#text.length;
    slots[at + 1] = kind;
    slots[at + 2] = series.file;
    slots[at + 3] = series.field;
    slots[at + 4] = extra === undefined ? -1 : this.#extras.push(extra) - 1;
    this.#slotCount += 5;
  }

  /** The text and slots, copied to buffers of their size. */
  finish(): Pick<Exposition, 'text' | 'slots' | 'extras'> {
    return { text: Buffer.from(this.#text.bytes), slots: this.#slots.slice(0, this.#slotCount), extras: this.#extras };
  }
}

/** `mmstats_files_read` and `mmstats_read_errors` (see {@link MetricsOptions.readErrors}), both gauges. */
function readErrorFamilies(read: number, errors: readonly { readonly code: string }[]): FixedFamily[] {
  const byCode = new Map<string, number>();
  for (const { code } of errors) byCode.set(code, (byCode.get(code) ?? 0) + 1);
  return [
    { name: 'mmstats_files_read', help: 'Stats files read for this scrape.', samples: [{ labels: [], value: read }] },
    {
      name: 'mmstats_read_errors',
      help: 'Stats files that matched but could not be read for this scrape, by error code (spec/errors.md).',
      samples: [...byCode].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, value]) => ({ labels: [['code', code]], value })),
    },
  ];
}

/** The text of {@link readErrorFamilies}; the names and help need no escaping. */
function readErrorText(families: readonly FixedFamily[]): string {
  let text = '';
  for (const { name, help, samples } of families) {
    text += `# HELP ${name} ${help}\n# TYPE ${name} gauge\n`;
    for (const { labels, value } of samples) text += `${name}${labels.length === 0 ? '' : `{${labelText(labels)}}`} ${value}\n`;
  }
  return text;
}

/** What shape `value` has, which with the record decides its families: `text`, `scalar`, `histogram`, `window` (and its span), `average`. */
function valueShape(value: NonNullable<StatsField['value']>): string {
  if (typeof value === 'string') return 'text';
  if (typeof value !== 'object') return 'scalar';
  if (isDistributionValue(value)) return 'histogram';
  if (isWindowValue(value)) return `window ${value.slots.length * value.slotMillis}`;
  return 'average';
}

function familyPlans(field: StatsField, value: NonNullable<StatsField['value']>, v1Counters: boolean): FamilyPlan[] {
  const description = field.version === 1 ? `type ${field.type}` : field.kind;
  const plan = (type: PromType, part: Part, parts: readonly string[], unit: string, about: string, helpNote: string): FamilyPlan => {
    const counter = type === 'counter';
    const wanted = field.version === 1 && !counter ? metricName(field.label) : familyName(field.label, { unit, counter, parts });
    return { type, part, wanted, label: field.label, unit, parts, description: about, helpNote, key: `${wanted}\0${type}\0${unit}` };
  };
  if (typeof value === 'string') return [plan('info', 'value', [], '', description, '')];
  if (typeof value !== 'object') {
    const counter = field.kind === 'counter' && (field.version === 2 || v1Counters);
    return [plan(counter ? 'counter' : 'gauge', 'value', [], field.unit, description, '')];
  }
  if (isDistributionValue(value)) return [plan('histogram', 'value', [], field.unit, description, '')];
  if (isWindowValue(value)) {
    const seconds = ((value.slots.length * value.slotMillis) / 1000).toString();
    return [
      plan('gauge', 'rate', ['rate'], '', `${description} rate`, ` (values per second over the last ${seconds} s)`),
      plan('gauge', 'mean', ['mean'], field.unit, `${description} mean`, ` (mean of the values of the last ${seconds} s)`),
    ];
  }
  return [plan('summary', 'value', [], field.unit, description, '')];
}

function collectGroups(
  ordered: readonly StatsSnapshot[],
  fileLabels: readonly (readonly LabelPair[])[],
  familiesOf: (field: StatsField, value: NonNullable<StatsField['value']>) => readonly FamilyPlan[],
): Group[] {
  const groups = new Map<string, Group>();
  let twins = 0;
  const add = (series: PlannedSeries, field: StatsField): void => {
    const family = series.family;
    let group = groups.get(family.key);
    if (group === undefined) {
      group = { type: family.type, wanted: family.wanted, label: field.label, parts: family.parts, unit: family.unit, helps: [], descriptions: new Set(), labels: new Set(), series: [], file: -1, fileStart: 0, fileKeys: undefined };
      groups.set(family.key, group);
    }
    // Series of different files always differ (by `file`): only a file's own are compared.
    if (group.file !== series.file) {
      group.file = series.file;
      group.fileStart = group.series.length;
      group.fileKeys = undefined;
    } else {
      const twin = twinOf(group, series);
      if (twin !== undefined) {
        // The same label twice in one file would make a duplicate series, which scrapers
        // reject; info series differ by their value, which is compared at every render.
        if (group.type !== 'info') return;
        twin.twins ??= twins++;
        series.twins = twin.twins;
      }
    }
    if (field.help !== '' && group.helps.length === 0) group.helps.push(field.help + family.helpNote);
    group.descriptions.add(family.description);
    group.labels.add(field.label);
    group.series.push(series);
  };
  for (let file = 0; file < ordered.length; file++) {
    const fields = ordered[file]!.fields;
    for (let index = 0; index < fields.length; index++) {
      const field = fields[index]!;
      const value = field.value;
      if (value === undefined) continue;
      const dims = field.version === 1 ? [] : dimensionLabels(field.dims);
      const labels = dims.length === 0 ? fileLabels[file]! : [...fileLabels[file]!, ...dims];
      for (const family of familiesOf(field, value)) add({ family, labels, file, field: index }, field);
    }
  }
  for (const group of groups.values()) {
    // Two labels gave one name: each series also carries its own label.
    if (group.labels.size < 2) continue;
    group.series.forEach((series, i) => (group.series[i] = { ...series, labels: [...series.labels, ['mmstats_label', series.family.label]] }));
  }
  return [...groups.values()];
}

/** The series of `group` from the file being added with the same labels as `series`, if any (and `series` is then remembered). */
function twinOf(group: Group, series: PlannedSeries): PlannedSeries | undefined {
  const keyOf = (s: PlannedSeries): string => `${labelText(s.labels)}\0${s.family.label}`;
  if (group.fileKeys === undefined) {
    group.fileKeys = new Map();
    for (let i = group.fileStart; i < group.series.length; i++) {
      const earlier = group.series[i]!;
      if (!group.fileKeys.has(keyOf(earlier))) group.fileKeys.set(keyOf(earlier), earlier);
    }
  }
  const key = keyOf(series);
  const twin = group.fileKeys.get(key);
  if (twin === undefined) group.fileKeys.set(key, series);
  return twin;
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

/**
 * A family's HELP text, and the names of the family and its samples and the type word it has
 * in a format: with OpenMetrics, counters and info families keep their name (`x`, samples
 * `x_total`, `x_info`); in the 0.0.4 text and protobuf formats the family is named after its
 * samples, and info families are gauges.
 */
function familyHeader(group: Group, openmetrics: boolean): { help: string; familyName: string; sampleName: string; typeWord: PromType | 'gauge' } {
  const name = group.name!;
  const labels = [...group.labels].sort();
  const help =
    group.helps[0] ??
    `mmstats ${labels.length > 1 ? 'labels' : 'label'} ${labels.map((l) => JSON.stringify(l)).join(', ')} (${[...group.descriptions].sort().join(', ')})`;
  let familyName = name;
  let sampleName = name;
  let typeWord: PromType | 'gauge' = group.type;
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
  return { help, familyName, sampleName, typeWord };
}

/** A family as the protobuf answer has it: the 0.0.4 text format's names, type, help and labels. */
function protobufFamily(group: Group): ProtobufFamily {
  const { help, familyName, typeWord } = familyHeader(group, false);
  const kind: ProtobufValueKind = group.type === 'counter' || group.type === 'gauge' ? 'value' : group.type === 'info' ? 'info' : group.type;
  return {
    name: familyName,
    help,
    type: typeWord === 'info' ? 'gauge' : typeWord,
    series: group.series.map((series) => ({ labels: series.labels, kind: series.family.part === 'value' ? kind : series.family.part, file: series.file, field: series.field, twins: series.twins ?? -1 })),
  };
}

/** Compiles one family: its HELP, TYPE (and UNIT) lines, then each series' lines with slots for its values. */
function compileGroup(builder: ExpositionBuilder, group: Group, openmetrics: boolean): void {
  const name = group.name!;
  const { help, familyName, sampleName, typeWord } = familyHeader(group, openmetrics);
  builder.text(`# HELP ${familyName} ${escapeHelp(help, openmetrics)}\n# TYPE ${familyName} ${typeWord}\n`);
  const unit = unitSuffix(group.unit);
  if (openmetrics && unit !== '' && name.endsWith(`_${unit}`)) builder.text(`# UNIT ${familyName} ${unit}\n`);
  for (const series of group.series) {
    const labels = labelText(series.labels);
    switch (group.type) {
      case 'counter':
      case 'gauge':
        builder.text(`${sampleName}{${labels}} `);
        builder.slot(series.family.part === 'value' ? SLOT.sample : SLOT[series.family.part], series);
        builder.text('\n');
        break;
      case 'info':
        builder.slot(SLOT.info, series, { before: `${sampleName}{${labels},value="`, after: '"} 1\n', twins: series.twins ?? -1 });
        break;
      case 'histogram':
        builder.slot(SLOT.histogram, series, { name, labelText: labels });
        break;
      case 'summary':
        builder.text(`${name}_sum{${labels}} `);
        builder.slot(SLOT.sum, series);
        builder.text(`\n${name}_count{${labels}} `);
        builder.slot(SLOT.count, series);
        builder.text('\n');
        break;
    }
  }
}

// A record's dimensions never change: make their labels once per dims object.
const dimsLabels = new WeakMap<object, readonly LabelPair[]>();
function dimensionLabels(dims: Readonly<Record<string, string>>): readonly LabelPair[] {
  let labels = dimsLabels.get(dims);
  if (labels === undefined) {
    const used = new Set<string>();
    const made: LabelPair[] = [];
    for (const key of Object.keys(dims).sort()) {
      let name = dimensionLabelName(key);
      // Two keys that sanitise alike (`a.b`, `a-b`) stay apart.
      for (let n = 2; used.has(name); n++) name = `${dimensionLabelName(key)}_${n}`;
      used.add(name);
      made.push([name, dims[key]!]);
    }
    dimsLabels.set(dims, (labels = made));
  }
  return labels;
}

// 0.0.4 escapes only backslash and newline in HELP; OpenMetrics escapes double quotes too.
function escapeHelp(text: string, openmetrics: boolean): string {
  return text.replace(openmetrics ? /[\\"\n]/g : /[\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}
