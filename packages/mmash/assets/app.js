// The mmash dashboard: lists the stats (with their kinds and units) and files, and plots the
// chosen stats live from the server-sent events of /events (whose payload is typed in
// src/events.ts): for each, the files merged (a line; histograms and timers as a heatmap) and
// one line per worker beside it. The search box filters the stat list and the charts; a drag
// across any chart zooms all of them into that time range. Plain ES modules, checked by
// tsc --checkJs (tsconfig.assets.json), no build step; uPlot comes from mmash itself.
import { Panel, WorkerNames } from './panel.js';
import { normalSearch, matchesSearch, renderFileList, renderStatList } from './sidebar.js';
import { TimeRange } from './time-range.js';
import { clockTime } from './values.js';

/** @import { StatsEvent } from '../src/events.js' */
/** @import { PlotOptions } from './panel.js' */
/** @import { FileList, StatDetail } from './sidebar.js' */

/** How often the lists of stats and files are refreshed, in milliseconds. */
const INDEX_REFRESH_MS = 5000;
/** The merged view's aggregator when the URL names none. */
const DEFAULT_AGGREGATOR = 'sum';

/**
 * The element with `id`, of the type the page declares it with.
 *
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
function byId(id, type) {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`the page has no #${id}`);
  return node;
}

const el = {
  status: byId('status', HTMLElement),
  mode: byId('mode', HTMLSelectElement),
  rate: byId('rate', HTMLInputElement),
  workers: byId('workers', HTMLInputElement),
  glob: byId('glob', HTMLInputElement),
  search: byId('search', HTMLInputElement),
  stats: byId('stats', HTMLElement),
  statCount: byId('stat-count', HTMLElement),
  files: byId('files', HTMLElement),
  fileCount: byId('file-count', HTMLElement),
  charts: byId('charts', HTMLElement),
  hint: byId('hint', HTMLElement),
  zoom: byId('zoom', HTMLElement),
  zoomText: byId('zoom-range', HTMLElement),
  zoomReset: byId('zoom-reset', HTMLButtonElement),
};

/**
 * What is plotted, kept in the URL's fragment so a view can be bookmarked or shared.
 *
 * @type {PlotOptions & { selected: string[], glob: string }}
 */
const state = readHash();
const range = new TimeRange();
const names = new WorkerNames();
/** @type {Map<string, Panel>} by label */
const panels = new Map();
/** @type {EventSource | undefined} */
let source;
/** @type {StatDetail[]} the index, one entry per label */
let stats = [];

el.mode.value = state.aggr;
el.glob.value = state.glob;
el.rate.checked = state.rate;
el.workers.checked = state.workers;
// The panels keep their history through these: each rebuilds what changes on the next event,
// and the stream stays as it is (only what is asked of the server reopens it).
el.rate.addEventListener('change', () => {
  state.rate = el.rate.checked;
  saveHash();
});
el.workers.addEventListener('change', () => {
  state.workers = el.workers.checked;
  saveHash();
});
el.mode.addEventListener('change', () => {
  state.aggr = el.mode.value;
  saveAndConnect();
});
el.glob.addEventListener('change', () => {
  state.glob = el.glob.value.trim();
  resetPanels();
  saveAndConnect();
  void refreshIndex();
});
el.search.addEventListener('input', () => {
  showStatList();
  applySearch();
});
el.zoomReset.addEventListener('click', () => range.reset());
range.listen((zoom) => {
  el.zoom.hidden = zoom === null;
  el.zoomText.textContent = zoom === null ? '' : `${clockTime(zoom.min)} – ${clockTime(zoom.max)}`;
});
window.addEventListener('resize', () => panels.forEach((panel) => panel.resize()));
// Graphs fit again when the grid reflows without a window resize.
new ResizeObserver(() => panels.forEach((panel) => panel.resize())).observe(el.charts);

void refreshIndex();
window.setInterval(() => void refreshIndex(), INDEX_REFRESH_MS);
saveAndConnect();

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  return {
    selected: params.getAll('stat'),
    aggr: params.get('aggr') || DEFAULT_AGGREGATOR,
    glob: params.get('glob') ?? '',
    rate: params.get('rate') === '1',
    workers: params.get('workers') !== '0',
  };
}

function saveAndConnect() {
  saveHash();
  connect();
}

function saveHash() {
  const params = new URLSearchParams();
  for (const label of state.selected) params.append('stat', label);
  if (state.aggr !== DEFAULT_AGGREGATOR) params.set('aggr', state.aggr);
  if (state.glob) params.set('glob', state.glob);
  if (state.rate) params.set('rate', '1');
  if (!state.workers) params.set('workers', '0');
  history.replaceState(null, '', `#${params}`);
}

/** (Re)opens the event stream for the current selection. */
function connect() {
  source?.close();
  source = undefined;
  el.hint.hidden = state.selected.length > 0;
  for (const [label, panel] of panels) {
    if (!state.selected.includes(label)) {
      panel.destroy();
      panels.delete(label);
    }
  }
  for (const label of state.selected) {
    if (panels.has(label)) continue;
    const panel = new Panel(label, range, stats.find((stat) => stat.label === label));
    panels.set(label, panel);
    el.charts.append(panel.root);
  }
  applySearch();
  if (state.selected.length === 0) {
    setStatus('pick stats to plot');
    return;
  }
  const params = new URLSearchParams();
  for (const label of state.selected) params.append('stat', label);
  params.set('aggr', state.aggr);
  if (state.glob) params.set('glob', state.glob);
  source = new EventSource(`/events?${params}`);
  source.addEventListener('message', (event) => onEvent(/** @type {StatsEvent} */ (JSON.parse(event.data))));
  source.addEventListener('failure', (event) => setStatus(`server error: ${JSON.parse(/** @type {MessageEvent} */ (event).data).error}`, true));
  source.addEventListener('error', () => setStatus('disconnected, retrying…', true));
}

function resetPanels() {
  for (const panel of panels.values()) panel.destroy();
  panels.clear();
}

/** Hides the panels whose label does not match the search. */
function applySearch() {
  const search = normalSearch(el.search.value);
  for (const panel of panels.values()) panel.root.hidden = !matchesSearch(panel.label, search);
}

/** @param {StatsEvent} event */
function onEvent(event) {
  setStatus(`live · ${event.files.length} files · ${clockTime(event.t)}`);
  names.update(event);
  for (const panel of panels.values()) panel.update(event, state, names);
}

async function refreshIndex() {
  const query = state.glob ? `&glob=${encodeURIComponent(state.glob)}` : '';
  try {
    const [index, files] = await Promise.all([getJson(`/stats/?detail=1${query}`), getJson(`/files/${encodeURIComponent(state.glob)}`)]);
    /** @type {Map<string, StatDetail>} */
    const byLabel = new Map();
    for (const entry of /** @type {{ stats: StatDetail[] }} */ (index).stats) if (!byLabel.has(entry.label)) byLabel.set(entry.label, entry);
    stats = [...byLabel.values()];
    showStatList();
    const list = /** @type {FileList} */ (files);
    el.fileCount.textContent = `(${list.files.length})`;
    renderFileList(el.files, list, (name) => {
      el.glob.value = name;
      el.glob.dispatchEvent(new Event('change'));
    });
    if (!source) setStatus(`${list.files.length} files`);
  } catch (error) {
    setStatus(error instanceof Error ? error.message : String(error), true);
  }
}

function showStatList() {
  el.statCount.textContent = `(${stats.length})`;
  renderStatList(el.stats, stats, normalSearch(el.search.value), (label) => state.selected.includes(label), (label, selected) => {
    state.selected = selected ? [...state.selected, label] : state.selected.filter((l) => l !== label);
    saveAndConnect();
  });
}

/**
 * @param {string} url
 * @returns {Promise<unknown>}
 */
async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

/**
 * @param {string} text
 * @param {boolean} [error] - default false
 */
function setStatus(text, error = false) {
  el.status.textContent = text;
  el.status.classList.toggle('error', error);
}
