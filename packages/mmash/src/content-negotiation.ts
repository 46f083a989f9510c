/**
 * Choosing the exposition format of `/metrics` from the scraper's `Accept` header, as
 * Prometheus expects of an exporter: OpenMetrics when it is preferred, the classic text
 * format otherwise.
 *
 * @module
 */

/** The two exposition formats `/metrics` speaks. */
export type MetricsFormat = 'prometheus-text' | 'openmetrics';

/** The `Content-Type` of each {@link MetricsFormat}. */
export const METRICS_CONTENT_TYPES: Readonly<Record<MetricsFormat, string>> = {
  'prometheus-text': 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

/**
 * The format to answer an `Accept` header with: `openmetrics` when
 * `application/openmetrics-text` (version 1.0.0, 0.0.1 or unspecified) has a higher quality
 * than any media range that admits the text format (`text/plain`, `text/*`, `*\/*`);
 * `prometheus-text` otherwise, including for a missing or unparsable header and for one
 * that admits neither (a scraper that names nothing we speak still gets the format every
 * scraper reads).
 */
export function negotiateMetricsFormat(accept: string | undefined): MetricsFormat {
  if (!accept) return 'prometheus-text';
  let openmetrics = 0;
  let text = 0;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim());
    let q = 1;
    let version: string | undefined;
    for (const param of params) {
      const [key = '', value = ''] = param.split('=').map((s) => s.trim().toLowerCase());
      if (key === 'q') q = Number.isFinite(Number(value)) ? Number(value) : 0;
      else if (key === 'version') version = value;
    }
    switch (type.toLowerCase()) {
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
  return openmetrics > 0 && openmetrics > text ? 'openmetrics' : 'prometheus-text';
}
