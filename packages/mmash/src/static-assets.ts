/**
 * The dashboard's files: a fixed table of URL paths, loaded into memory at start. A request
 * path is looked up in the table as it is and never turned into a file-system path, so no
 * spelling of `..` can reach another file.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file the dashboard needs. */
export interface StaticAsset {
  /** The `Content-Type` to send. */
  readonly type: string;
  /** The bytes. */
  readonly body: Uint8Array;
}

const ASSETS_DIR = fileURLToPath(new URL('../assets/', import.meta.url));

/**
 * Loads the dashboard: mmash's own page, script, styles and logo from the package's `assets/`
 * folder, and uPlot's ES module and stylesheet from the installed `uplot` package, so the
 * page needs nothing from the internet.
 *
 * @returns the assets by URL path (`/`, `/assets/app.js`, `/favicon.svg`...)
 * @throws when a file is missing (a broken install; better to fail at start than on a click)
 */
export function loadStaticAssets(): ReadonlyMap<string, StaticAsset> {
  // uplot has no "exports" map, so its package.json is resolvable and dist/ sits beside it.
  const uplotDir = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  const svg = 'image/svg+xml';
  const logo = readFileSync(join(ASSETS_DIR, 'logo.svg'));
  const table: Array<[string, string, Uint8Array]> = [
    ['/', 'text/html; charset=utf-8', readFileSync(join(ASSETS_DIR, 'index.html'))],
    ['/assets/app.js', js, readFileSync(join(ASSETS_DIR, 'app.js'))],
    ['/assets/app.css', css, readFileSync(join(ASSETS_DIR, 'app.css'))],
    ['/assets/logo.svg', svg, logo],
    ['/assets/uplot.esm.js', js, readFileSync(join(uplotDir, 'uPlot.esm.js'))],
    ['/assets/uplot.min.css', css, readFileSync(join(uplotDir, 'uPlot.min.css'))],
    ['/favicon.svg', svg, logo],
    // Browsers ask for /favicon.ico by themselves; the SVG serves there too.
    ['/favicon.ico', svg, logo],
  ];
  return new Map(table.map(([path, type, body]) => [path, { type, body }]));
}
