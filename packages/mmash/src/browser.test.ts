// The dashboard in real headless Chromium (Debian's `chromium`, driven by playwright-core):
// it loads without console errors, shows kinds and units, a live counter rises, a timer is
// drawn as its p50/p90/p99 lines (and they rise as the writers record longer times), text is
// shown as text, and the screenshot for the README is taken. Two v2 writers and a v1 one.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type ConsoleMessage } from 'playwright-core';
import { CHROMIUM, startTestMmash, startWriter, tempDir, testWithTool, waitFor } from './test-support.test.util.js';

// The README's picture is replaced only on request (MMASH_UPDATE_SCREENSHOT=1), so that a test
// run never changes a tracked file; otherwise the screenshot goes to the temp dir.
const README_SCREENSHOT = fileURLToPath(new URL('../docs-assets/mmash.png', import.meta.url));
const SCREENSHOT = process.env['MMASH_UPDATE_SCREENSHOT'] === '1' ? README_SCREENSHOT : join(tmpdir(), 'mmash-dashboard.png');

testWithTool(CHROMIUM)('the dashboard plots a live counter and a timer as percentiles, with kinds and units and no console errors', async (t) => {
  const { dir, cleanup } = tempDir();
  // Three writers counting at different rates, so the per-file view has three lines; the v1
  // one (Python's format) has the counter and the text but no timer.
  const writers = await Promise.all([startWriter(dir, 'web', 40), startWriter(dir, 'worker', 90), startWriter(dir, 'cron', 250, 1)]);
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
  const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // The event stream is cut when the page closes or reconnects; anything else failing is a bug.
    if (!request.url().includes('/events')) problems.push(`request failed: ${request.url()}`);
  });

  // One line per file first.
  await page.goto(`${mmash.url}#stat=app.ticks&stat=app.latency&stat=app.recent&stat=app.state`);

  // The index lists the stats with their kinds and units, and the three files.
  const statRow = (label: string) => page.locator('#stats label').filter({ has: page.getByText(label, { exact: true }) });
  await statRow('app.latency').waitFor({ timeout: 30_000 });
  await waitFor('three files listed', async () => ((await page.locator('#files li').count()) === 3 ? true : undefined));
  t.true(await statRow('app.ticks').locator('input').isChecked());
  t.is(await statRow('app.latency').locator('.meta').textContent(), 'timer · seconds');
  t.is(await statRow('app.payload').locator('.meta').textContent(), 'histogram · bytes');
  t.is(await statRow('app.ticks').locator('.meta').textContent(), 'counter');

  const ticks = page.locator('article.panel[data-label="app.ticks"]');
  const latency = page.locator('article.panel[data-label="app.latency"]');
  const lastOf = (panel: typeof ticks) => async (): Promise<number | undefined> => {
    const text = await panel.getAttribute('data-last');
    return text === null || text === '' ? undefined : Number(text);
  };
  // Per file: three counter lines, and p50/p90/p99 of each of the two timers.
  await waitFor('three series per file', async () => ((await ticks.locator('.u-legend .u-series').count()) === 4 ? true : undefined));
  await waitFor('six percentile lines', async () => ((await latency.locator('.u-legend .u-series').count()) === 7 ? true : undefined));
  t.regex((await latency.getAttribute('data-series'))!, /^web-\d+\.mmstats p50,web-\d+\.mmstats p90,web-\d+\.mmstats p99,worker-\d+\.mmstats p50,/);

  // Strings are shown as text, from the v1 file too.
  const text = page.locator('article.panel[data-label="app.state"]');
  await text.locator('td.value', { hasText: 'running' }).first().waitFor({ timeout: 30_000 });
  await waitFor('three text rows', async () => ((await text.locator('td.value').count()) === 3 ? true : undefined));

  // Combined: the sum of the counter rises; the merged timer is three lines, p50 p90 p99, that rise too.
  await page.selectOption('#mode', 'sum');
  const first = await waitFor('a first value on the graph', lastOf(ticks));
  const later = await waitFor('the graph to rise', async () => {
    const value = await lastOf(ticks)();
    return value !== undefined && value > first ? value : undefined;
  });
  t.true(later > first);
  t.is(await ticks.locator('canvas').count(), 1, 'a uPlot canvas');
  t.true((await ticks.locator('.u-legend').textContent())!.includes('sum'), 'a legend');
  await waitFor('the percentile lines', async () => ((await latency.getAttribute('data-series')) === 'p50,p90,p99' ? true : undefined));
  t.is(await latency.locator('.meta').textContent(), 'timer: percentiles · seconds');
  const legend = (await latency.locator('.u-legend').textContent())!;
  for (const q of ['p50', 'p90', 'p99']) t.true(legend.includes(q), legend);
  const p50 = await waitFor('a first p50', lastOf(latency));
  await waitFor('p50 to rise', async () => {
    const value = await lastOf(latency)();
    return value !== undefined && value > p50 ? value : undefined;
  });
  // The window as a rate per second.
  await waitFor('the window rate', async () => ((await lastOf(page.locator('article.panel[data-label="app.recent"]'))()) ?? 0) > 0 ? true : undefined);

  // Counters as a rate: the change per second of the sum.
  await page.check('#rate');
  await waitFor('a counter rate', async () => ((await lastOf(ticks)()) ?? 0) > 0 && (await ticks.locator('.meta').textContent()) === 'counter: rate · /s' ? true : undefined);
  await page.uncheck('#rate');

  // Not a wait for a condition: only so that the screenshot shows lines, not dots.
  await page.waitForTimeout(5000);

  // Zoom: dragging across the plot selects a range and the panel says so.
  const over = ticks.locator('.u-over');
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await waitFor('the zoom note', async () => ((await ticks.locator('.note').textContent())?.includes('zoomed') ? true : undefined));
  await over.dblclick();
  await waitFor('following live again', async () => ((await ticks.locator('.note').textContent()) === '' ? true : undefined));

  // The pointer off the graphs (on the sidebar), so the picture has no crosshair.
  await page.mouse.move(150, 810);
  mkdirSync(fileURLToPath(new URL('../docs-assets/', import.meta.url)), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
  t.log(`screenshot: ${SCREENSHOT}`);
  t.deepEqual(problems, []);
});
