// The card of one plotted label: its merged view (the files combined: a line, or a heatmap for
// histograms and timers) and, beside it, its per-worker view (one line per file, named by its
// writer), updated from each event.
import { Heatmap, BucketHistory } from './heatmap.js';
import { LineChart } from './line-chart.js';
import { baseName, describe, formatValue, toNumber } from './values.js';

/** @import { EventHistogram, EventStat, EventWriter, StatsEvent } from '../src/events.js' */
/** @import { JsonData } from '@mmstats/format' */
/** @import { Series } from './line-chart.js' */
/** @import { TimeRange } from './time-range.js' */

/**
 * How the page plots, from the sidebar: `aggr` combines the files in the merged view (any of
 * the server's aggregators), `rate` draws counters as their rate per second, `workers` adds
 * the per-worker view.
 *
 * @typedef {{ aggr: string, rate: boolean, workers: boolean }} PlotOptions
 */

/**
 * The names of the per-worker lines: each file by its worker slot (`worker 3`), else its writer
 * (`pid 4242`), or by its name when it says neither; a record with dimensions adds them
 * (`pid 4242 {status=2xx}`).
 */
export class WorkerNames {
  /** @type {Record<string, EventWriter>} */
  #writers = {};
  /** @type {Map<string, string>} file key -> name, for the keys seen with these writers */
  #names = new Map();

  /** @param {StatsEvent} event */
  update(event) {
    this.#writers = event.writers;
    this.#names.clear();
  }

  /**
   * @param {string} key - a file key of {@link EventStat.files}: a path, or `path {k=v,...}`
   * @returns {string}
   */
  nameOf(key) {
    let name = this.#names.get(key);
    if (name === undefined) {
      name = this.#compute(key);
      this.#names.set(key, name);
    }
    return name;
  }

  /** @param {string} key */
  #compute(key) {
    // The path is the key, or the part before one of its " {": the first such part that is a file read.
    for (let end = key.length; end > 0; end = key.lastIndexOf(' {', end - 1)) {
      const path = key.slice(0, end);
      const writer = Object.hasOwn(this.#writers, path) ? this.#writers[path] : undefined;
      if (writer === undefined) continue;
      const who = writer.slot !== undefined ? `worker ${writer.slot}` : writer.pid !== undefined ? `pid ${writer.pid}` : baseName(path);
      return end === key.length ? who : `${who}${key.slice(end)}`;
    }
    return baseName(key);
  }
}

export class Panel {
  /** @type {HTMLElement} */
  root;
  /** The label this panel plots. */
  label;
  #meta;
  #last;
  #note;
  #mergedBody;
  #mergedCaption;
  #workersFigure;
  #workersBody;
  #workersCaption;
  #range;
  /** @type {string | undefined} what the views are made for: the stat's kind and unit */
  #shape;
  /** @type {LineChart | Heatmap | undefined} */
  #merged;
  /** @type {LineChart | undefined} */
  #perWorker;
  /** @type {BucketHistory | undefined} */
  #buckets;
  /** @type {Map<string, [number, number | null]>} series key -> [time, value] of the previous event, for rates and interval means */
  #previous = new Map();
  /** @type {Map<string, [number, number | null]>} the same of this event: only the series still there are kept */
  #current = new Map();

  /**
   * @param {string} label
   * @param {TimeRange} range - shared by every chart
   * @param {{ kind: string, unit: string } | undefined} detail - from the index, until the first event says
   */
  constructor(label, range, detail) {
    this.label = label;
    this.#range = range;
    this.root = document.createElement('article');
    this.root.className = 'panel';
    this.root.setAttribute('aria-label', label);
    const title = document.createElement('h3');
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = label;
    this.#meta = document.createElement('span');
    this.#meta.className = 'meta';
    if (detail) this.#meta.textContent = describe(detail.kind, detail.unit);
    // <data>: the number shown, machine-readable in its `value`.
    this.#last = document.createElement('data');
    this.#last.className = 'last';
    title.append(name, this.#meta, this.#last);
    const views = document.createElement('div');
    views.className = 'views';
    [this.#mergedCaption, this.#mergedBody] = figure(views, 'merged');
    [this.#workersCaption, this.#workersBody, this.#workersFigure] = figure(views, 'per-worker');
    this.#note = document.createElement('div');
    this.#note.className = 'note';
    this.root.append(title, views, this.#note);
  }

  destroy() {
    this.#dropViews();
    this.root.remove();
  }

  resize() {
    if (this.#merged instanceof LineChart) this.#merged.resize();
    else this.#merged?.draw();
    this.#perWorker?.resize();
  }

  /**
   * Shows the event's values of this label.
   *
   * @param {StatsEvent} event
   * @param {PlotOptions} options
   * @param {WorkerNames} names
   */
  update(event, options, names) {
    const stat = event.stats[this.label];
    if (stat === undefined) {
      this.#note.textContent = 'not in any file right now';
      return;
    }
    this.#note.textContent = '';
    if (stat.kind === 'string') return this.#showText(stat, names);
    if (this.#workersFigure.hidden === options.workers) {
      // The merged view takes the whole width, or gives half back.
      this.#workersFigure.hidden = !options.workers;
      this.resize();
    }
    // Counters as a rate are another chart; histograms and the rest are not affected by it.
    const shape = `${stat.kind} ${stat.unit} ${stat.kind === 'number' && options.rate}`;
    if (shape !== this.#shape) this.#makeViews(stat, shape);
    const keys = Object.keys(stat.files).sort();
    this.#current = new Map();
    if (stat.kind === 'histogram') this.#showHistogram(event.t, stat, keys, options, names);
    else this.#showNumbers(event.t, stat, keys, options, names);
    this.#previous = this.#current;
  }

  /**
   * @param {EventStat} stat
   * @param {string} shape
   */
  #makeViews(stat, shape) {
    this.#dropViews();
    this.#shape = shape;
    this.#previous.clear();
    if (stat.kind === 'histogram') {
      this.#buckets = new BucketHistory();
      this.#merged = new Heatmap(this.#mergedBody, this.#range, this.#buckets, stat.unit);
    } else {
      this.#merged = new LineChart(this.#mergedBody, this.#range);
    }
    this.#perWorker = new LineChart(this.#workersBody, this.#range);
  }

  #dropViews() {
    this.#merged?.destroy();
    this.#perWorker?.destroy();
    this.#merged = this.#perWorker = this.#buckets = this.#shape = undefined;
  }

  /**
   * The merged heatmap, and per worker the mean of what was recorded in the last interval
   * (Δsum / Δcount: the interval's latency, for a timer).
   *
   * @param {number} t
   * @param {EventStat} stat
   * @param {string[]} keys
   * @param {PlotOptions} options
   * @param {WorkerNames} names
   */
  #showHistogram(t, stat, keys, options, names) {
    /** @type {[string, EventHistogram][]} */
    const histograms = [];
    for (const key of keys) {
      const value = asHistogram(stat.files[key]);
      if (value !== undefined) histograms.push([key, value]);
    }
    /** @type {BucketHistory} */ (this.#buckets).push(t, histograms);
    /** @type {Heatmap} */ (this.#merged).draw();
    const merged = asHistogram(stat.aggr);
    const p99 = merged === undefined ? null : toNumber(merged.p99);
    this.#setLast(p99, `p99 ${formatValue(p99, stat.unit)}`);
    this.#meta.textContent = describe(`${stat.recordKind}: heatmap`, stat.unit);
    this.#mergedCaption.textContent = 'merged: count per interval and bucket';
    this.#workersCaption.textContent = 'per worker: mean of each interval';
    if (!options.workers) return;
    const values = histograms.map(([key, h]) => {
      const count = toNumber(h.count);
      const sum = toNumber(h.sum);
      const before = this.#previous.get(`${key}\ncount`);
      const sumBefore = this.#previous.get(`${key}\nsum`);
      this.#current.set(`${key}\ncount`, [t, count]);
      this.#current.set(`${key}\nsum`, [t, sum]);
      if (count === null || sum === null || before?.[1] == null || sumBefore?.[1] == null) return null;
      const counted = count - before[1];
      return counted > 0 ? (sum - sumBefore[1]) / counted : null;
    });
    const keysShown = histograms.map(([key]) => key);
    /** @type {LineChart} */ (this.#perWorker).push(t, { keys: keysShown, labels: keysShown.map((key) => names.nameOf(key)), values, unit: stat.unit });
  }

  /**
   * Numbers, windows (their rate) and averages (their mean): the combined line, and one line
   * per worker; counters as their rate per second when asked.
   *
   * @param {number} t
   * @param {EventStat} stat
   * @param {string[]} keys
   * @param {PlotOptions} options
   * @param {WorkerNames} names
   */
  #showNumbers(t, stat, keys, options, names) {
    const field = stat.kind === 'window' ? 'rate' : stat.kind === 'average' ? 'mean' : undefined;
    const read = (/** @type {JsonData | EventHistogram | undefined} */ value) => toNumber(field && value && typeof value === 'object' && !Array.isArray(value) ? /** @type {Record<string, unknown>} */ (value)[field] : value);
    const asRate = stat.kind === 'number' && stat.recordKind === 'counter' && options.rate;
    /** @type {(key: string, value: number | null) => number | null} */
    const shown = asRate ? (key, value) => this.#rate(key, t, value) : (_, value) => value;
    let unit = stat.kind === 'window' ? '/s' : stat.unit;
    let what = stat.kind === 'window' ? 'window: rate' : stat.kind === 'average' ? 'average: mean' : stat.recordKind;
    if (asRate) {
      unit = stat.unit ? `${stat.unit}/s` : '/s';
      what = 'counter: rate';
    }
    const merged = shown(`\n${options.aggr}`, read(stat.aggr));
    /** @type {LineChart} */ (this.#merged).push(t, { keys: [options.aggr], labels: [options.aggr], values: [merged], unit });
    this.#setLast(merged, formatValue(merged, unit));
    this.#meta.textContent = describe(what, unit);
    this.#mergedCaption.textContent = `merged: ${options.aggr}`;
    this.#workersCaption.textContent = 'per worker';
    if (!options.workers) return;
    /** @type {Series} */
    const series = { keys, labels: keys.map((key) => names.nameOf(key)), values: keys.map((key) => shown(key, read(stat.files[key]))), unit };
    /** @type {LineChart} */ (this.#perWorker).push(t, series);
  }

  /**
   * The change per second of series `key` since the previous event; `null` for the first
   * event and after a reset (the value went down).
   *
   * @param {string} key
   * @param {number} t
   * @param {number | null} value
   */
  #rate(key, t, value) {
    const before = this.#previous.get(key);
    this.#current.set(key, [t, value]);
    if (!before || value === null || before[1] === null || t <= before[0] || value < before[1]) return null;
    return (value - before[1]) / (t - before[0]);
  }

  /**
   * Text: a table of each worker's text, and the combined text when there is one.
   *
   * @param {EventStat} stat
   * @param {WorkerNames} names
   */
  #showText(stat, names) {
    if (this.#shape !== 'string') {
      this.#dropViews();
      this.#shape = 'string';
    }
    const rows = Object.keys(stat.files)
      .sort()
      .map((key) => {
        const who = document.createElement('td');
        who.textContent = names.nameOf(key);
        who.title = key;
        const text = document.createElement('td');
        text.className = 'value';
        text.textContent = String(stat.files[key]);
        const row = document.createElement('tr');
        row.append(who, text);
        return row;
      });
    const table = document.createElement('table');
    table.append(...rows);
    this.#mergedBody.replaceChildren(table);
    this.#mergedCaption.textContent = 'per worker';
    this.#workersFigure.hidden = true;
    this.#meta.textContent = describe(stat.recordKind, stat.unit);
    const combined = stat.aggr == null ? '' : String(stat.aggr);
    this.#last.value = combined;
    this.#last.textContent = combined;
  }

  /**
   * @param {number | null} value
   * @param {string} text
   */
  #setLast(value, text) {
    this.#last.value = value === null ? '' : String(value);
    this.#last.textContent = text;
  }
}

/**
 * A figure with a caption in `parent`.
 *
 * @param {HTMLElement} parent
 * @param {string} className
 * @returns {[HTMLElement, HTMLElement, HTMLElement]} the caption, the chart's container, the figure
 */
function figure(parent, className) {
  const root = document.createElement('figure');
  root.className = className;
  const caption = document.createElement('figcaption');
  const body = document.createElement('div');
  body.className = 'chart';
  root.append(caption, body);
  parent.append(root);
  return [caption, body, root];
}

/**
 * `value` when it is a histogram of the event (it has buckets).
 *
 * @param {JsonData | EventHistogram | null | undefined} value
 * @returns {EventHistogram | undefined}
 */
function asHistogram(value) {
  return value !== null && typeof value === 'object' && 'buckets' in value ? /** @type {EventHistogram} */ (value) : undefined;
}
