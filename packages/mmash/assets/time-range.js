// The time range every chart shows: live (following the newest event) or zoomed into a range
// that one chart chose by a drag. One instance is shared, so zooming one chart zooms them all.

/** @typedef {{ readonly min: number, readonly max: number }} Range seconds since the epoch */

export class TimeRange {
  /** @type {Range | null} */
  #zoom = null;
  /** @type {Set<(zoom: Range | null) => void>} */
  #listeners = new Set();

  /** The zoomed range, or `null` while following live. */
  get zoom() {
    return this.#zoom;
  }

  /**
   * Zooms every chart into `[min, max]` (in either order); a range of no width is ignored, so
   * a click is not a zoom.
   *
   * @param {number} a
   * @param {number} b
   */
  set(a, b) {
    const min = Math.min(a, b);
    const max = Math.max(a, b);
    if (!(max > min)) return;
    this.#zoom = { min, max };
    this.#notify();
  }

  /** Back to following live. */
  reset() {
    if (this.#zoom === null) return;
    this.#zoom = null;
    this.#notify();
  }

  /**
   * Calls `listener` after every change.
   *
   * @param {(zoom: Range | null) => void} listener
   * @returns {() => void} to stop listening
   */
  listen(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify() {
    for (const listener of this.#listeners) listener(this.#zoom);
  }
}
