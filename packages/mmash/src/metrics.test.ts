// /metrics: names, formats, negotiation, and `promtool check metrics` on real output.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { invalidFixtures, validFixtures, validV2Fixtures } from '@mmstats/fixtures';
import type { ExpHistogramValue, HistogramValue, V1FieldLayout, Value, WindowValue } from '@mmstats/format';
import type { StatsSnapshot, V1StatsField } from '@mmstats/reader';
import { negotiateMetricsFormat } from './content-negotiation.js';
import { dimensionLabelName, familyName, metricName } from './metric-names.js';
import { LiveStatsFile } from '@mmstats/reader';
import { expCumulativeCounts, histogramLeSet } from './classic-histogram.js';
import { MetricsRenderer, renderMetrics } from './metrics.js';
import { snapshotV2 } from './hand-made-snapshots.test.util.js';
import { PROMTOOL, getJson, startTestMmash, startWriter, tempDir, testWithTool, waitFor } from './test-support.test.util.js';

/** These tests look at one file's series at a time: the per-file view (the merged one is tested in metric-series.test.ts). */
const PER_FILE = { series: 'file' } as const;

const pythonDir = dirname(validFixtures('v1/python-0.8.0')[0]!.path);

/**
 * A v1 snapshot made by hand: renderMetrics reads labels, kinds, types, values and the path.
 * A `Q` field is taken for a buffered counter (what inferV1Kind says of Python's CounterField).
 */
function snapshot(path: string, fields: Array<[string, string, Value]>): StatsSnapshot {
  const field = ([label, type, value]: [string, string, Value]): V1StatsField => ({
    version: 1,
    label,
    kind: typeof value === 'string' ? 'text' : type === 'Q' ? 'counter' : 'gauge',
    unit: '',
    help: '',
    dims: {},
    merge: typeof value === 'string' ? 'none' : 'sum',
    type,
    value,
    layout: undefined as unknown as V1FieldLayout,
  });
  return { path, version: 1, notices: [], fields: fields.map(field) };
}

/** 0.1, 0.3, 0.3, 1.5 and 5 in buckets of k = 0 from 2^-2 to 2^2: [<0.25, [0.25,0.5), [0.5,1), [1,2), [2,4), >=4]. */
const SMALL_HISTOGRAM: HistogramValue = { params: { k: 0, minExp: -2, maxExp: 2 }, count: 5, sum: 7.2, min: 0.1, max: 5, buckets: [1, 2, 0, 1, 0, 1] };
/** At now = 1000.5: the slots of 999 and 1000 count (3 values, sum 0.75, over 2.5 s); 990 is stale. */
const SMALL_WINDOW: WindowValue = { slotMillis: 1000, slots: [{ start: 999, count: 1, sum: 0.25 }, { start: 1000, count: 2, sum: 0.5 }, { start: 990, count: 5, sum: 9 }] };

function v2Sample(): StatsSnapshot {
  return snapshotV2('/s/v2.mmstats', 77, [
    { label: 'http.requests', kind: 'counter', unit: 'requests', help: 'requests served', dims: { status: '2xx' }, value: 5 },
    { label: 'http.requests', kind: 'counter', unit: 'requests', help: 'requests served', dims: { status: '5xx' }, value: 1 },
    { label: 'queue.depth', kind: 'gauge', dims: { le: 'x', 'queue name': 'mail "out"' }, value: 3 },
    { label: 'http.duration', kind: 'timer', unit: 'seconds', help: 'time to answer', value: SMALL_HISTOGRAM },
    { label: 'job.load', kind: 'average', value: { sum: 6, count: 3 } },
    { label: 'http.recent', kind: 'window', unit: 'seconds', help: 'recent', value: SMALL_WINDOW },
    { label: 'app.version', kind: 'text', value: '1.2' },
    { label: 'app.start', kind: 'info', unit: 'seconds', value: 1_700_000_000.5 },
    { label: 'big', kind: 'counter', value: 18446744073709551615n },
  ]);
}

/** Asserts that `promtool check metrics` accepts `text` (its findings, and the text, in the message when not). */
async function passesPromtool(t: ExecutionContext, text: string): Promise<void> {
  const checked = await promtool(text);
  t.is(checked.code, 0, `${checked.output}\n${text}`);
}

function promtool(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL.path, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

test('metric names: the documented rule', (t) => {
  t.is(metricName('web.stats.status.2XX'), 'web_stats_status_2XX');
  t.is(metricName('ü.café.hits'), 'caf_hits');
  t.is(metricName('a..b--c'), 'a_b_c');
  t.is(metricName('2xx.count.'), 'mmstats_2xx_count_value');
  t.is(metricName('名前'), 'mmstats_');
  t.is(metricName('rate:1m'), 'rate_1m');
  t.is(metricName('requests.total'), 'requests_total_value');
  t.is(metricName('build.info'), 'build_info_value');
  t.is(metricName('_already_fine_'), 'already_fine');
});

test('v2 names: units once, counters without a doubled _total, dimension keys as label names', (t) => {
  t.is(familyName('http.duration', { unit: 'seconds' }), 'http_duration_seconds');
  t.is(familyName('http.duration.seconds', { unit: 'seconds' }), 'http_duration_seconds');
  t.is(familyName('http.requests', { unit: 'requests', counter: true }), 'http_requests');
  t.is(familyName('http.requests.total', { counter: true }), 'http_requests');
  t.is(familyName('cpu.time', { unit: 'seconds', counter: true }), 'cpu_time_seconds');
  t.is(familyName('http.recent', { unit: 'seconds', parts: ['mean'] }), 'http_recent_mean_seconds');
  t.is(familyName('x.count', { unit: '' }), 'x_count_value');
  t.is(familyName('size', { unit: 'KiB/s' }), 'size_kib_per_second', 'x/y is x_per_y, as OpenTelemetry spells units');
  t.is(dimensionLabelName('status'), 'status');
  t.is(dimensionLabelName('queue name'), 'queue_name');
  t.is(dimensionLabelName('le'), 'dim_le');
  t.is(dimensionLabelName('pid'), 'dim_pid');
  t.is(dimensionLabelName('2xx'), 'dim_2xx');
  // OpenTelemetry's overflow attribute (spec/files.md#overflow-record), as its Prometheus exporter names it.
  t.is(dimensionLabelName('otel.metric.overflow'), 'otel_metric_overflow');
  t.is(dimensionLabelName('__x'), 'x');
});

test('histogram le bounds: every power of two of the scheme, then +Inf', (t) => {
  t.deepEqual(histogramLeSet({ k: 0, minExp: -2, maxExp: 2 }), ['0.25', '0.5', '1', '2', '4', '+Inf']);
  const defaults = histogramLeSet({ k: 4, minExp: -30, maxExp: 34 });
  t.is(defaults.length, 66);
  t.is(defaults[0], String(2 ** -30));
  t.is(defaults.at(-2), '17179869184');
  const wide = histogramLeSet({ k: 1, minExp: -1000, maxExp: 1000 });
  t.true(wide.length <= 129);
  t.is(wide[0], String(2 ** -1000));
  t.is(wide.at(-2), String(2 ** 1000));
});

test('v2 series: real Prometheus types, units, help, dimensions, pid from the header', (t) => {
  const text = renderMetrics([v2Sample()], 'prometheus-text', { series: 'file', now: 1000.5 });
  const f = 'pid="77",file="/s/v2.mmstats"';
  t.is(
    text,
    [
      '# HELP app_start_seconds mmstats label "app.start" (info)',
      '# TYPE app_start_seconds gauge',
      `app_start_seconds{${f}} 1700000000.5`,
      '# HELP app_version_info mmstats label "app.version" (text)',
      '# TYPE app_version_info gauge',
      `app_version_info{${f},value="1.2"} 1`,
      '# HELP big_total mmstats label "big" (counter)',
      '# TYPE big_total counter',
      `big_total{${f}} 18446744073709551615`,
      '# HELP http_duration_seconds time to answer',
      '# TYPE http_duration_seconds histogram',
      `http_duration_seconds_bucket{${f},le="0.25"} 1`,
      `http_duration_seconds_bucket{${f},le="0.5"} 3`,
      `http_duration_seconds_bucket{${f},le="1"} 3`,
      `http_duration_seconds_bucket{${f},le="2"} 4`,
      `http_duration_seconds_bucket{${f},le="4"} 4`,
      `http_duration_seconds_bucket{${f},le="+Inf"} 5`,
      `http_duration_seconds_sum{${f}} 7.2`,
      `http_duration_seconds_count{${f}} 5`,
      '# HELP http_recent_mean_seconds recent (mean of the values of the last 3 s)',
      '# TYPE http_recent_mean_seconds gauge',
      `http_recent_mean_seconds{${f}} 0.25`,
      '# HELP http_recent_rate recent (values per second over the last 3 s)',
      '# TYPE http_recent_rate gauge',
      `http_recent_rate{${f}} 1.2`,
      '# HELP http_requests_total requests served',
      '# TYPE http_requests_total counter',
      `http_requests_total{${f},status="2xx"} 5`,
      `http_requests_total{${f},status="5xx"} 1`,
      '# HELP job_load mmstats label "job.load" (average)',
      '# TYPE job_load summary',
      `job_load_sum{${f}} 6`,
      `job_load_count{${f}} 3`,
      '# HELP queue_depth mmstats label "queue.depth" (gauge)',
      '# TYPE queue_depth gauge',
      `queue_depth{${f},dim_le="x",queue_name="mail \\"out\\""} 3`,
      '',
    ].join('\n'),
  );
  const om = renderMetrics([v2Sample()], 'openmetrics', { series: 'file', now: 1000.5 });
  t.regex(om, /^# HELP http_requests requests served\n# TYPE http_requests counter\n# UNIT http_requests requests\nhttp_requests_total\{/m);
  t.regex(om, /^# TYPE http_duration_seconds histogram\n# UNIT http_duration_seconds seconds\nhttp_duration_seconds_bucket\{/m);
  t.regex(om, /^# TYPE job_load summary\njob_load_sum\{/m);
  t.regex(om, /^# TYPE app_version info\napp_version_info\{/m);
  t.regex(om, /^# TYPE http_recent_rate gauge\nhttp_recent_rate\{/m);
  t.true(om.endsWith('\n# EOF\n'));
});

test('an exponential histogram is a classic histogram too: powers of two from 2^-30 to 2^34, exact at scale 0 and above', (t) => {
  // -1, 0, 0.3, 1 and 3 at scale 0 (base 2): 0.3 in (0.25, 0.5] (bucket -2), 1 in (0.5, 1] (bucket -1), 3 in (2, 4] (bucket 1).
  const exp: ExpHistogramValue = {
    scale: 0, zeroThreshold: 0, zeroCount: 1, count: 5, sum: 3.3, min: -1, max: 3,
    positive: { offset: -2, counts: [1, 1, 0, 1] }, negative: { offset: 0, counts: [1] },
  };
  const text = renderMetrics([snapshotV2('/s/e.mmstats', 5, [{ label: 'rpc.time', kind: 'timer', unit: 'seconds', value: exp }])], 'prometheus-text', PER_FILE);
  const f = 'pid="5",file="/s/e.mmstats"';
  const bucket = (le: string): string | undefined => text.split('\n').find((line) => line.startsWith(`rpc_time_seconds_bucket{${f},le="${le}"}`))?.split(' ')[1];
  t.true(text.includes('# TYPE rpc_time_seconds histogram\n'), text);
  t.is(text.split('\n').filter((line) => line.startsWith('rpc_time_seconds_bucket')).length, 66);
  t.deepEqual(['0.125', '0.25', '0.5', '1', '2', '4', '+Inf'].map(bucket), ['2', '2', '3', '4', '4', '5', '5']);
  t.true(text.includes(`rpc_time_seconds_sum{${f}} 3.3\nrpc_time_seconds_count{${f}} 5\n`));
  // At scale -1 (base 4) the bucket (1, 4] straddles le="2": it is counted from le="4" on.
  const straddling = expCumulativeCounts({ ...exp, scale: -1, positive: { offset: 0, counts: [1] }, negative: { offset: 0, counts: [] }, zeroCount: 0 }, [1, 2]);
  t.is(straddling[0], 0);
  t.is(straddling[1], 1);
});

test('v1 and v2 side by side; v1 counters only as counters when asked; names of different types kept apart', (t) => {
  const v1 = snapshot('/s/a.mmstats', [['app.hits', 'Q', 4n], ['sys.pid', 'I', 41], ['x', 'd', 1.5]]);
  const v2 = snapshotV2('/s/b.mmstats', 42, [
    { label: 'app.hits', kind: 'counter', value: 6 },
    { label: 'x', kind: 'counter', value: 2 },
    { label: 'x', kind: 'text', value: 'hi', dims: { n: '1' } },
  ]);
  const text = renderMetrics([v2, v1], 'prometheus-text', PER_FILE);
  // v2: a counter, family "app_hits" in OpenMetrics; the v1 gauge cannot have that name in
  // either format (a series keeps its name whichever format is negotiated), so it moves.
  t.regex(text, /^# TYPE app_hits_total counter\napp_hits_total\{pid="42",file="\/s\/b.mmstats"\} 6$/m);
  t.regex(text, /^# TYPE app_hits_value gauge\napp_hits_value\{pid="41",file="\/s\/a.mmstats"\} 4$/m);
  t.regex(text, /^# TYPE x_total counter\nx_total\{pid="42",file="\/s\/b.mmstats"\} 2$/m);
  t.regex(text, /^# TYPE x_value gauge\nx_value\{pid="41",file="\/s\/a.mmstats"\} 1.5$/m);
  // Alone, the v1 gauge keeps its name.
  t.regex(renderMetrics([v1], 'prometheus-text', PER_FILE), /^# TYPE app_hits gauge\napp_hits\{pid="41",file="\/s\/a.mmstats"\} 4$/m);
  t.regex(text, /^x_text_info\{pid="42",file="\/s\/b.mmstats",n="1",value="hi"\} 1$/m);
  // With v1Counters the v1 counter joins the v2 family.
  const counters = renderMetrics([v2, v1], 'prometheus-text', { series: 'file', v1Counters: true });
  t.regex(counters, /^# TYPE app_hits_total counter\napp_hits_total\{pid="41",file="\/s\/a.mmstats"\} 4\napp_hits_total\{pid="42",file="\/s\/b.mmstats"\} 6$/m);
  t.notRegex(counters, /^# TYPE app_hits_value gauge/m);
  // In OpenMetrics the counter x (family "x") and the gauge x cannot share the name: the later one moves.
  const om = renderMetrics([v2, v1], 'openmetrics', PER_FILE);
  t.regex(om, /^# TYPE x counter\n/m);
  t.regex(om, /^# TYPE x_value gauge\nx_value\{/m);
});

test('Accept negotiation: OpenMetrics when preferred, else text 0.0.4', (t) => {
  // What Prometheus 2.42 sends.
  t.is(negotiateMetricsFormat('application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'), 'openmetrics');
  t.is(negotiateMetricsFormat('application/openmetrics-text; version=0.0.1'), 'openmetrics');
  t.is(negotiateMetricsFormat(undefined), 'prometheus-text');
  t.is(negotiateMetricsFormat('*/*'), 'prometheus-text');
  t.is(negotiateMetricsFormat('text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5'), 'prometheus-text');
  t.is(negotiateMetricsFormat('application/openmetrics-text;version=2.0.0'), 'prometheus-text');
  t.is(negotiateMetricsFormat('application/openmetrics-text;q=0'), 'prometheus-text');
  t.is(negotiateMetricsFormat('application/json'), 'prometheus-text');
});

test('series: gauges with pid and file, strings as info, colliding names told apart', (t) => {
  const a = snapshot('/s/a "1".mmstats', [
    ['app.hits', 'Q', 18446744073709551615n],
    ['app.sys.pid', 'I', 41],
    ['app.ok', '?', true],
    ['app.ratio', 'd', NaN],
    ['app.version', '16s', 'v1\n"x"\\'],
    ['a.b', 'i', -1],
    ['a-b', 'i', 2],
  ]);
  const b = snapshot('/s/b.mmstats', [['app.hits', 'Q', 3n], ['app.ratio', 'd', -Infinity]]);
  const text = renderMetrics([b, a], 'prometheus-text', PER_FILE);
  t.is(
    text,
    [
      '# HELP a_b mmstats labels "a-b", "a.b" (type i)',
      '# TYPE a_b gauge',
      'a_b{pid="41",file="/s/a \\"1\\".mmstats",mmstats_label="a.b"} -1',
      'a_b{pid="41",file="/s/a \\"1\\".mmstats",mmstats_label="a-b"} 2',
      '# HELP app_hits mmstats label "app.hits" (type Q)',
      '# TYPE app_hits gauge',
      'app_hits{pid="41",file="/s/a \\"1\\".mmstats"} 18446744073709551615',
      'app_hits{file="/s/b.mmstats"} 3',
      '# HELP app_ok mmstats label "app.ok" (type ?)',
      '# TYPE app_ok gauge',
      'app_ok{pid="41",file="/s/a \\"1\\".mmstats"} 1',
      '# HELP app_ratio mmstats label "app.ratio" (type d)',
      '# TYPE app_ratio gauge',
      'app_ratio{pid="41",file="/s/a \\"1\\".mmstats"} NaN',
      'app_ratio{file="/s/b.mmstats"} -Inf',
      '# HELP app_sys_pid mmstats label "app.sys.pid" (type I)',
      '# TYPE app_sys_pid gauge',
      'app_sys_pid{pid="41",file="/s/a \\"1\\".mmstats"} 41',
      '# HELP app_version_info mmstats label "app.version" (type 16s)',
      '# TYPE app_version_info gauge',
      'app_version_info{pid="41",file="/s/a \\"1\\".mmstats",value="v1\\n\\"x\\"\\\\"} 1',
      '',
    ].join('\n'),
  );
  const om = renderMetrics([b, a], 'openmetrics', PER_FILE);
  t.true(om.endsWith('\n# EOF\n'));
  t.regex(om, /^# HELP app_version mmstats label \\"app.version\\" \(type 16s\)\n# TYPE app_version info\napp_version_info\{/m);
});

test('a label that is a number in one file and text in another never shares a family name', (t) => {
  const text = renderMetrics([snapshot('/a', [['x', 'Q', 1n]]), snapshot('/b', [['x', '8s', 'hi']])], 'openmetrics', PER_FILE);
  t.regex(text, /# TYPE x gauge\nx\{file="\/a"\} 1\n/);
  t.regex(text, /# TYPE x_text info\nx_text_info\{file="\/b",value="hi"\} 1\n/);
});

test('a MetricsRenderer kept across scrapes renders what renderMetrics renders, as files come, change and go', (t) => {
  // Real live views: their layouts stay the same objects from one scrape to the next, as the
  // renderer's plans assume. A v1 gauge beside v2 records of every kind, the three threads of a
  // Python app (the same labels in three files).
  const paths = [...validFixtures('v1/python-0.8.0'), ...validV2Fixtures('v2/ts')].map((f) => f.path);
  const views = paths.map((path) => LiveStatsFile.open(path));
  t.teardown(() => views.forEach((view) => view.close()));
  const renderer = new MetricsRenderer();
  const scrapes = [views, views, views.slice(2), views, views.slice(0, 1), views];
  for (const [i, scraped] of scrapes.entries()) {
    const snapshots = scraped.map((view) => view.snapshot());
    for (const format of ['prometheus-text', 'openmetrics'] as const) {
      for (const v1Counters of [false, true]) {
        for (const series of ['service', 'worker', 'file'] as const) {
          const options = { now: 1_700_000_000, v1Counters, series };
          t.is(renderer.render(snapshots, format, options).toString(), renderMetrics(snapshots, format, options), `scrape ${i}, ${format}, v1Counters ${v1Counters}, ${series}`);
        }
      }
    }
  }
  // Names that collide only when both files are scraped: the kept lines gain, then lose, mmstats_label.
  const layouts = [{}, {}];
  const dotted = withLayouts(snapshot('/s/dotted.mmstats', [['a.b', 'i', 1]]), layouts);
  const dashed = withLayouts(snapshot('/s/dashed.mmstats', [['a-b', 'i', 2]]), layouts);
  for (const scraped of [[dotted], [dotted, dashed], [dotted]]) {
    t.is(renderer.render(scraped, 'prometheus-text', PER_FILE).toString(), renderMetrics(scraped, 'prometheus-text', PER_FILE));
  }
  t.regex(renderer.render([dotted, dashed], 'prometheus-text', PER_FILE).toString(), /^a_b\{file="\/s\/dotted.mmstats",mmstats_label="a.b"\} 1$/m);
  t.regex(renderer.render([dotted], 'prometheus-text', PER_FILE).toString(), /^a_b\{file="\/s\/dotted.mmstats"\} 1$/m);
});

/** `snap` with `layouts[i]` as the layout of field i: hand-made fields that a renderer takes for the same records from one render to the next. */
function withLayouts(snap: StatsSnapshot, layouts: readonly object[]): StatsSnapshot {
  return { ...snap, fields: snap.fields.map((field, i) => ({ ...field, layout: layouts[i] }) as StatsSnapshot['fields'][number]) };
}

test('a kept exposition writes each scrape\'s values into its compiled lines', (t) => {
  const v2Layouts = Array.from({ length: 6 }, () => ({}));
  const v1Layouts = Array.from({ length: 3 }, () => ({}));
  const scrape = (n: bigint, x: number, names: [string, string, string]): StatsSnapshot[] => [
    withLayouts(
      snapshotV2('/s/v2.mmstats', 77, [
        { label: 'big', kind: 'counter', value: n },
        { label: 'balance', kind: 'gauge', value: -n },
        { label: 'ratio', kind: 'gauge', value: x },
        { label: 'http.recent', kind: 'window', unit: 'seconds', value: SMALL_WINDOW },
        { label: 'job.load', kind: 'average', value: { sum: x, count: 2 } },
        { label: 'http.duration', kind: 'timer', unit: 'seconds', value: { ...SMALL_HISTOGRAM, count: Number(n % 100n) } },
      ]),
      v2Layouts,
    ),
    // Three strings with one label in one file (a v1 file may repeat a label): an equal value is one series.
    withLayouts(snapshot('/s/v1.mmstats', names.map((name) => ['name', '8s', name] as [string, string, Value])), v1Layouts),
  ];
  const renderer = new MetricsRenderer();
  const cases: [bigint, number, number, [string, string, string]][] = [
    [1n, 0.5, 1000.5, ['a', 'b', 'a']],
    [2n ** 53n + 1n, NaN, 1001.5, ['x', 'x', 'y']],
    [18446744073709551615n, -Infinity, 1100, ['"q"\n', 'é', 'é']],
    [0n, 1e-7, 999, ['a', 'b', 'c']],
  ];
  for (const [n, x, now, names] of cases) {
    const snapshots = scrape(n, x, names);
    for (const format of ['prometheus-text', 'openmetrics'] as const) {
      t.is(renderer.render(snapshots, format, { series: 'file', now }).toString(), renderMetrics(snapshots, format, { series: 'file', now }), `${n} ${x} ${now} ${format}`);
    }
  }
  const text = renderer.render(scrape(2n ** 53n + 1n, NaN, ['x', 'x', 'y']), 'prometheus-text', { series: 'file', now: 1001.5 }).toString();
  t.regex(text, /^big_total\{pid="77",file="\/s\/v2.mmstats"\} 9007199254740993$/m);
  t.regex(text, /^balance\{pid="77",file="\/s\/v2.mmstats"\} -9007199254740993$/m);
  t.regex(text, /^ratio\{pid="77",file="\/s\/v2.mmstats"\} NaN$/m);
  t.regex(text, /^job_load_sum\{pid="77",file="\/s\/v2.mmstats"\} NaN$/m);
  t.deepEqual(text.match(/^name_info\{.*$/gm), ['name_info{file="/s/v1.mmstats",value="x"} 1', 'name_info{file="/s/v1.mmstats",value="y"} 1']);
});

test('the compiled exposition is kept while every field has the same layout object, and compiled again when one is new', (t) => {
  // Names come from the compiled text: a field renamed under the same layout object (which a
  // reader never does: a record's layout never changes) shows that nothing was compiled again.
  const layouts = [{}];
  const renderer = new MetricsRenderer();
  const named = (label: string, value: number, kept: readonly object[]): StatsSnapshot => withLayouts(snapshot('/s/a.mmstats', [[label, 'i', value]]), kept);
  t.regex(renderer.render([named('a.first', 1, layouts)], 'prometheus-text', PER_FILE).toString(), /^a_first\{file="\/s\/a.mmstats"\} 1$/m);
  t.regex(renderer.render([named('a.second', 2, layouts)], 'prometheus-text', PER_FILE).toString(), /^a_first\{file="\/s\/a.mmstats"\} 2$/m, 'kept: only the value is new');
  t.regex(renderer.render([named('a.second', 3, [{}])], 'prometheus-text', PER_FILE).toString(), /^a_second\{file="\/s\/a.mmstats"\} 3$/m, 'a new layout object: compiled again');
});

test('a body given back is written over by the next render, which is whole', (t) => {
  const layouts = Array.from({ length: 3000 }, () => ({}));
  const scrape = (base: number): StatsSnapshot =>
    withLayouts(snapshot('/s/many.mmstats', layouts.map((_, i) => [`app.field.${i}`, 'i', base + i] as [string, string, Value])), layouts);
  const renderer = new MetricsRenderer();
  const first = renderer.render([scrape(0)], 'prometheus-text', PER_FILE);
  t.true(first.length > 64 * 1024);
  const firstText = first.toString();
  renderer.recycle(first);
  // Longer values than before: the body must not keep bytes of the last one.
  const second = renderer.render([scrape(1_000_000)], 'prometheus-text', PER_FILE);
  t.is(second.buffer, first.buffer);
  t.is(second.toString(), renderMetrics([scrape(1_000_000)], 'prometheus-text', PER_FILE));
  t.not(second.toString(), firstText);
  // Not given back: a new buffer, so a body still being sent is never written over.
  t.not(renderer.render([scrape(5)], 'prometheus-text', PER_FILE).buffer, second.buffer);
});

const withPromtool = testWithTool(PROMTOOL);

withPromtool('promtool check metrics passes on the fixtures and on hand-made awkward cases', async (t) => {
  // Not runtime-records: its labels (runtime.b...) end like abbreviated units, which promtool's
  // lint flags whatever mmash does (see the README).
  const v2Files = [...validV2Fixtures('v2/ts'), ...validV2Fixtures('v2/edge')].filter((f) => f.name !== 'runtime-records').map((f) => f.path);
  const mmash = await startTestMmash({ targets: [`${pythonDir}/*.mmstats`, ...v2Files] });
  t.teardown(() => mmash.close());
  const response = await fetch(new URL('/metrics?series=file', mmash.url));
  t.is(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const text = await response.text();
  // The default view, merged per service, and the per-worker one pass too.
  for (const series of ['service', 'worker']) await passesPromtool(t, await (await fetch(new URL(`/metrics?series=${series}`, mmash.url))).text());
  t.regex(text, /^worker_jobs_done\{pid="7542",file="[^"]*thread-0.mmstats"\} 10$/m);
  t.regex(text, /^counter_max\{file="[^"]*edge-values.mmstats"\} 18446744073709551615$/m);
  // v2 fixtures: every kind, 64-bit extremes, NaN, units, dimensions with non-ASCII values.
  t.regex(text, /^bytes_sent_bytes_total\{pid="\d+",file="[^"]*all-kinds.mmstats"\} 18446744073709551615$/m);
  t.regex(text, /^balance_cents\{pid="\d+",file="[^"]*all-kinds.mmstats"\} -9223372036854775808$/m);
  t.regex(text, /^http_requests_total\{pid="\d+",file="[^"]*all-kinds.mmstats",method="GET",status="200"\} 12345$/m);
  t.regex(text, /^request_duration_seconds_count\{pid="\d+",file="[^"]*all-kinds.mmstats",route="\/api\/é"\} 3$/m);
  t.regex(text, /^# TYPE batch_size_items summary$/m);
  t.regex(text, /^events_rate\{/m);
  await passesPromtool(t, text);

  const awkward = renderMetrics(
    [
      // (Not `a.b`: promtool's lint reads a trailing `_b` as an abbreviated unit, bytes.)
      snapshot('/s/a "1"\\x\n.mmstats', [['hits.web', 'i', -1], ['hits-web', 'i', 2], ['requests.total', 'Q', 5n], ['v', '4s', 'ü"\\'], ['v.', 'Q', 1n], ['名前', 'd', Infinity]]),
      snapshot('/s/b', [['v', 'Q', 7n]]),
    ],
    'prometheus-text',
    PER_FILE,
  );
  await passesPromtool(t, awkward);
  await passesPromtool(t, renderMetrics([v2Sample(), snapshot('/s/v1', [['app.hits', 'Q', 3n], ['app.version', '8s', 'x']])], 'prometheus-text', { series: 'file', now: 1000.5 }));
  await passesPromtool(t, renderMetrics([v2Sample(), snapshot('/s/v1', [['app.hits', 'Q', 3n]])], 'prometheus-text', { series: 'file', v1Counters: true }));
});

withPromtool('a scrape that missed files says so: mmstats_files_read and mmstats_read_errors by code', async (t) => {
  const bad = invalidFixtures().filter((f) => f.name === 'cut-in-label' || f.name === 'empty' || f.name === 'v2-short');
  const mmash = await startTestMmash({ targets: [`${pythonDir}/thread-*.mmstats`, ...bad.map((f) => f.path)] });
  t.teardown(() => mmash.close());
  for (const accept of ['text/plain', 'application/openmetrics-text; version=1.0.0']) {
    const text = await (await fetch(new URL('/metrics', mmash.url), { headers: { accept } })).text();
    t.regex(text, /^# TYPE mmstats_files_read gauge\nmmstats_files_read 3$/m);
    t.regex(text, /^mmstats_read_errors\{code="MMSTATS-E001"\} 1\nmmstats_read_errors\{code="MMSTATS-E003"\} 1\nmmstats_read_errors\{code="MMSTATS-E004"\} 1$/m);
    if (accept === 'text/plain') await passesPromtool(t, text);
  }
  const clean = renderMetrics([v2Sample()], 'prometheus-text', { series: 'file', now: 1000.5, readErrors: [] });
  t.regex(clean, /^mmstats_files_read 1\n# HELP mmstats_read_errors [^\n]*\n# TYPE mmstats_read_errors gauge\n$/m, 'no errors: the family without samples');
  await passesPromtool(t, clean);
});

withPromtool('promtool check metrics passes on /metrics of live v2 and v1 writers', async (t) => {
  const { dir, cleanup } = tempDir();
  const writers = await Promise.all([startWriter(dir, 'web'), startWriter(dir, 'worker'), startWriter(dir, 'python', 0, 1)]);
  const [web, worker, python] = writers as [typeof writers[0], typeof writers[0], typeof writers[0]];
  const mmash = await startTestMmash({ targets: [join(dir, '*.mmstats')] });
  t.teardown(async () => {
    await mmash.close();
    await Promise.all(writers.map((w) => w.stop()));
    cleanup();
  });
  await web.step(9);
  await python.step(4);
  const text = await (await fetch(new URL('/metrics?series=file', mmash.url))).text();
  const web_ = `pid="${web.pid}",file="${web.path}"`;
  const python_ = `pid="${python.pid}",file="${python.path}"`;
  const expected = [
    // v2: kinds, units, dimensions.
    '# TYPE app_ticks_total counter\n',
    `app_ticks_total{${web_}} 9\n`,
    `app_requests_total{${web_},status="2xx"} 9\n`,
    `app_requests_total{${web_},status="5xx"} 0\n`,
    '# HELP app_latency_seconds time per request\n# TYPE app_latency_seconds histogram\n',
    `app_latency_seconds_bucket{${web_},le="0.0078125"} 0\n`,
    `app_latency_seconds_bucket{${web_},le="0.015625"} 1\n`,
    `app_latency_seconds_bucket{${web_},le="+Inf"} 1\n`,
    `app_latency_seconds_count{${web_}} 1\n`,
    `app_payload_bytes_sum{${web_}} 9\n`,
    `app_load_count{${web_}} 1\n`,
    `app_queue_depth{${web_},queue="mail \\"outbox\\""} 9\n`,
    `app_recent_mean_seconds{${web_}} 9\n`,
    `app_state_info{pid="${worker.pid}",file="${worker.path}",value="running"} 1\n`,
    // v1 beside it: gauges, the pid from sys.pid; app.ticks moves aside for the v2 counter of that name.
    `app_ticks_value{${python_}} 4\n`,
    `app_sys_uid{${python_}} `,
    `app_state_info{${python_},value="running"} 1\n`,
  ];
  for (const line of expected) t.true(text.includes(line), `${JSON.stringify(line)} in\n${text}`);
  t.regex(text, new RegExp(`^app_recent_rate\\{pid="${web.pid}",file="[^"]+"\\} 0\\.\\d+$`, 'm'));
  await passesPromtool(t, text);

  const om = await fetch(new URL('/metrics', mmash.url), { headers: { Accept: 'application/openmetrics-text; version=1.0.0' } });
  t.is(om.headers.get('content-type'), 'application/openmetrics-text; version=1.0.0; charset=utf-8');
  t.is(om.headers.get('vary'), 'Accept');
  const omText = await om.text();
  t.true(omText.includes('# TYPE app_latency_seconds histogram\n# UNIT app_latency_seconds seconds\n'), omText);
  t.true(omText.includes('# TYPE app_requests counter\n# UNIT app_requests requests\n'), omText);
  t.true(omText.endsWith('# EOF\n'));
  // v2 counters (9 and the idle worker's 0) and the v1 one (4) sum as one label.
  t.deepEqual((await getJson(mmash.url, '/stats/app.ticks?aggr=sum')).body, { 'app.ticks': 13 });

  // The le set stays the same from scrape to scrape, whatever was observed.
  const les = (body: string): string[] => [...body.matchAll(/^app_latency_seconds_bucket\{[^}]*le="([^"]+)"\}/gm)].map((m) => m[1]!);
  await web.step(500);
  const later = await waitFor('the second observation', async () => {
    const body = await (await fetch(new URL('/metrics?series=file', mmash.url))).text();
    return body.includes(`app_latency_seconds_count{${web_}} 2\n`) ? body : undefined;
  });
  t.deepEqual(les(later), les(text));
});
