/**
 * Info series that a file has twice with the same labels (two records whose labels give one
 * name and the same dimensions: "twins") differ only by their value, which changes from
 * scrape to scrape; both exposition formats write each value of a twin group once, since the
 * same labels and value twice would be a duplicate series, which scrapers reject.
 *
 * @module
 */

/** The values of twin groups written so far in one render: make one per render. */
export class TwinValues {
  #seen: Map<number, Set<string>> | undefined;

  /**
   * Whether `value` is to be written for twin group `twins`: the first time in this render
   * (it is then remembered), and always for `twins` −1 (a series without twins).
   */
  first(twins: number, value: string): boolean {
    if (twins < 0) return true;
    this.#seen ??= new Map();
    let seen = this.#seen.get(twins);
    if (seen === undefined) this.#seen.set(twins, (seen = new Set()));
    if (seen.has(value)) return false;
    seen.add(value);
    return true;
  }
}
