/**
 * Units as Prometheus names spell them: OpenTelemetry's UCUM units (`s`, `By`, `1`, `{request}`)
 * turned into the words that end metric names (`seconds`, `bytes`, `ratio`), the way the
 * OpenTelemetry specification's Prometheus compatibility rules (and the Collector's Prometheus
 * exporter) turn them, and back. v2 records hold the Prometheus word (spec/format-v2.md#record:
 * "Units SHOULD be Prometheus base units").
 *
 * @module
 */

/** UCUM units and their Prometheus words (OpenTelemetry's Prometheus compatibility rules). */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};

/** The UCUM units after a `/` and their words (`By/s` → `bytes_per_second`). */
const PER_UNIT_WORDS: Readonly<Record<string, string>> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

const invert = (words: Readonly<Record<string, string>>): ReadonlyMap<string, string> => new Map(Object.entries(words).map(([ucum, word]) => [word, ucum]));
const UCUM_OF_WORD = invert(UNIT_WORDS);
const UCUM_OF_PER_WORD = invert(PER_UNIT_WORDS);

/**
 * The Prometheus word for a unit, as OpenTelemetry's Prometheus compatibility rules give it:
 * `{…}` annotations dropped (`{request}` → `""`, `By{packet}` → `bytes`), UCUM units spelled out
 * (`s` → `seconds`, `By` → `bytes`, `ms` → `milliseconds`, `%` → `percent`), `x/y` as
 * `x_per_y` (`By/s` → `bytes_per_second`, `1/s` → `per_second`), `1` → `""` except for a
 * gauge, where it is `ratio`. A unit that is already a word (`seconds`, `requests`) or that
 * UCUM does not list (`widgets`) is kept as it is.
 *
 * @param unit - the unit, UCUM or a word; `""` for none
 * @param options - `gauge: true` for a gauge (`1` → `ratio`); default `false`
 */
export function prometheusUnit(unit: string, options: { readonly gauge?: boolean } = {}): string {
  const bare = unit.replace(/\{[^}]*\}/g, '').trim();
  if (bare === '1') return options.gauge === true ? 'ratio' : '';
  const slash = bare.indexOf('/');
  if (slash < 0) return UNIT_WORDS[bare] ?? bare;
  const [top, per] = [bare.slice(0, slash), bare.slice(slash + 1)];
  const topWord = top === '1' ? '' : (UNIT_WORDS[top] ?? top);
  const perWord = PER_UNIT_WORDS[per] ?? UNIT_WORDS[per] ?? per;
  return perWord === '' ? topWord : topWord === '' ? `per_${perWord}` : `${topWord}_per_${perWord}`;
}

/**
 * The UCUM unit for a Prometheus word, the reverse of {@link prometheusUnit}: `seconds` → `s`,
 * `bytes_per_second` → `By/s`, `ratio` → `1`, `""` → `""`; any other word as a UCUM annotation
 * (`requests` → `{requests}`), which says what is counted without claiming a UCUM unit.
 */
export function ucumUnit(word: string): string {
  if (word === '') return '';
  if (word === 'ratio') return '1';
  const known = UCUM_OF_WORD.get(word);
  if (known !== undefined) return known;
  const per = /^(?:(.+)_)?per_(.+)$/.exec(word);
  if (per !== null) {
    const top = per[1] === undefined ? '1' : UCUM_OF_WORD.get(per[1]);
    const bottom = UCUM_OF_PER_WORD.get(per[2]!) ?? UCUM_OF_WORD.get(per[2]!);
    if (top !== undefined && bottom !== undefined) return `${top}/${bottom}`;
  }
  return /^\{.*\}$/.test(word) ? word : `{${word}}`;
}
