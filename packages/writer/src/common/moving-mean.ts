/**
 * The running mean of the latest N values, for the moving-average fields of both formats
 * (v1 `MovingAverageField`, v2 `MovingAverageV2`).
 *
 * @module
 */

/**
 * The mean of the last `size` values; until `size` values have come, the mean of those
 * seen. The window sum is kept running (O(1) per value) and recomputed from the window each
 * time it wraps, so rounding never drifts.
 */
export class MovingMean {
  /** How many values the mean covers. */
  readonly size: number;
  readonly #window: Float64Array;
  #next = 0;
  #seen = 0;
  #sum = 0;

  /** @param size - how many values the mean covers, at least 1 */
  constructor(size: number) {
    this.size = size;
    this.#window = new Float64Array(size);
  }

  /** Adds a value, dropping the oldest once `size` have come, and returns the new mean. */
  push(value: number): number {
    const window = this.#window;
    const i = this.#next;
    this.#sum += value - window[i]!;
    window[i] = value;
    if (this.#seen < this.size) this.#seen += 1;
    if (i + 1 === this.size) {
      this.#next = 0;
      let sum = 0;
      for (let k = 0; k < window.length; k++) sum += window[k]!;
      this.#sum = sum;
    } else {
      this.#next = i + 1;
    }
    return this.#sum / this.#seen;
  }
}
