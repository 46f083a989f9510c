// The dashboard in real headless Chromium (Debian's `chromium`, driven by playwright-core),
// against live writer processes: it loads without console errors, shows kinds and units, plots
// each stat merged with one line per worker beside it, draws histograms as heatmaps of what
// each interval recorded, filters the stats and charts by a search, zooms every chart into the
// range dragged across one, and shows text as text. The tests observe what the page shows (its
// DOM, uPlot's legend, the heatmap's SVG), never hooks of its own for tests. The README's
// screenshot is taken by the first test (see README_SCREENSHOT).
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import { chromium, type ConsoleMessage, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, startTestMmash, startWriter, tempDir, testWithTool, waitFor, type LiveWriter } from './test-support.test.util.js';

// The README's picture is replaced only on request (`pnpm screenshot` sets
// MMASH_UPDATE_SCREENSHOT=1), so that a test run never changes a tracked file; otherwise the
// screenshot goes to the temp dir.
const README_SCREENSHOT = fileURLToPath(new URL('../docs-assets/mmash.png', import.meta.url));
const SCREENSHOT = process.env['MMASH_UPDATE_SCREENSHOT'] === '1' ? README_SCREENSHOT : join(tmpdir(), 'mmash-dashboard.png');

/** A writer to start: its file name, how often it counts by itself (0: never), its format. */
type WriterSpec = readonly [name: string, intervalMs: number, format?: 1 | 2];

/** The dashboard opened at `#hash` in a fresh Chromium, on mmash reading the `writers`; `problems` collects console errors and failed requests. */
async function openDashboard(t: ExecutionContext, specs: readonly WriterSpec[], hash: string): Promise<{ page: Page; writers: LiveWriter[]; problems: string[] }> {
  const { dir, cleanup } = tempDir();
  const writers = await Promise.all(specs.map(([name, intervalMs, format]) => startWriter(dir, name, intervalMs, format)));
  const mmash = await startTestMmash({ targets: [dir] });
  const browser = await chromium.launch({
    executablePath: CHROMIUM.path,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.teardown(async () => {
    await browser.close();
    await mmash.close();
    await Promise.all(writers.map((w) => w.stop()));
    cleanup();
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // The event stream is cut when the page closes or reconnects; anything else failing is a bug.
    if (!request.url().includes('/events')) problems.push(`request failed: ${request.url()}`);
  });
  await page.goto(`${mmash.url}#${hash}`);
  return { page, writers, problems };
}

/** The card of `label`. */
const panelOf = (page: Page, label: string): Locator => page.getByRole('article', { name: label, exact: true });

/** The number the panel shows in its title (its `<data value>`), once there is one. */
const lastOf = (panel: Locator) => async (): Promise<number | undefined> => {
  const text = await panel.locator('data.last').getAttribute('value');
  return text === null || text === '' ? undefined : Number(text);
};

/** The legend's labels of a uPlot chart in `figure`, without the x series'. */
async function legendOf(figure: Locator): Promise<string[]> {
  const labels = await figure.locator('.u-legend .u-series .u-label').allTextContents();
  return labels.slice(1);
}

/** The heatmap's cells: the count each holds (from its tooltip), its fill and its top. */
async function cellsOf(panel: Locator): Promise<Array<{ title: string; count: number; fill: string; y: number }>> {
  return panel.locator('svg.heatmap rect.cell').evaluateAll((rects) =>
    rects.map((rect) => {
      const title = rect.querySelector('title')?.textContent ?? '';
      return { title, count: Number(/: (\d+)$/.exec(title)?.[1]), fill: rect.getAttribute('fill') ?? '', y: Number(rect.getAttribute('y')) };
    }),
  );
}

/** Drags the mouse across `target` from `from` to `to` (shares of its width). */
async function drag(page: Page, target: Locator, from: number, to: number): Promise<void> {
  const box = (await target.boundingBox())!;
  await page.mouse.move(box.x + box.width * from, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
}

testWithTool(CHROMIUM)('the dashboard plots live stats merged and per worker, a timer as a heatmap, text as text, with kinds and units and no console errors', async (t) => {
  // Three writers counting at different rates, so the per-worker view has three lines; the v1
  // one (Python's format) has the counter and the text but no timer.
  const { page, writers, problems } = await openDashboard(
    t,
    [
      ['web', 40],
      ['worker', 90],
      ['cron', 250, 1],
    ],
    'stat=app.ticks&stat=app.latency&stat=app.recent&stat=app.state',
  );

  // The index lists the stats with their kinds and units, and the three files.
  const statRow = (label: string) => page.locator('#stats label').filter({ has: page.getByText(label, { exact: true }) });
  await statRow('app.latency').waitFor({ timeout: 30_000 });
  await waitFor('three files listed', async () => ((await page.locator('#files li').count()) === 3 ? true : undefined));
  t.true(await statRow('app.ticks').locator('input').isChecked());
  t.is(await statRow('app.latency').locator('.meta').textContent(), 'timer · seconds');
  t.is(await statRow('app.payload').locator('.meta').textContent(), 'histogram · bytes');
  t.is(await statRow('app.ticks').locator('.meta').textContent(), 'counter');

  // The counter: its sum over the files rises, and beside it one line per worker, by pid.
  const ticks = panelOf(page, 'app.ticks');
  const first = await waitFor('a first value on the graph', lastOf(ticks));
  const later = await waitFor('the graph to rise', async () => {
    const value = await lastOf(ticks)();
    return value !== undefined && value > first ? value : undefined;
  });
  t.true(later > first);
  t.deepEqual(await legendOf(ticks.locator('figure.merged')), ['sum']);
  const pids = writers.map((w) => `pid ${w.pid}`).sort();
  await waitFor('a line per worker', async () => ((await legendOf(ticks.locator('figure.per-worker'))).length === 3 ? true : undefined));
  t.deepEqual((await legendOf(ticks.locator('figure.per-worker'))).sort(), pids);

  // The timer: a heatmap of the two v2 writers' recordings merged, their p99 in the title, and
  // per worker the mean of each interval.
  const latency = panelOf(page, 'app.latency');
  t.is(await latency.locator('.meta').textContent(), 'timer: heatmap · seconds');
  await waitFor('heatmap cells', async () => ((await cellsOf(latency)).length > 0 ? true : undefined));
  t.regex((await latency.locator('data.last').textContent())!, /^p99 [\d.]+ ms$/);
  await waitFor('two workers timed', async () => ((await legendOf(latency.locator('figure.per-worker'))).length === 2 ? true : undefined));
  t.deepEqual((await legendOf(latency.locator('figure.per-worker'))).sort(), writers.slice(0, 2).map((w) => `pid ${w.pid}`).sort());

  // Strings are shown as text, from the v1 file too, one row per worker.
  const text = panelOf(page, 'app.state');
  await waitFor('three text rows', async () => ((await text.locator('td.value', { hasText: 'running' }).count()) === 3 ? true : undefined));
  t.deepEqual((await text.locator('tr td:first-child').allTextContents()).sort(), pids);

  // The window as a rate per second.
  await waitFor('the window rate', async () => (((await lastOf(panelOf(page, 'app.recent'))()) ?? 0) > 0 ? true : undefined));

  // Counters as a rate: the change per second of the sum.
  await page.check('#rate');
  await waitFor('a counter rate', async () => (((await lastOf(ticks)()) ?? 0) > 0 && (await ticks.locator('.meta').textContent()) === 'counter: rate · /s' ? true : undefined));

  // Without the breakdown, the merged views only.
  await page.uncheck('#workers');
  await waitFor('the per-worker views hidden', async () => ((await ticks.locator('figure.per-worker').isHidden()) ? true : undefined));
  await page.check('#workers');
  await waitFor('a line per worker again', async () => ((await legendOf(ticks.locator('figure.per-worker'))).length === 3 ? true : undefined));

  // Not a wait for a condition: only so that the screenshot shows lines and columns, not dots.
  await page.waitForTimeout(8000);
  // The pointer off the graphs (on the sidebar), so the picture has no crosshair.
  await page.mouse.move(150, 990);
  mkdirSync(fileURLToPath(new URL('../docs-assets/', import.meta.url)), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
  t.log(`screenshot: ${SCREENSHOT}`);
  t.deepEqual(problems, []);
});

testWithTool(CHROMIUM)('a histogram heatmap has a cell per interval and bucket that recorded something, coloured by its count', async (t) => {
  // Writers that record only when told, so every cell is known.
  const { page, writers, problems } = await openDashboard(
    t,
    [
      ['a', 0],
      ['b', 0],
    ],
    'stat=app.payload',
  );
  const [a, b] = writers as [LiveWriter, LiveWriter];
  const payload = panelOf(page, 'app.payload');
  // A first interval drawn (its start and end known to the page), with nothing in it.
  await waitFor('an empty interval', async () => ((await payload.locator('svg.heatmap').getAttribute('aria-label'))?.startsWith('heatmap: 0 cells') ? true : undefined));
  t.is(await payload.locator('svg.heatmap text.empty').textContent(), 'nothing recorded in this range');

  await a.observe(100);
  await waitFor('one cell', async () => ((await cellsOf(payload)).length === 1 ? true : undefined));
  const [one] = await cellsOf(payload);
  // 100 B falls in the bucket [100, 104) of the writer's default k = 4 (spec/format-v2.md#enc-histogram).
  t.regex(one!.title, /· \[100 B, 104 B\): 1$/);

  // Five in another bucket, from the other worker, in one interval: a second cell, higher up,
  // and the first one's colour changes, as it is no longer the largest count in view.
  await b.observe(5000, 5);
  await waitFor('two cells', async () => ((await cellsOf(payload)).length === 2 ? true : undefined));
  const cells = await cellsOf(payload);
  const small = cells.find((cell) => cell.count === 1)!;
  const big = cells.find((cell) => cell.count === 5)!;
  t.regex(big.title, /· \[4\.75 KiB, 5 KiB\): 5$/);
  t.true(big.y < small.y, 'the larger values higher up');
  t.not(small.fill, one!.fill, 'the colour of a count relative to the largest in view');
  t.not(small.fill, big.fill);
  t.is(cells.reduce((sum, cell) => sum + cell.count, 0), 6, 'every observation counted once');

  // Per worker, the mean of each interval: a line for each, by pid.
  await waitFor('a line per worker', async () => ((await legendOf(payload.locator('figure.per-worker'))).length === 2 ? true : undefined));
  t.deepEqual((await legendOf(payload.locator('figure.per-worker'))).sort(), [`pid ${a.pid}`, `pid ${b.pid}`].sort());

  // A worker that goes away (its file removed) leaves the per-worker view; what it recorded stays in the heatmap.
  await b.stop();
  await waitFor('one worker left', async () => ((await legendOf(payload.locator('figure.per-worker'))).join() === `pid ${a.pid}` ? true : undefined));
  t.is((await cellsOf(payload)).reduce((sum, cell) => sum + cell.count, 0), 6);
  t.deepEqual(problems, []);
});

testWithTool(CHROMIUM)('the search box hides the stats and the charts whose labels do not match', async (t) => {
  const { page, problems } = await openDashboard(t, [['web', 100]], 'stat=app.ticks&stat=app.latency&stat=app.state');
  const labels = ['app.ticks', 'app.latency', 'app.state'];
  for (const label of labels) await panelOf(page, label).waitFor({ timeout: 30_000 });
  await page.locator('#stats li').first().waitFor({ timeout: 30_000 });
  const allStats = await page.locator('#stats li').count();

  // A substring, any case.
  await page.fill('#search', 'LAT');
  await waitFor('one chart left', async () => ((await page.locator('article.panel:visible').count()) === 1 ? true : undefined));
  t.true(await panelOf(page, 'app.latency').isVisible());
  t.true(await panelOf(page, 'app.ticks').isHidden());
  t.deepEqual(await page.locator('#stats li label > span:not(.meta)').allTextContents(), ['app.latency']);

  await page.fill('#search', 'a');
  await waitFor('every chart back', async () => ((await page.locator('article.panel:visible').count()) === 3 ? true : undefined));
  await page.fill('#search', '');
  t.is(await page.locator('#stats li').count(), allStats);
  t.deepEqual(problems, []);
});

testWithTool(CHROMIUM)('dragging across a chart zooms every chart into that time range; the button or a double-click follows live again', async (t) => {
  const { page, problems } = await openDashboard(t, [['web', 50]], 'stat=app.ticks&stat=app.latency');
  const ticks = panelOf(page, 'app.ticks');
  const latency = panelOf(page, 'app.latency');
  const heatmap = latency.locator('svg.heatmap');
  const shownRange = async (): Promise<string> => `${await heatmap.locator('text.x-axis.start').textContent()} – ${await heatmap.locator('text.x-axis.end').textContent()}`;
  // A few seconds of history to zoom into.
  await waitFor('six intervals in the heatmap', async () => {
    const start = await heatmap.locator('text.x-axis.start').textContent();
    const end = await heatmap.locator('text.x-axis.end').textContent();
    return start !== null && end !== null && Date.parse(`1970-01-01T${end}Z`) - Date.parse(`1970-01-01T${start}Z`) >= 6000 ? true : undefined;
  });
  t.true(await page.locator('#zoom').isHidden());

  // A drag across the counter's chart zooms the timer's heatmap too, and it stays there as events come.
  await drag(page, ticks.locator('figure.merged .u-over'), 0.2, 0.6);
  await waitFor('the zoom shown', async () => ((await page.locator('#zoom').isVisible()) ? true : undefined));
  const zoomed = (await page.locator('#zoom-range').textContent())!;
  t.regex(zoomed, /^\d\d:\d\d:\d\d – \d\d:\d\d:\d\d$/);
  await waitFor('the heatmap zoomed', async () => ((await shownRange()) === zoomed ? true : undefined));
  const status = await page.locator('#status').textContent();
  await waitFor('another event', async () => ((await page.locator('#status').textContent()) !== status ? true : undefined));
  t.is(await shownRange(), zoomed);

  // Back to live with the button: the heatmap follows the newest events again.
  await page.click('#zoom-reset');
  await waitFor('live again', async () => ((await page.locator('#zoom').isHidden()) && (await shownRange()) !== zoomed ? true : undefined));

  // A drag across the heatmap zooms as well; a double-click on a chart follows live again.
  await drag(page, heatmap, 0.3, 0.9);
  await waitFor('zoomed from the heatmap', async () => ((await page.locator('#zoom').isVisible()) ? true : undefined));
  t.is(await shownRange(), (await page.locator('#zoom-range').textContent())!);
  await ticks.locator('figure.per-worker .u-over').dblclick();
  await waitFor('live again', async () => ((await page.locator('#zoom').isHidden()) ? true : undefined));
  t.deepEqual(problems, []);
});
