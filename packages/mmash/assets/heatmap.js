// A histogram or timer over time: x is time, y the buckets (log scale: the buckets are
// log-linear), and each cell's colour the count recorded in that bucket during that interval,
// from the difference of the cumulative bucket counts of consecutive events, summed over files.
// Drawn as SVG: one rect per non-empty cell, with a tooltip saying what it counts.
import { CHART_HEIGHT, MAX_POINTS } from './line-chart.js';
import { clockTime, formatValue } from './values.js';

/** @import { EventBucket, EventHistogram } from '../src/events.js' */
/** @import { TimeRange } from './time-range.js' */

const SVG = 'http://www.w3.org/2000/svg';
/** Space for the y axis's labels on the left and the time axis below, in pixels. */
const LEFT = 70;
const BOTTOM = 18;
/** The narrowest a column is drawn, in pixels: more intervals than fit are merged, so a drawing has at most width / 2 columns. */
const MIN_CELL_WIDTH = 2;
/** From few to many: light yellow to dark purple (viridis, reversed, so empty is white). */
const RAMP = [
  [253, 231, 37],
  [94, 201, 98],
  [33, 145, 140],
  [59, 82, 139],
  [68, 1, 84],
];

/**
 * One interval's counts: those recorded in `(from, to]` (seconds since the epoch), per bucket.
 *
 * @typedef {{ from: number, to: number, cells: EventBucket[] }} Column
 */

/**
 * Where times are drawn: `from` at pixel `left`, `to` at `left + width`.
 *
 * @typedef {{ from: number, to: number, left: number, width: number }} Scale
 */

/**
 * The counts per interval of one histogram label, merged over files and kept per file.
 */
export class BucketHistory {
  /** @type {Map<string, Map<number | null, number>>} the cumulative counts of each file (key) at the last event */
  #previous = new Map();
  /** @type {number | undefined} */
  #lastT;
  /** @type {Column[]} the merged counts, oldest first */
  columns = [];

  /**
   * Takes the event at `t`: for each file, what each bucket gained since the file's previous
   * event, summed into one column. A file seen for the first time adds nothing (when its counts
   * were recorded is unknown), and a bucket that went down (the file was replaced) counts from
   * zero.
   *
   * @param {number} t
   * @param {Iterable<[string, EventHistogram]>} files - each file's histogram, by file key
   */
  push(t, files) {
    /** @type {Map<number | null, EventBucket>} */
    const gained = new Map();
    const seen = new Set();
    for (const [key, histogram] of files) {
      seen.add(key);
      const before = this.#previous.get(key);
      /** @type {Map<number | null, number>} */
      const now = new Map();
      for (const [lower, upper, count] of histogram.buckets) {
        now.set(lower, count);
        if (before === undefined) continue;
        const was = before.get(lower) ?? 0;
        const delta = count >= was ? count - was : count;
        if (delta > 0) addCount(gained, [lower, upper, delta]);
      }
      this.#previous.set(key, now);
    }
    for (const key of this.#previous.keys()) if (!seen.has(key)) this.#previous.delete(key);
    if (this.#lastT !== undefined) {
      this.columns.push({ from: this.#lastT, to: t, cells: [...gained.values()] });
      if (this.columns.length > MAX_POINTS) this.columns.splice(0, this.columns.length - MAX_POINTS);
    }
    this.#lastT = t;
  }
}

/**
 * Draws a {@link BucketHistory} into an SVG element and makes a drag across it zoom `range`
 * (a double-click resets it).
 */
export class Heatmap {
  /** @type {SVGSVGElement} */
  svg;
  /** @type {HTMLElement} */
  #body;
  /** @type {TimeRange} */
  #range;
  /** @type {BucketHistory} */
  #history;
  #unit;
  /** @type {Scale | undefined} the x scale of the last drawing */
  #scale;
  #stopListening;

  /**
   * @param {HTMLElement} body - where the heatmap goes
   * @param {TimeRange} range - the shared x range
   * @param {BucketHistory} history - what to draw
   * @param {string} unit - of the bucket bounds
   */
  constructor(body, range, history, unit) {
    this.#body = body;
    this.#range = range;
    this.#history = history;
    this.#unit = unit;
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('class', 'heatmap');
    this.svg.setAttribute('role', 'img');
    body.replaceChildren(this.svg);
    this.#listenForDrags();
    this.#stopListening = range.listen(() => this.draw());
  }

  destroy() {
    this.#stopListening();
    this.svg.remove();
  }

  /** Draws the columns within the range (the whole history while live). */
  draw() {
    const width = Math.max(200, this.#body.clientWidth);
    const height = CHART_HEIGHT;
    const columns = this.#history.columns;
    const zoom = this.#range.zoom;
    const from = zoom?.min ?? columns[0]?.from;
    const to = zoom?.max ?? columns.at(-1)?.to;
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(height));
    this.svg.replaceChildren();
    if (from === undefined || to === undefined || !(to > from)) {
      this.#scale = undefined;
      this.svg.append(text(LEFT, height / 2, 'waiting for a second event…', 'empty'));
      this.svg.setAttribute('aria-label', 'heatmap: no interval yet');
      return;
    }
    const plotWidth = width - LEFT;
    const shown = atMost(
      columns.filter((c) => c.to > from && c.from < to),
      Math.max(1, Math.floor(plotWidth / MIN_CELL_WIDTH)),
    );
    const cells = shown.flatMap((column) => column.cells.map((cell) => /** @type {const} */ ([column, cell])));
    const plotHeight = height - BOTTOM;
    this.#scale = { from, to, left: LEFT, width: plotWidth };
    const x = (/** @type {number} */ t) => LEFT + ((Math.min(Math.max(t, from), to) - from) / (to - from)) * plotWidth;
    const bottom = Math.min(...cells.map(([, cell]) => log2Lower(cell)));
    const top = Math.max(...cells.map(([, cell]) => log2Upper(cell)));
    const y = (/** @type {number} */ v) => plotHeight - ((v - bottom) / (top - bottom)) * plotHeight;
    const most = Math.max(1, ...cells.map(([, cell]) => cell[2]));
    for (const [column, cell] of cells) {
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('class', 'cell');
      const left = x(column.from);
      rect.setAttribute('x', String(left));
      rect.setAttribute('width', String(Math.max(1, x(column.to) - left)));
      const high = y(log2Upper(cell));
      rect.setAttribute('y', String(high));
      rect.setAttribute('height', String(Math.max(1, y(log2Lower(cell)) - high)));
      rect.setAttribute('fill', colour(cell[2] / most));
      const title = document.createElementNS(SVG, 'title');
      title.textContent = `${clockTime(column.from)}–${clockTime(column.to)} · ${bucketText(cell, this.#unit)}: ${cell[2]}`;
      rect.append(title);
      this.svg.append(rect);
    }
    if (cells.length > 0) {
      this.svg.append(text(LEFT - 4, plotHeight, formatValue(2 ** bottom, this.#unit), 'y-axis bottom'));
      this.svg.append(text(LEFT - 4, 10, formatValue(2 ** top, this.#unit), 'y-axis top'));
      this.svg.append(...colourKey(LEFT + plotWidth / 2, height - 10, most));
    } else {
      this.svg.append(text(LEFT, plotHeight / 2, 'nothing recorded in this range', 'empty'));
    }
    this.svg.append(text(LEFT, height - 4, clockTime(from), 'x-axis start'), text(width, height - 4, clockTime(to), 'x-axis end'));
    this.svg.setAttribute('aria-label', `heatmap: ${cells.length} cells from ${clockTime(from)} to ${clockTime(to)}`);
  }

  #listenForDrags() {
    /** @type {number | undefined} */
    let start;
    const band = document.createElementNS(SVG, 'rect');
    band.setAttribute('class', 'selection');
    /** @param {PointerEvent} event */
    const timeAt = (event) => {
      const scale = this.#scale;
      if (scale === undefined) return undefined;
      const px = event.clientX - this.svg.getBoundingClientRect().left;
      return scale.from + ((Math.min(Math.max(px, scale.left), scale.left + scale.width) - scale.left) / scale.width) * (scale.to - scale.from);
    };
    this.svg.addEventListener('pointerdown', (event) => {
      start = timeAt(event);
      if (start === undefined) return;
      this.svg.setPointerCapture(event.pointerId);
    });
    this.svg.addEventListener('pointermove', (event) => {
      const now = timeAt(event);
      if (start === undefined || now === undefined || this.#scale === undefined) return;
      const a = this.#pixelOf(start);
      const b = this.#pixelOf(now);
      band.setAttribute('x', String(Math.min(a, b)));
      band.setAttribute('width', String(Math.abs(b - a)));
      band.setAttribute('y', '0');
      band.setAttribute('height', String(CHART_HEIGHT - BOTTOM));
      this.svg.append(band);
    });
    this.svg.addEventListener('pointerup', (event) => {
      const end = timeAt(event);
      const from = start;
      start = undefined;
      band.remove();
      if (from === undefined || end === undefined || Math.abs(this.#pixelOf(end) - this.#pixelOf(from)) < 3) return;
      this.#range.set(from, end);
    });
    this.svg.addEventListener('dblclick', () => this.#range.reset());
  }

  /** @param {number} t */
  #pixelOf(t) {
    const scale = /** @type {Scale} */ (this.#scale);
    return scale.left + ((t - scale.from) / (scale.to - scale.from)) * scale.width;
  }
}

/**
 * `columns` merged into at most `most` columns, each spanning as many consecutive intervals
 * (and summing their counts per bucket) as it takes.
 *
 * @param {Column[]} columns
 * @param {number} most
 * @returns {Column[]}
 */
function atMost(columns, most) {
  const size = Math.ceil(columns.length / most);
  if (size <= 1) return columns;
  /** @type {Column[]} */
  const merged = [];
  for (let i = 0; i < columns.length; i += size) {
    const group = columns.slice(i, i + size);
    /** @type {Map<number | null, EventBucket>} */
    const sums = new Map();
    for (const { cells } of group) for (const cell of cells) addCount(sums, cell);
    merged.push({ from: /** @type {Column} */ (group[0]).from, to: /** @type {Column} */ (group.at(-1)).to, cells: [...sums.values()] });
  }
  return merged;
}

/**
 * Adds `cell`'s count to its bucket's in `counts` (by lower end).
 *
 * @param {Map<number | null, EventBucket>} counts
 * @param {EventBucket} cell
 */
function addCount(counts, [lower, upper, count]) {
  counts.set(lower, [lower, upper, (counts.get(lower)?.[2] ?? 0) + count]);
}

/**
 * The log2 of a bucket's lower end; the underflow bucket (from −∞) drawn as tall as the bucket above it.
 *
 * @param {EventBucket} cell
 */
function log2Lower([lower, upper]) {
  return lower !== null ? Math.log2(lower) : Math.log2(/** @type {number} */ (upper)) - 1;
}

/**
 * The log2 of a bucket's upper end; the overflow bucket (to +∞) one power of two tall.
 *
 * @param {EventBucket} cell
 */
function log2Upper([lower, upper]) {
  return upper !== null ? Math.log2(upper) : Math.log2(/** @type {number} */ (lower)) + 1;
}

/**
 * `[64 B, 68 B)`, `< 1 ns`, `≥ 500 years`: what a bucket holds.
 *
 * @param {EventBucket} cell
 * @param {string} unit
 */
function bucketText([lower, upper], unit) {
  if (lower === null) return `< ${formatValue(upper, unit)}`;
  if (upper === null) return `≥ ${formatValue(lower, unit)}`;
  return `[${formatValue(lower, unit)}, ${formatValue(upper, unit)})`;
}

/**
 * The colour of a cell holding `share` (0 to 1) of the largest count in view; a square root
 * so that a few observations beside many still show.
 *
 * @param {number} share
 */
function colour(share) {
  const position = Math.sqrt(Math.min(Math.max(share, 0), 1)) * (RAMP.length - 1);
  const i = Math.min(Math.floor(position), RAMP.length - 2);
  const f = position - i;
  const a = /** @type {number[]} */ (RAMP[i]);
  const b = /** @type {number[]} */ (RAMP[i + 1]);
  const mix = a.map((v, c) => Math.round(v + ((b[c] ?? v) - v) * f));
  return `rgb(${mix.join(', ')})`;
}

/**
 * The key to the colours, in the middle of the time axis: a bar from the colour of 1 to that of `most`.
 *
 * @param {number} middle - x of its centre
 * @param {number} y - of its bottom
 * @param {number} most - the largest count in view
 * @returns {SVGElement[]}
 */
function colourKey(middle, y, most) {
  const width = 80;
  const steps = 8;
  /** @type {SVGElement[]} */
  const parts = [];
  for (let i = 0; i < steps; i++) {
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('class', 'key');
    rect.setAttribute('x', String(middle - width / 2 + (i * width) / steps));
    rect.setAttribute('y', String(y - 6));
    rect.setAttribute('width', String(width / steps));
    rect.setAttribute('height', '6');
    rect.setAttribute('fill', colour(most === 1 ? 1 : (1 + ((most - 1) * i) / (steps - 1)) / most));
    parts.push(rect);
  }
  parts.push(text(middle - width / 2 - 4, y + 2, '1', 'key-low'), text(middle + width / 2 + 4, y + 2, `${most} per cell`, 'key-high'));
  return parts;
}

/**
 * @param {number} x
 * @param {number} y
 * @param {string} content
 * @param {string} className
 */
function text(x, y, content, className) {
  const node = document.createElementNS(SVG, 'text');
  node.setAttribute('x', String(x));
  node.setAttribute('y', String(y));
  node.setAttribute('class', className);
  node.textContent = content;
  return node;
}
