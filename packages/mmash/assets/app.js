// The mmash dashboard: lists the stats (with their kinds and units) and files, and plots the
// chosen stats live from the server-sent events of /events: numbers as lines (counters
// optionally as a rate), histograms and timers as p50/p90/p99 lines, windows as their rate,
// averages as their mean, text as a table. Plain ES module, no build step; uPlot comes from
// mmash itself.
import uPlot from './uplot.esm.js';

/** How many points a graph keeps: ten minutes at one event per second. */
const MAX_POINTS = 600;
/** How often the lists of stats and files are refreshed, in milliseconds. */
const INDEX_REFRESH_MS = 5000;
const COLORS = ['#e63946', '#1d3557', '#2a9d8f', '#f4a261', '#6d597a', '#457b9d', '#e76f51', '#8ab17d', '#b5179e', '#264653'];
const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });
/** The percentiles /events sends for histograms, in the order they are drawn. */
const QUANTILES = ['p50', 'p90', 'p99'];

const el = {
  status: document.getElementById('status'),
  mode: document.getElementById('mode'),
  rate: document.getElementById('rate'),
  glob: document.getElementById('glob'),
  filter: document.getElementById('filter'),
  stats: document.getElementById('stats'),
  statCount: document.getElementById('stat-count'),
  files: document.getElementById('files'),
  fileCount: document.getElementById('file-count'),
  charts: document.getElementById('charts'),
  hint: document.getElementById('hint'),
};

/** What is plotted, kept in the URL's fragment so a view can be bookmarked or shared. */
const state = readHash();
/** label -> panel (see makePanel) */
const panels = new Map();
let source;
let labels = [];
/** label -> { kind, unit } from /stats/?detail=1 */
let details = new Map();

el.mode.value = state.aggr;
el.glob.value = state.glob;
el.rate.checked = state.rate;
el.rate.addEventListener('change', () => {
  state.rate = el.rate.checked;
  resetPanels();
  saveAndConnect();
});
el.mode.addEventListener('change', () => {
  state.aggr = el.mode.value;
  resetPanels();
  saveAndConnect();
});
el.glob.addEventListener('change', () => {
  state.glob = el.glob.value.trim();
  resetPanels();
  saveAndConnect();
  void refreshIndex();
});
el.filter.addEventListener('input', renderStatList);
window.addEventListener('resize', () => panels.forEach(sizePanel));

void refreshIndex();
window.setInterval(() => void refreshIndex(), INDEX_REFRESH_MS);
saveAndConnect();

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  return { selected: params.getAll('stat'), aggr: params.get('aggr') ?? '', glob: params.get('glob') ?? '', rate: params.get('rate') === '1' };
}

function saveAndConnect() {
  const params = new URLSearchParams();
  for (const label of state.selected) params.append('stat', label);
  if (state.aggr) params.set('aggr', state.aggr);
  if (state.glob) params.set('glob', state.glob);
  if (state.rate) params.set('rate', '1');
  history.replaceState(null, '', `#${params}`);
  params.delete('rate');
  connect(params);
}

/** (Re)opens the event stream for the current selection. */
function connect(params) {
  source?.close();
  source = undefined;
  el.hint.hidden = state.selected.length > 0;
  for (const [label, panel] of panels) {
    if (!state.selected.includes(label)) {
      panel.plot?.destroy();
      panel.root.remove();
      panels.delete(label);
    }
  }
  for (const label of state.selected) if (!panels.has(label)) panels.set(label, makePanel(label));
  if (state.selected.length === 0) {
    setStatus('pick stats to plot');
    return;
  }
  source = new EventSource(`/events?${params}`);
  source.addEventListener('message', (event) => onStats(JSON.parse(event.data)));
  source.addEventListener('failure', (event) => setStatus(`server error: ${JSON.parse(event.data).error}`, true));
  source.addEventListener('error', () => setStatus('disconnected, retrying…', true));
}

function resetPanels() {
  for (const panel of panels.values()) {
    panel.plot?.destroy();
    panel.root.remove();
  }
  panels.clear();
}

async function refreshIndex() {
  const query = state.glob ? `&glob=${encodeURIComponent(state.glob)}` : '';
  try {
    const [stats, files] = await Promise.all([getJson(`/stats/?detail=1${query}`), getJson(`/files/${encodeURIComponent(state.glob)}`)]);
    details = new Map();
    for (const entry of stats.stats) if (!details.has(entry.label)) details.set(entry.label, entry);
    labels = [...details.keys()];
    renderStatList();
    renderFileList(files);
    if (!source) setStatus(`${files.files.length} files`);
  } catch (error) {
    setStatus(String(error.message ?? error), true);
  }
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

function renderStatList() {
  const filter = el.filter.value.trim().toLowerCase();
  const shown = labels.filter((label) => label.toLowerCase().includes(filter));
  el.statCount.textContent = `(${labels.length})`;
  el.stats.replaceChildren(
    ...shown.map((label) => {
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = state.selected.includes(label);
      box.addEventListener('change', () => {
        state.selected = box.checked ? [...state.selected, label] : state.selected.filter((l) => l !== label);
        saveAndConnect();
      });
      const text = document.createElement('span');
      text.textContent = label;
      const row = document.createElement('label');
      row.append(box, text);
      const detail = details.get(label);
      if (detail) {
        const meta = document.createElement('span');
        meta.className = 'meta';
        meta.textContent = describe(detail.kind, detail.unit);
        row.append(meta);
      }
      const item = document.createElement('li');
      item.append(row);
      return item;
    }),
  );
}

function renderFileList(files) {
  el.fileCount.textContent = `(${files.files.length})`;
  const items = files.files.map((path) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = baseName(path);
    button.title = `${path}\nclick: plot only this file`;
    button.addEventListener('click', () => {
      el.glob.value = baseName(path);
      el.glob.dispatchEvent(new window.Event('change'));
    });
    const item = document.createElement('li');
    item.append(button);
    return item;
  });
  for (const bad of files.errors) {
    const item = document.createElement('li');
    item.className = 'bad';
    item.textContent = `${baseName(bad.file)}: ${bad.code}`;
    item.title = bad.message;
    items.push(item);
  }
  el.files.replaceChildren(...items);
}

/** A card for one stat: a graph for numbers, a table for text. */
function makePanel(label) {
  const root = document.createElement('article');
  root.className = 'panel';
  root.dataset.label = label;
  const title = document.createElement('h3');
  const name = document.createElement('span');
  name.textContent = label;
  const meta = document.createElement('span');
  meta.className = 'meta';
  const detail = details.get(label);
  if (detail) meta.textContent = describe(detail.kind, detail.unit);
  const last = document.createElement('output');
  last.className = 'last';
  title.append(name, meta, last);
  const note = document.createElement('div');
  note.className = 'note';
  const body = document.createElement('div');
  body.className = 'chart';
  root.append(title, body, note);
  el.charts.append(root);
  return { root, meta, last, note, body, kind: undefined, keys: [], data: [[]], plot: undefined, zoomed: false, unit: '', previous: new Map() };
}

function onStats(event) {
  const time = new Date(event.t * 1000).toLocaleTimeString();
  setStatus(`live · ${event.files.length} files · ${time}`);
  for (const [label, panel] of panels) {
    const stat = event.stats[label];
    if (!stat) {
      panel.note.textContent = 'not in any file right now';
      continue;
    }
    if (stat.kind === 'string') showText(panel, stat);
    else plotNumbers(panel, stat, event.t, seriesOf(panel, stat, event.t));
  }
}

function showText(panel, stat) {
  if (panel.kind !== 'string') {
    panel.plot?.destroy();
    panel.plot = undefined;
    panel.kind = 'string';
  }
  const rows = Object.entries(stat.files).map(([path, value]) => {
    const file = document.createElement('td');
    file.textContent = baseName(path);
    file.title = path;
    const text = document.createElement('td');
    text.className = 'value';
    text.textContent = String(value);
    const row = document.createElement('tr');
    row.append(file, text);
    return row;
  });
  const table = document.createElement('table');
  table.append(...rows);
  panel.body.replaceChildren(table);
  panel.last.textContent = state.aggr && stat.aggr != null ? String(stat.aggr) : '';
  panel.note.textContent = '';
}

/**
 * What a stat's panel draws: `keys` (one per line), their `labels` in the legend, their
 * `values` now, the `unit` of the values and the `what` shown beside the title.
 */
function seriesOf(panel, stat, t) {
  const combined = Boolean(state.aggr);
  const files = Object.keys(stat.files).sort();
  const pick = (value, field) => toNumber(value && typeof value === 'object' ? value[field] : null);
  if (stat.kind === 'histogram') {
    if (combined) return { keys: QUANTILES, labels: QUANTILES, values: QUANTILES.map((q) => pick(stat.aggr, q)), unit: stat.unit, what: `${stat.recordKind}: percentiles` };
    const keys = files.flatMap((file) => QUANTILES.map((q) => `${file}\n${q}`));
    return {
      keys,
      labels: files.flatMap((file) => QUANTILES.map((q) => `${baseName(file)} ${q}`)),
      values: files.flatMap((file) => QUANTILES.map((q) => pick(stat.files[file], q))),
      unit: stat.unit,
      what: `${stat.recordKind}: percentiles`,
    };
  }
  const field = stat.kind === 'window' ? 'rate' : stat.kind === 'average' ? 'mean' : undefined;
  const read = (value) => (field ? pick(value, field) : toNumber(value));
  const keys = combined ? [state.aggr] : files;
  let values = combined ? [read(stat.aggr)] : files.map((file) => read(stat.files[file]));
  let unit = stat.kind === 'window' ? '/s' : stat.unit;
  let what = stat.kind === 'window' ? 'window: rate' : stat.kind === 'average' ? 'average: mean' : stat.recordKind;
  if (stat.kind === 'number' && stat.recordKind === 'counter' && state.rate) {
    // A counter as its rate per second: the change since the previous event (none after a reset).
    values = keys.map((key, i) => {
      const before = panel.previous.get(key);
      panel.previous.set(key, [t, values[i]]);
      if (!before || values[i] === null || before[1] === null || t <= before[0] || values[i] < before[1]) return null;
      return (values[i] - before[1]) / (t - before[0]);
    });
    unit = stat.unit ? `${stat.unit}/s` : '/s';
    what = 'counter: rate';
  }
  return { keys, labels: combined ? keys : keys.map(baseName), values, unit, what };
}

function plotNumbers(panel, stat, t, series) {
  const { keys, values } = series;
  if (panel.kind !== stat.kind || panel.unit !== series.unit || !sameKeys(panel.keys, keys)) rebuildPlot(panel, stat.kind, series);
  panel.meta.textContent = describe(series.what, series.unit);
  const data = panel.data;
  data[0].push(t);
  values.forEach((value, i) => data[i + 1].push(value));
  if (data[0].length > MAX_POINTS) data.forEach((column) => column.splice(0, data[0].length - MAX_POINTS));
  // While zoomed, keep the user's x range; otherwise follow the newest point.
  panel.plot.setData(data, !panel.zoomed);
  const latest = values[0];
  panel.root.dataset.last = latest === null ? '' : String(latest);
  panel.root.dataset.series = series.labels.join(',');
  panel.last.textContent = values.length === 1 ? formatValue(latest, series.unit) : stat.kind === 'histogram' && state.aggr ? `p99 ${formatValue(values[2], series.unit)}` : `${values.length} lines`;
  panel.note.textContent = panel.zoomed ? 'zoomed: double-click to follow live' : '';
}

/** A new uPlot for the series `keys`, carrying over the points of series that stay. */
function rebuildPlot(panel, kind, { keys, labels, unit }) {
  const old = panel.kind === kind && panel.unit === unit ? new Map(panel.keys.map((key, i) => [key, panel.data[i + 1]])) : new Map();
  const xs = panel.kind === kind && panel.unit === unit ? panel.data[0] : [];
  panel.data = [xs, ...keys.map((key) => old.get(key) ?? xs.map(() => null))];
  panel.keys = keys;
  panel.kind = kind;
  panel.unit = unit;
  panel.plot?.destroy();
  panel.body.replaceChildren();
  const options = {
    width: chartWidth(panel),
    height: 220,
    scales: { x: { time: true } },
    series: [{}, ...keys.map((key, i) => ({ label: labels[i], stroke: COLORS[i % COLORS.length], width: 2, value: (u, v) => formatValue(v, unit) }))],
    axes: [{}, { size: 80, values: (u, ticks) => ticks.map((v) => formatValue(v, unit)) }],
    cursor: { drag: { x: true, y: false } },
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width > 0) panel.zoomed = true;
        },
      ],
    },
  };
  panel.plot = new uPlot(options, panel.data, panel.body);
  panel.plot.over.addEventListener('dblclick', () => {
    panel.zoomed = false;
    panel.plot.setData(panel.data, true);
  });
}

function sizePanel(panel) {
  panel.plot?.setSize({ width: chartWidth(panel), height: 220 });
}

function chartWidth(panel) {
  return Math.max(200, panel.root.clientWidth - 24);
}

function sameKeys(a, b) {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

/** A JSON value (spec/expected-json.md) as a number uPlot can draw, or null for a gap. */
function toNumber(value) {
  if (typeof value === 'boolean') return value ? 1 : 0;
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** A number for people, with its unit: seconds and bytes scaled (`12.5 ms`, `3 KiB`), others as given. */
function formatValue(value, unit = '') {
  if (value === null || value === undefined) return '–';
  if (unit === 'seconds') {
    const abs = Math.abs(value);
    if (abs !== 0 && abs < 1e-6) return `${numberFormat.format(value * 1e9)} ns`;
    if (abs !== 0 && abs < 1e-3) return `${numberFormat.format(value * 1e6)} µs`;
    if (abs !== 0 && abs < 1) return `${numberFormat.format(value * 1e3)} ms`;
    return `${numberFormat.format(value)} s`;
  }
  if (unit === 'bytes') {
    const steps = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    let scaled = value;
    while (Math.abs(scaled) >= 1024 && i < steps.length - 1) {
      scaled /= 1024;
      i++;
    }
    return `${numberFormat.format(scaled)} ${steps[i]}`;
  }
  return unit ? `${numberFormat.format(value)} ${unit}` : numberFormat.format(value);
}

/** `kind · unit`, for the stat list and the panel titles. */
function describe(kind, unit) {
  return unit ? `${kind} · ${unit}` : kind;
}

function baseName(path) {
  return path.slice(path.lastIndexOf('/') + 1);
}

function setStatus(text, error = false) {
  el.status.textContent = text;
  el.status.classList.toggle('error', error);
}

// ResizeObserver keeps graphs fitted when the grid reflows without a window resize.
if (typeof ResizeObserver === 'function') {
  new ResizeObserver(() => panels.forEach(sizePanel)).observe(el.charts);
}
