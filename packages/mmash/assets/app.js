// The mmash dashboard: lists the stats and files, and plots the chosen stats live from the
// server-sent events of /events. Plain ES module, no build step; uPlot comes from mmash itself.
import uPlot from './uplot.esm.js';

/** How many points a graph keeps: ten minutes at one event per second. */
const MAX_POINTS = 600;
/** How often the lists of stats and files are refreshed, in milliseconds. */
const INDEX_REFRESH_MS = 5000;
const COLORS = ['#e63946', '#1d3557', '#2a9d8f', '#f4a261', '#6d597a', '#457b9d', '#e76f51', '#8ab17d', '#b5179e', '#264653'];
const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

const el = {
  status: document.getElementById('status'),
  mode: document.getElementById('mode'),
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

el.mode.value = state.aggr;
el.glob.value = state.glob;
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
  return { selected: params.getAll('stat'), aggr: params.get('aggr') ?? '', glob: params.get('glob') ?? '' };
}

function saveAndConnect() {
  const params = new URLSearchParams();
  for (const label of state.selected) params.append('stat', label);
  if (state.aggr) params.set('aggr', state.aggr);
  if (state.glob) params.set('glob', state.glob);
  history.replaceState(null, '', `#${params}`);
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
  const query = state.glob ? `?glob=${encodeURIComponent(state.glob)}` : '';
  try {
    const [stats, files] = await Promise.all([getJson(`/stats/${query}`), getJson(`/files/${encodeURIComponent(state.glob)}`)]);
    labels = stats.stats;
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
  const last = document.createElement('output');
  last.className = 'last';
  title.append(name, last);
  const note = document.createElement('div');
  note.className = 'note';
  const body = document.createElement('div');
  body.className = 'chart';
  root.append(title, body, note);
  el.charts.append(root);
  return { root, last, note, body, kind: undefined, keys: [], data: [[]], plot: undefined, zoomed: false };
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
    else plotNumbers(panel, stat, event.t);
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

function plotNumbers(panel, stat, t) {
  const keys = state.aggr ? [state.aggr] : Object.keys(stat.files).sort();
  const values = state.aggr ? [toNumber(stat.aggr)] : keys.map((key) => toNumber(stat.files[key]));
  if (panel.kind !== 'number' || !sameKeys(panel.keys, keys)) rebuildPlot(panel, keys);
  const data = panel.data;
  data[0].push(t);
  values.forEach((value, i) => data[i + 1].push(value));
  if (data[0].length > MAX_POINTS) data.forEach((column) => column.splice(0, data[0].length - MAX_POINTS));
  // While zoomed, keep the user's x range; otherwise follow the newest point.
  panel.plot.setData(data, !panel.zoomed);
  const latest = values[0];
  panel.root.dataset.last = latest === null ? '' : String(latest);
  panel.last.textContent = values.length === 1 ? formatValue(latest) : `${values.length} files`;
  panel.note.textContent = panel.zoomed ? 'zoomed: double-click to follow live' : '';
}

/** A new uPlot for the series `keys`, carrying over the points of series that stay. */
function rebuildPlot(panel, keys) {
  const old = new Map(panel.keys.map((key, i) => [key, panel.data[i + 1]]));
  const xs = panel.kind === 'number' ? panel.data[0] : [];
  panel.data = [xs, ...keys.map((key) => old.get(key) ?? xs.map(() => null))];
  panel.keys = keys;
  panel.kind = 'number';
  panel.plot?.destroy();
  panel.body.replaceChildren();
  const options = {
    width: chartWidth(panel),
    height: 220,
    scales: { x: { time: true } },
    series: [{}, ...keys.map((key, i) => ({ label: state.aggr ? key : baseName(key), stroke: COLORS[i % COLORS.length], width: 2, value: (u, v) => formatValue(v) }))],
    axes: [{}, { size: 70, values: (u, ticks) => ticks.map((v) => numberFormat.format(v)) }],
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

function formatValue(value) {
  return value === null || value === undefined ? '–' : numberFormat.format(value);
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
