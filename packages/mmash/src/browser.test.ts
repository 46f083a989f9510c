// The dashboard in real headless Chromium (Debian's `chromium`, driven by playwright-core):
// it loads without console errors, a live graph follows a writer, and the screenshot for the
// README is taken.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type ConsoleMessage } from 'playwright-core';
import { CHROMIUM, startTestMmash, startWriter, tempDir, testWithTool, waitFor } from './test-support.test.util.js';

const SCREENSHOT = fileURLToPath(new URL('../docs-assets/mmash.png', import.meta.url));

testWithTool(CHROMIUM)('the dashboard plots a live counter as it rises, with no console errors', async (t) => {
  const { dir, cleanup } = tempDir();
  // Three writers counting at different rates, so the per-file view has three lines.
  const writers = await Promise.all([
    startWriter(dir, 'web', 40),
    startWriter(dir, 'worker', 90),
    startWriter(dir, 'cron', 250),
  ]);
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
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // The event stream is cut when the page closes; anything else failing is a bug.
    if (!request.url().includes('/events')) problems.push(`request failed: ${request.url()}`);
  });

  await page.goto(`${mmash.url}#stat=app.ticks&stat=app.state&aggr=sum`);

  // The index lists the stats and the three files.
  await page.locator('#stats label', { hasText: 'app.ticks' }).waitFor({ timeout: 30_000 });
  await waitFor('three files listed', async () => ((await page.locator('#files li').count()) === 3 ? true : undefined));
  t.true(await page.locator('#stats label', { hasText: 'app.ticks' }).locator('input').isChecked());

  // The combined graph's last value rises while the writers count.
  const panel = page.locator('article.panel[data-label="app.ticks"]');
  const lastValue = async (): Promise<number | undefined> => {
    const text = await panel.getAttribute('data-last');
    return text === null || text === '' ? undefined : Number(text);
  };
  const first = await waitFor('a first value on the graph', lastValue);
  const later = await waitFor('the graph to rise', async () => {
    const value = await lastValue();
    return value !== undefined && value > first ? value : undefined;
  });
  t.true(later > first);
  t.is(await panel.locator('canvas').count(), 1, 'a uPlot canvas');
  t.true((await panel.locator('.u-legend').textContent())!.includes('sum'), 'a legend');

  // Strings are shown as text.
  const text = page.locator('article.panel[data-label="app.state"]');
  await text.locator('td.value', { hasText: 'running' }).first().waitFor({ timeout: 30_000 });
  t.is(await text.locator('td.value').count(), 3);

  // Switch to one line per file; then let a few seconds of points build up for the picture.
  await page.selectOption('#mode', '');
  await waitFor('three series per file', async () => ((await panel.locator('.u-legend .u-series').count()) === 4 ? true : undefined));
  // Not a wait for a condition: only so that the screenshot shows lines, not dots.
  await page.waitForTimeout(4000);

  // Zoom: dragging across the plot selects a range and the panel says so.
  const over = panel.locator('.u-over');
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await waitFor('the zoom note', async () => ((await panel.locator('.note').textContent())?.includes('zoomed') ? true : undefined));
  await over.dblclick();
  await waitFor('following live again', async () => ((await panel.locator('.note').textContent()) === '' ? true : undefined));

  // The pointer off the graph, so the picture has no crosshair.
  await page.mouse.move(640, 740);
  mkdirSync(fileURLToPath(new URL('../docs-assets/', import.meta.url)), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
  t.deepEqual(problems, []);
});
