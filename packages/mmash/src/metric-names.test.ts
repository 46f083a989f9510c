// The naming rules' two newer steps: camelCase made snake_case, and labels that spell a
// Prometheus ending on purpose (prom-client's default metrics) keeping it.
import test from 'ava';
import { dimensionLabelName, familyName, metricName, snakeCase } from './metric-names.js';

test('camelCase words become snake_case in metric and label names; other words are left alone', (t) => {
  t.is(snakeCase('inFlight'), 'in_flight');
  t.is(snakeCase('http_requestHTTPErrors'), 'http_request_http_errors');
  t.is(snakeCase('ipv4AddressCount'), 'ipv4_address_count');
  t.is(snakeCase('web_stats_status_2XX'), 'web_stats_status_2XX', 'no camelCase word: unchanged');
  t.is(snakeCase('HTTP_Requests'), 'HTTP_Requests', 'capitals alone are not camelCase (promtool does not flag them)');
  t.is(metricName('web.inFlight'), 'web_in_flight');
  t.is(familyName('http.requestDuration', { unit: 'seconds' }), 'http_request_duration_seconds');
  t.is(familyName('queue.jobsDone', { counter: true }), 'queue_jobs_done');
  t.is(dimensionLabelName('routeName'), 'route_name');
  t.is(dimensionLabelName('statusCode'), 'status_code');
});

test('a v2 label that ends in a reserved suffix written with _ keeps it; a dotted one gets _value', (t) => {
  t.is(familyName('nodejs.active_handles_total'), 'nodejs_active_handles_total');
  t.is(familyName('nodejs.version_info'), 'nodejs_version_info');
  t.is(familyName('requests.total'), 'requests_total_value');
  t.is(familyName('build.info'), 'build_info_value');
  t.is(familyName('x.count'), 'x_count_value');
  t.is(metricName('requests_total'), 'requests_total_value', 'v1 names are unchanged');
});

test('OpenTelemetry names and UCUM units give the names of OpenTelemetry\'s Prometheus rules', (t) => {
  t.is(familyName('http.server.request.duration', { unit: 's' }), 'http_server_request_duration_seconds');
  t.is(familyName('http.server.request.body.size', { unit: 'By' }), 'http_server_request_body_size_bytes');
  t.is(familyName('http.client.open_connections', { unit: '{connection}' }), 'http_client_open_connections');
  t.is(familyName('net.io', { unit: 'By/s', counter: true }), 'net_io_bytes_per_second');
  t.is(familyName('job.runs', { unit: '{run}', counter: true }), 'job_runs', 'the exposition adds _total');
});
