// /metrics: names, formats, negotiation, and `promtool check metrics` on real output.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import test from 'ava';
import { validFixtures } from '@mmstats/fixtures';
import type { V1FieldLayout, Value } from '@mmstats/format';
import type { StatsSnapshot } from '@mmstats/reader';
import { negotiateMetricsFormat } from './content-negotiation.js';
import { metricName } from './metric-names.js';
import { renderMetrics } from './metrics.js';
import { PROMTOOL, getJson, startTestMmash, startWriter, tempDir, testWithTool } from './test-support.test.util.js';

const pythonDir = dirname(validFixtures('v1/python-0.8.0')[0]!.path);

/** A snapshot made by hand: renderMetrics reads only labels, types, values and the path. */
function snapshot(path: string, fields: Array<[string, string, Value]>): StatsSnapshot {
  return { path, version: 1, fields: fields.map(([label, type, value]) => ({ label, type, value, layout: undefined as unknown as V1FieldLayout })) };
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
  const text = renderMetrics([b, a], 'prometheus-text');
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
  const om = renderMetrics([b, a], 'openmetrics');
  t.true(om.endsWith('\n# EOF\n'));
  t.regex(om, /^# HELP app_version mmstats label \\"app.version\\" \(type 16s\)\n# TYPE app_version info\napp_version_info\{/m);
});

test('a label that is a number in one file and text in another never shares a family name', (t) => {
  const text = renderMetrics([snapshot('/a', [['x', 'Q', 1n]]), snapshot('/b', [['x', '8s', 'hi']])], 'openmetrics');
  t.regex(text, /# TYPE x gauge\nx\{file="\/a"\} 1\n/);
  t.regex(text, /# TYPE x_text info\nx_text_info\{file="\/b",value="hi"\} 1\n/);
});

const withPromtool = testWithTool(PROMTOOL);

withPromtool('promtool check metrics passes on the fixtures and on hand-made awkward cases', async (t) => {
  const mmash = await startTestMmash({ targets: [`${pythonDir}/*.mmstats`] });
  t.teardown(() => mmash.close());
  const response = await fetch(new URL('/metrics', mmash.url));
  t.is(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const text = await response.text();
  t.regex(text, /^worker_jobs_done\{pid="7542",file="[^"]*thread-0.mmstats"\} 10$/m);
  t.regex(text, /^counter_max\{file="[^"]*edge-values.mmstats"\} 18446744073709551615$/m);
  const checked = await promtool(text);
  t.is(checked.code, 0, checked.output);

  const awkward = renderMetrics(
    [
      // (Not `a.b`: promtool's lint reads a trailing `_b` as an abbreviated unit, bytes.)
      snapshot('/s/a "1"\\x\n.mmstats', [['hits.web', 'i', -1], ['hits-web', 'i', 2], ['requests.total', 'Q', 5n], ['v', '4s', 'ü"\\'], ['v.', 'Q', 1n], ['名前', 'd', Infinity]]),
      snapshot('/s/b', [['v', 'Q', 7n]]),
    ],
    'prometheus-text',
  );
  const second = await promtool(awkward);
  t.is(second.code, 0, `${second.output}\n${awkward}`);
});

withPromtool('promtool check metrics passes on /metrics of live writers', async (t) => {
  const { dir, cleanup } = tempDir();
  const writers = await Promise.all(['web', 'worker'].map((name) => startWriter(dir, name)));
  const mmash = await startTestMmash({ targets: [join(dir, '*.mmstats')] });
  t.teardown(async () => {
    await mmash.close();
    await Promise.all(writers.map((w) => w.stop()));
    cleanup();
  });
  await writers[0]!.step(9);
  const text = await (await fetch(new URL('/metrics', mmash.url))).text();
  t.true(text.includes(`app_ticks{pid="${writers[0]!.pid}",file="${writers[0]!.path}"} 9\n`), text);
  t.true(text.includes(`app_state_info{pid="${writers[1]!.pid}",file="${writers[1]!.path}",value="running"} 1\n`), text);
  const checked = await promtool(text);
  t.is(checked.code, 0, checked.output);
  const om = await fetch(new URL('/metrics', mmash.url), { headers: { Accept: 'application/openmetrics-text; version=1.0.0' } });
  t.is(om.headers.get('content-type'), 'application/openmetrics-text; version=1.0.0; charset=utf-8');
  t.is(om.headers.get('vary'), 'Accept');
  t.true((await om.text()).endsWith('# EOF\n'));
  t.is((await getJson(mmash.url, '/stats/app.ticks?aggr=sum')).body !== undefined, true);
});
