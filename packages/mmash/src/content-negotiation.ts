/**
 * Choosing the exposition format of `/metrics` from the scraper's `Accept` header, as
 * Prometheus expects of an exporter: the protobuf format (native histograms) or OpenMetrics
 * when it is preferred, the classic text format otherwise.
 *
 * @module
 */

/** The exposition formats `/metrics` speaks. */
export type MetricsFormat = 'prometheus-text' | 'openmetrics' | 'protobuf';

/**
 * The `Content-Type` of each {@link MetricsFormat}; the protobuf one is the media type and
 * parameters Prometheus reads a varint-delimited stream of `io.prometheus.client.MetricFamily`
 * messages by (and client_golang sends).
 */
export const METRICS_CONTENT_TYPES: Readonly<Record<MetricsFormat, string>> = {
  'prometheus-text': 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
  protobuf: 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
};

/** One media range of an `Accept` header: its type (lower case), parameters (names lower case) and quality. */
export interface MediaRange {
  /** `type/subtype`, lower case (`application/openmetrics-text`, or a wildcard). */
  readonly type: string;
  /** The parameters other than `q`, names lower case, quoted values unquoted. */
  readonly params: ReadonlyMap<string, string>;
  /** The `q` parameter, 0 to 1; 1 when absent, 0 when it is not a valid qvalue. */
  readonly q: number;
}

/**
 * The media ranges of an `Accept` header (RFC 9110 §12.5.1): comma-separated, each a type and
 * `;`-separated parameters whose values may be quoted strings (a comma or semicolon inside
 * quotes belongs to the value). A `q` that is not a qvalue (`0` to `1`, three decimals at
 * most) counts as 0, so that a malformed preference never wins. Ranges without a `/` are
 * dropped. Linear in the header's length.
 */
export function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  let at = 0;
  const n = accept.length;
  while (at < n) {
    const typeEnd = scanUntil(accept, at, ';,');
    const type = accept.slice(at, typeEnd).trim().toLowerCase();
    at = typeEnd;
    const params = new Map<string, string>();
    let q = 1;
    while (at < n && accept[at] === ';') {
      const nameEnd = scanUntil(accept, at + 1, '=;,');
      const name = accept.slice(at + 1, nameEnd).trim().toLowerCase();
      at = nameEnd;
      let value = '';
      if (accept[at] === '=') {
        [value, at] = paramValue(accept, at + 1);
      }
      if (name === 'q') q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value) ? Number(value) : 0;
      else if (name !== '') params.set(name, value);
    }
    if (type.includes('/')) ranges.push({ type, params, q });
    at++; // the comma
  }
  return ranges;
}

/** The index of the first of `stops` in `text` from `from` (or its end). */
function scanUntil(text: string, from: number, stops: string): number {
  let at = from;
  while (at < text.length && !stops.includes(text[at]!)) at++;
  return at;
}

/** A parameter's value from `from`, a token or a quoted string (unquoted), and where it ends. */
function paramValue(text: string, from: number): [string, number] {
  let at = from;
  while (text[at] === ' ' || text[at] === '\t') at++;
  if (text[at] !== '"') {
    const end = scanUntil(text, at, ';,');
    return [text.slice(at, end).trim().toLowerCase(), end];
  }
  let value = '';
  for (at++; at < text.length && text[at] !== '"'; at++) value += text[at] === '\\' ? (text[++at] ?? '') : text[at];
  return [value.toLowerCase(), scanUntil(text, at + 1, ';,')];
}

/**
 * The format to answer an `Accept` header with, by the quality each range gives it:
 * - `protobuf` when `application/vnd.google.protobuf` with
 *   `proto=io.prometheus.client.MetricFamily` and `encoding=delimited` has a higher quality
 *   than both the text format and OpenMetrics (what Prometheus sends with native histograms
 *   enabled); wildcards never select it;
 * - else `openmetrics` when `application/openmetrics-text` (version 1.0.0, 0.0.1 or
 *   unspecified) has a higher quality than any media range that admits the text format
 *   (`text/plain`, `text/*`, `*\/*`);
 * - `prometheus-text` otherwise, including for a missing or unparsable header and for one
 *   that admits none (a scraper that names nothing we speak still gets the format every
 *   scraper reads).
 */
export function negotiateMetricsFormat(accept: string | undefined): MetricsFormat {
  if (!accept) return 'prometheus-text';
  let protobuf = 0;
  let openmetrics = 0;
  let text = 0;
  for (const { type, params, q } of parseAccept(accept)) {
    const version = params.get('version');
    switch (type) {
      case 'application/vnd.google.protobuf':
        if (params.get('proto') === 'io.prometheus.client.metricfamily' && params.get('encoding') === 'delimited') protobuf = Math.max(protobuf, q);
        break;
      case 'application/openmetrics-text':
        if (version === undefined || version === '1.0.0' || version === '0.0.1') openmetrics = Math.max(openmetrics, q);
        break;
      case 'text/plain':
        if (version === undefined || version === '0.0.4') text = Math.max(text, q);
        break;
      case 'text/*':
      case '*/*':
        text = Math.max(text, q);
        break;
    }
  }
  if (protobuf > 0 && protobuf > text && protobuf > openmetrics) return 'protobuf';
  return openmetrics > 0 && openmetrics > text ? 'openmetrics' : 'prometheus-text';
}
