// A live line chart (uPlot): one line per series key, the newest point appended per event,
// the last MAX_POINTS kept, its x range shared with every other chart through a TimeRange.
import uPlot from './uplot.esm.js';
import { formatValue } from './values.js';

/** @import { TimeRange } from './time-range.js' */

/** How many points a chart keeps: ten minutes at one event per second. */
export const MAX_POINTS = 600;
/** The height of every chart, in CSS pixels. */
export const CHART_HEIGHT = 200;
const COLORS = ['#e63946', '#1d3557', '#2a9d8f', '#f4a261', '#6d597a', '#457b9d', '#e76f51', '#8ab17d', '#b5179e', '#264653'];

/**
 * What a chart draws at one instant: a value (or `null`, a gap) per line, each line's key
 * (stable across events, so its history carries over), its label in the legend, and the unit.
 *
 * @typedef {{ keys: string[], labels: string[], values: (number | null)[], unit: string }} Series
 */

export class LineChart {
  /** @type {HTMLElement} */
  #body;
  /** @type {TimeRange} */
  #range;
  /** @type {uPlot | undefined} */
  #plot;
  /** @type {string[]} */
  #keys = [];
  #unit = '';
  /** @type {(number | null)[][]} the times, then each line's values */
  #data = [[]];
  #stopListening;

  /**
   * @param {HTMLElement} body - where the chart goes
   * @param {TimeRange} range - the shared x range: a drag here zooms it, a double-click resets it
   */
  constructor(body, range) {
    this.#body = body;
    this.#range = range;
    this.#stopListening = range.listen(() => this.#applyRange());
  }

  /**
   * Appends the values of the event at `t` (seconds since the epoch); a new set of keys or
   * another unit rebuilds the chart, keeping the history of the keys that stay.
   *
   * @param {number} t
   * @param {Series} series
   */
  push(t, series) {
    if (this.#plot === undefined || this.#unit !== series.unit || !sameKeys(this.#keys, series.keys)) this.#rebuild(series);
    const data = this.#data;
    data[0]?.push(t);
    series.values.forEach((value, i) => data[i + 1]?.push(value));
    const excess = (data[0]?.length ?? 0) - MAX_POINTS;
    if (excess > 0) data.forEach((column) => column.splice(0, excess));
    // While zoomed, the x scale stays where the user put it.
    this.#plot?.setData(/** @type {uPlot.AlignedData} */ (data), this.#range.zoom === null);
  }

  /** Fits the chart to its container's width. */
  resize() {
    this.#plot?.setSize({ width: this.#width(), height: CHART_HEIGHT });
  }

  destroy() {
    this.#stopListening();
    this.#plot?.destroy();
    this.#plot = undefined;
  }

  /** @param {Series} series */
  #rebuild({ keys, labels, unit }) {
    const keep = this.#unit === unit;
    const old = keep ? new Map(this.#keys.map((key, i) => [key, this.#data[i + 1]])) : new Map();
    const xs = (keep ? this.#data[0] : undefined) ?? [];
    this.#data = [xs, ...keys.map((key) => old.get(key) ?? xs.map(() => null))];
    this.#keys = keys;
    this.#unit = unit;
    this.#plot?.destroy();
    this.#body.replaceChildren();
    /** @type {uPlot.Options} */
    const options = {
      width: this.#width(),
      height: CHART_HEIGHT,
      scales: { x: { time: true } },
      series: [{}, ...keys.map((_, i) => ({ label: labels[i] ?? '', stroke: COLORS[i % COLORS.length] ?? '', width: 2, value: (/** @type {uPlot} */ _u, /** @type {number | null} */ v) => formatValue(v, unit) }))],
      axes: [{}, { size: 70, values: (_u, ticks) => ticks.map((v) => formatValue(v, unit)) }],
      cursor: { drag: { x: true, y: false, setScale: false } },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width <= 0) return;
            const from = u.posToVal(u.select.left, 'x');
            const to = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            this.#range.set(from, to);
          },
        ],
      },
    };
    const plot = new uPlot(options, /** @type {uPlot.AlignedData} */ (this.#data), this.#body);
    plot.over.addEventListener('dblclick', () => this.#range.reset());
    this.#plot = plot;
    this.#applyRange();
  }

  #applyRange() {
    const plot = this.#plot;
    if (plot === undefined) return;
    const zoom = this.#range.zoom;
    if (zoom === null) plot.setData(/** @type {uPlot.AlignedData} */ (this.#data), true);
    else plot.setScale('x', zoom);
  }

  #width() {
    return Math.max(200, this.#body.clientWidth);
  }
}

/**
 * @param {readonly string[]} a
 * @param {readonly string[]} b
 */
function sameKeys(a, b) {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}
