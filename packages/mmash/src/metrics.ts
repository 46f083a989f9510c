/**
 * The `/metrics` exposition: every numeric field of every file as a gauge series, string
 * fields as info series, each labelled with the writing process's `pid` and the `file`.
 *
 * @module
 */
import type { Value } from '@mmstats/format';
import type { StatsSnapshot } from '@mmstats/reader';
import type { MetricsFormat } from './content-negotiation.js';
import { metricName } from './metric-names.js';

interface Series {
  /** `pid="…",file="…"`, rendered once per file: most of the exposition's bytes. */
  readonly fileLabels: string;
  readonly mmstatsLabel: string;
  /** The text of a string field (the info series' `value` label). */
  readonly text: string | undefined;
  readonly value: string;
}

interface Family {
  readonly kind: 'gauge' | 'info';
  readonly mmstatsLabels: Set<string>;
  readonly types: Set<string>;
  readonly series: Series[];
}

/**
 * Renders `snapshots` in the exposition `format` (Prometheus text 0.0.4 or OpenMetrics 1.0.0).
 *
 * - Names follow `metricName` (the rule is documented there); when two different mmstats
 *   labels give the same name, each of that family's series also carries the original as
 *   `mmstats_label`.
 * - Every series carries `file` (the path) and `pid`, taken from the file's `sys.pid` field
 *   (the label `sys.pid` or any label ending in `.sys.pid`, as the default models of the
 *   writers produce it); files without one have no `pid` label.
 * - Format v1 has no semantic kinds (a counter and a gauge are both a `Q`), so every numeric
 *   field is a `gauge`; booleans are 0 or 1; 64-bit integers are printed exactly.
 * - String fields become `info` families (OpenMetrics; a gauge `<name>_info` with value 1 in
 *   0.0.4) carrying the text as the `value` label. Mind the cardinality of strings that
 *   change often. When a label is a number in one file and a string in another, the string
 *   family is named `<name>_text` so that the two never share a name.
 *
 * Families are sorted by name, series by file. The result ends with a newline (0.0.4) or
 * with `# EOF` (OpenMetrics), as the formats require.
 */
export function renderMetrics(snapshots: readonly StatsSnapshot[], format: MetricsFormat): string {
  const families = collectFamilies(snapshots);
  const openmetrics = format === 'openmetrics';
  let out = '';
  for (const name of [...families.keys()].sort()) {
    const family = families.get(name)!;
    const disambiguate = family.mmstatsLabels.size > 1;
    const sampleName = family.kind === 'info' ? `${name}_info` : name;
    const familyName = openmetrics ? name : sampleName;
    const labels = [...family.mmstatsLabels].sort();
    const help = `mmstats ${labels.length > 1 ? 'labels' : 'label'} ${labels.map((l) => JSON.stringify(l)).join(', ')} (type ${[...family.types].sort().join(', ')})`;
    out += `# HELP ${familyName} ${escapeHelp(help, openmetrics)}\n`;
    out += `# TYPE ${familyName} ${openmetrics ? family.kind : 'gauge'}\n`;
    const seen = new Set<string>();
    for (const series of family.series) {
      let labelText = series.fileLabels;
      if (disambiguate) labelText += `,mmstats_label="${escapeLabelValue(series.mmstatsLabel)}"`;
      if (series.text !== undefined) labelText += `,value="${escapeLabelValue(series.text)}"`;
      // The same label twice in one file would make a duplicate series, which scrapers reject.
      if (seen.has(labelText)) continue;
      seen.add(labelText);
      out += `${sampleName}{${labelText}} ${series.value}\n`;
    }
  }
  return openmetrics ? `${out}# EOF\n` : out;
}

// Every scrape names the same labels again; the regexes of metricName dominate otherwise.
const names = new Map<string, string>();
function cachedName(label: string): string {
  let name = names.get(label);
  if (name === undefined) {
    // Bounded: a writer that churns through labels cannot grow this forever.
    if (names.size >= 100_000) names.clear();
    name = metricName(label);
    names.set(label, name);
  }
  return name;
}

function collectFamilies(snapshots: readonly StatsSnapshot[]): Map<string, Family> {
  const families = new Map<string, Family>();
  const add = (name: string, kind: Family['kind'], label: string, type: string, series: Series): void => {
    let family = families.get(name);
    if (family === undefined) {
      family = { kind, mmstatsLabels: new Set(), types: new Set(), series: [] };
      families.set(name, family);
    }
    family.mmstatsLabels.add(label);
    family.types.add(type);
    family.series.push(series);
  };
  const ordered = [...snapshots].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // Numbers first, so that a string field knows whether its name is already a gauge's.
  for (const snapshot of ordered) {
    const fileLabels = fileLabelsOf(snapshot);
    for (const field of snapshot.fields) {
      if (typeof field.value === 'string') continue;
      add(cachedName(field.label), 'gauge', field.label, field.type, { fileLabels, mmstatsLabel: field.label, text: undefined, value: sampleValue(field.value) });
    }
  }
  for (const snapshot of ordered) {
    const fileLabels = fileLabelsOf(snapshot);
    for (const field of snapshot.fields) {
      if (typeof field.value !== 'string') continue;
      let name = cachedName(field.label);
      while (families.get(name)?.kind === 'gauge') name += '_text';
      add(name, 'info', field.label, field.type, { fileLabels, mmstatsLabel: field.label, text: field.value, value: '1' });
    }
  }
  return families;
}

/** `pid="…",file="…"` (`pid` only when the file has a numeric `sys.pid`). */
function fileLabelsOf(snapshot: StatsSnapshot): string {
  const pidField = snapshot.fields.find(
    (field) => (field.label === 'sys.pid' || field.label.endsWith('.sys.pid')) && typeof field.value !== 'string' && typeof field.value !== 'boolean',
  );
  const file = `file="${escapeLabelValue(snapshot.path)}"`;
  return pidField === undefined ? file : `pid="${String(pidField.value)}",${file}`;
}

/** A sample value as both formats spell it: exact integers, `NaN`, `+Inf`, `-Inf`. */
function sampleValue(value: Exclude<Value, string>): string {
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
