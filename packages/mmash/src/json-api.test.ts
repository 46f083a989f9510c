// The JSON API on the Python fixtures: Python mmash's responses, every aggregator, and the
// requests that must be refused (400 with a JSON error), above all globs that try to leave
// the configured paths.
import { request } from 'node:http';
import { dirname } from 'node:path';
import test from 'ava';
import { invalidFixtures, validFixtures } from '@mmstats/fixtures';
import type { FilesBody } from './json-api.js';
import type { RunningMmash } from './server.js';
import { getJson, startTestMmash } from './test-support.test.util.js';

const python = validFixtures('v1/python-0.8.0');
const pythonDir = dirname(python[0]!.path);
const threads = python.filter((f) => f.name.startsWith('thread-')).map((f) => f.path);
const invalid = invalidFixtures()[0]!;
let mmash: RunningMmash;

test.before(async () => {
  mmash = await startTestMmash({ targets: [`${pythonDir}/*.mmstats`, invalid.path] });
});
test.after.always(async () => {
  await mmash?.close();
});

/** A GET sent exactly as written: fetch() would normalise `..` away before sending it. */
function rawGet(path: string): Promise<{ status: number; body: string; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: mmash.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body, type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The `errors` an answer must carry for the one unreadable file configured. */
function invalidListed(body: unknown): Array<{ file: string; code: string }> {
  return (body as { errors: Array<{ file: string; code: string; message: string }> }).errors.map(({ file, code }) => ({ file, code }));
}

test('/stats/ lists every label of every readable file once, sorted, and the file it could not read', async (t) => {
  const { status, body } = await getJson(mmash.url, '/stats/');
  t.is(status, 200);
  const expected = [...new Set(python.flatMap((f) => f.fields.map((field) => field.label)))].sort();
  t.deepEqual((body as { stats: string[] }).stats, expected);
  t.deepEqual(invalidListed(body), [{ file: invalid.path, code: invalid.error }]);
  t.deepEqual(invalidListed((await getJson(mmash.url, '/stats/?detail=1')).body), [{ file: invalid.path, code: invalid.error }]);
});

test('/merged/ says which matched files it could not read: a total that misses files is never silent', async (t) => {
  const { body } = await getJson(mmash.url, '/merged/worker.jobs.done');
  const merged = body as { merged: Array<{ label: string; files: number; value: unknown }> };
  t.like(merged.merged[0], { label: 'worker.jobs.done', files: 3, value: 60 });
  t.deepEqual(invalidListed(body), [{ file: invalid.path, code: invalid.error }]);
  t.deepEqual(invalidListed((await getJson(mmash.url, '/merged/worker.jobs.done?glob=thread-*')).body), [], 'only files that matched count');
});

test('/stats/<prefix> lists each matching label with one value per file, in path order', async (t) => {
  const { body } = await getJson(mmash.url, '/stats/worker.jobs');
  t.deepEqual(body, { 'worker.jobs.done': [10, 20, 30] });
  const { body: web } = await getJson(mmash.url, '/stats/web.stats.status.');
  t.deepEqual(Object.keys(web as object), ['web.stats.status.2XX', 'web.stats.status.3XX', 'web.stats.status.4XX', 'web.stats.status.5XX']);
});

test('the three Python threads combine under every aggregator', async (t) => {
  const expected = { avg: 20, one: 10, max: 30, min: 10, sum: 60, 'nonzero-min': 10, 'nonzero-avg': 20 };
  for (const [aggr, value] of Object.entries(expected)) {
    const { status, body } = await getJson(mmash.url, `/stats/worker.jobs.done?aggr=${aggr}&glob=thread-*`);
    t.is(status, 200, aggr);
    t.deepEqual(body, { 'worker.jobs.done': value }, aggr);
  }
});

test('exact selects the label equal to the prefix only', async (t) => {
  t.deepEqual((await getJson(mmash.url, '/stats/worker.jobs?exact=1')).body, {});
  const busy = python.filter((f) => f.name.startsWith('thread-')).map((f) => f.fields.find((field) => field.label === 'worker.busy')!.value);
  t.deepEqual((await getJson(mmash.url, '/stats/worker.busy?exact=true')).body, { 'worker.busy': busy });
  t.deepEqual(Object.keys((await getJson(mmash.url, '/stats/counter?exact=yes')).body as object), ['counter']);
  t.deepEqual(Object.keys((await getJson(mmash.url, '/stats/counter?exact=0')).body as object), ['counter', 'counter.max']);
});

test('values use the JSON forms of spec/expected-json.md; strings have no numeric aggregate', async (t) => {
  const { body } = await getJson(mmash.url, '/stats/?glob=edge-values.mmstats');
  t.true((body as { stats: string[] }).stats.includes('counter.max'));
  t.deepEqual((await getJson(mmash.url, '/stats/counter.max')).body, { 'counter.max': ['18446744073709551615'] });
  t.deepEqual((await getJson(mmash.url, '/stats/float.')).body, { 'float.inf': ['Infinity'], 'float.nan': ['NaN'], 'float.neginf': ['-Infinity'] });
  const version = python.find((f) => f.name === 'thread-0')!.fields.find((f) => f.label === 'worker.org.python.version')!.value;
  t.deepEqual((await getJson(mmash.url, '/stats/worker.org.python.version?aggr=one')).body, { 'worker.org.python.version': version });
  t.deepEqual((await getJson(mmash.url, '/stats/worker.org.python.version?aggr=sum')).body, { 'worker.org.python.version': null });
});

test('/files/ lists the readable files, those whose writer is gone, and the unreadable ones with their error code', async (t) => {
  const { body } = await getJson(mmash.url, '/files/');
  const files = body as FilesBody;
  t.deepEqual(files.files, python.map((f) => f.path).sort());
  // The Python fixtures that name their writer (sys.pid) were written in an earlier boot: gone
  // by the rules every reader shares. The others name no writer, so nothing says it is gone.
  const withPid = python.filter((f) => f.fields.some((field) => field.label.endsWith('sys.pid'))).map((f) => f.path).sort();
  t.true(withPid.length > 0 && withPid.length < files.files.length);
  t.deepEqual(files.gone.map((g) => g.file), withPid);
  for (const { because } of files.gone) t.regex(because, /before this boot/);
  t.deepEqual(files.errors, [{ file: invalid.path, code: invalid.error, message: files.errors[0]!.message }]);
  const only = async (glob: string) => {
    const { files: read, errors } = (await getJson(mmash.url, `/files/${glob}`)).body as FilesBody;
    return { read, errors };
  };
  t.deepEqual(await only('thread-*'), { read: threads, errors: [] });
  t.deepEqual(await only('thread-[!2].mmstats'), { read: threads.slice(0, 2), errors: [] });
  t.deepEqual(await only('nothing-*'), { read: [], errors: [] });
});

test('globs that try to leave the configured paths are refused with a JSON 400', async (t) => {
  const attempts = [
    '/files/..',
    '/files/../../../etc/passwd',
    '/files/..%2F..%2F..%2Fetc%2Fpasswd',
    '/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/files/%2Fetc%2Fpasswd',
    '/files/%2Fetc%2F*',
    '/files/..%5C..%5Cetc%5Cpasswd',
    '/files/thread-0.mmstats%00.txt',
    '/files/%0a*',
    '/files/%E0%A4%A',
    '/stats/?glob=../*',
    '/stats/worker?glob=/etc/*',
    '/stats/worker?glob=%2Fetc%2F*',
    '/stats/worker?glob=..%2F..%2F*',
    '/stats/worker?glob=*%5C*',
    `/stats/worker?glob=${encodeURIComponent(`${pythonDir}/*`)}`,
    `/stats/worker?glob=${'*'.repeat(300)}`,
    '/events?stat=worker.jobs.done&glob=../*',
  ];
  for (const path of attempts) {
    const response = await rawGet(path);
    t.is(response.status, 400, path);
    t.regex(response.type ?? '', /^application\/json/, path);
    const body = JSON.parse(response.body) as { error: string; status: number };
    t.is(body.status, 400, path);
    t.true(body.error.length > 0, path);
    t.false(response.body.includes('root:'), path);
  }
});

test('a dot-dot spelled to the asset routes finds nothing but the fixed assets', async (t) => {
  for (const path of ['/assets/../package.json', '/assets/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/assets/app.js%00', '//etc/passwd', '/assets/', '/assets/app.js/..', '/..%2f..%2fetc%2fpasswd']) {
    const response = await rawGet(path);
    t.is(response.status, 404, path);
    t.false(response.body.includes('"name"'), path);
  }
  t.is((await rawGet('http://example.com/stats/')).status, 400);
});

test('bad parameters get a 400 naming the problem', async (t) => {
  const aggr = await getJson(mmash.url, '/stats/worker?aggr=median');
  t.is(aggr.status, 400);
  t.regex((aggr.body as { error: string }).error, /unknown aggregator "median"; use one of avg, one, max, min, sum, nonzero-min, nonzero-avg/);
  t.is((await getJson(mmash.url, '/stats/worker?exact=maybe')).status, 400);
  t.is((await getJson(mmash.url, '/events')).status, 400);
  t.is((await getJson(mmash.url, '/events?stat=x&interval=5')).status, 400);
  t.is((await getJson(mmash.url, '/events?stat=x&aggr=nope')).status, 400);
  const missing = await getJson(mmash.url, '/nope');
  t.is(missing.status, 404);
  t.regex((missing.body as { error: string }).error, /no such page/);
});

test('mmash is read-only: other methods get a 405 with Allow', async (t) => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    const response = await fetch(new URL('/stats/', mmash.url), { method });
    t.is(response.status, 405, method);
    t.is(response.headers.get('allow'), 'GET, HEAD', method);
  }
  const head = await fetch(new URL('/stats/', mmash.url), { method: 'HEAD' });
  t.is(head.status, 200);
  t.is(await head.text(), '');
});

test('every response carries the security headers; the CSP allows no inline script', async (t) => {
  for (const path of ['/', '/stats/', '/metrics', '/assets/app.js', '/nope']) {
    const response = await fetch(new URL(path, mmash.url));
    const csp = response.headers.get('content-security-policy') ?? '';
    t.regex(csp, /script-src 'self'/, path);
    t.false(csp.includes('unsafe-inline'), path);
    t.regex(csp, /frame-ancestors 'none'/, path);
    t.is(response.headers.get('x-content-type-options'), 'nosniff', path);
    await response.arrayBuffer();
  }
});

test('the dashboard and its assets are served by mmash itself', async (t) => {
  const page = await (await fetch(mmash.url)).text();
  t.regex(page, /<script type="module" src="\/assets\/app.js"><\/script>/);
  t.notRegex(page, /<script>|<script [^>]*src="https?:/, 'no inline or remote script');
  t.notRegex(page, /https?:\/\//, 'nothing from the internet');
  for (const [path, type] of [
    ['/assets/app.js', 'text/javascript'],
    ['/assets/uplot.esm.js', 'text/javascript'],
    ['/assets/uplot.min.css', 'text/css'],
    ['/assets/app.css', 'text/css'],
    ['/assets/logo.svg', 'image/svg+xml'],
    ['/favicon.svg', 'image/svg+xml'],
  ] as const) {
    const response = await fetch(new URL(path, mmash.url));
    t.is(response.status, 200, path);
    t.true(response.headers.get('content-type')!.startsWith(type), path);
    t.true((await response.arrayBuffer()).byteLength > 100, path);
  }
  // Every module the page imports, followed from app.js, is served as JavaScript; the type
  // declarations beside them, for the checker only, are not served.
  const pending = ['/assets/app.js'];
  const seen = new Set(pending);
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    const response = await fetch(new URL(path, mmash.url));
    t.is(response.status, 200, path);
    t.true(response.headers.get('content-type')!.startsWith('text/javascript'), path);
    for (const [, module] of (await response.text()).matchAll(/^import [^'\n]*'\.\/([\w.-]+\.js)';$/gm)) {
      const imported = `/assets/${module!}`;
      if (seen.has(imported)) continue;
      seen.add(imported);
      pending.push(imported);
    }
  }
  t.true(seen.has('/assets/heatmap.js') && seen.has('/assets/uplot.esm.js'), [...seen].join(' '));
  t.is((await fetch(new URL('/assets/uplot.esm.d.ts', mmash.url))).status, 404);
});
