/**
 * Sparklines: a row's recent history in one line of characters, one per sample, each as tall
 * as the sample is between the smallest and the largest shown.
 *
 * @module
 */

/** The eight heights in Unicode block elements (U+2581..U+2588), lowest first. */
export const UNICODE_LEVELS = '▁▂▃▄▅▆▇█';
/** The eight heights in ASCII, for terminals whose locale is not UTF-8. */
export const ASCII_LEVELS = '_.-~=+*#';

/**
 * The last `width` of `samples` as a sparkline drawn with `levels` (default
 * {@link UNICODE_LEVELS}), right-aligned (padded with spaces on the left, so the newest sample
 * is always at the right edge). Heights run from zero (or the lowest sample, when one is
 * negative) to the highest, so a steady non-zero rate is a full bar and an idle one the lowest.
 * A sample that is `undefined` or not finite (no value that tick: a histogram with nothing
 * recorded) is a space.
 */
export function sparkline(samples: readonly (number | undefined)[], width: number, levels: string = UNICODE_LEVELS): string {
  if (width <= 0) return '';
  const shown = samples.slice(-width);
  const chars = [...levels];
  const finite = shown.filter((v): v is number => v !== undefined && Number.isFinite(v));
  const low = Math.min(0, ...finite);
  const high = Math.max(...finite);
  const span = high - low;
  const top = chars.length - 1;
  const line = shown.map((v) => {
    if (v === undefined || !Number.isFinite(v)) return ' ';
    if (span === 0) return chars[0]!;
    return chars[Math.min(top, Math.max(0, Math.round(((v - low) / span) * top)))]!;
  });
  return ' '.repeat(width - line.length) + line.join('');
}
