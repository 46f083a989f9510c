/**
 * The dashboard's files: a fixed table of URL paths, loaded into memory at start. A request
 * path is looked up in the table as it is and never turned into a file-system path, so no
 * spelling of `..` can reach another file.
 *
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
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

/** The `Content-Type` of the dashboard's own files, by their name's ending; other files (the type declarations for the checker) are not served. */
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const SVG = 'image/svg+xml';
const TYPES: ReadonlyArray<readonly [ending: string, type: string]> = [
  ['.js', JS],
  ['.css', CSS],
  ['.svg', SVG],
];

/**
 * Loads the dashboard: mmash's own page, script modules, styles and logo from the package's
 * `assets/` folder (its regular files only: a symbolic link there is not followed), and
 * uPlot's ES module and stylesheet from the installed `uplot` package, so the page needs
 * nothing from the internet.
 *
 * @returns the assets by URL path (`/`, `/assets/app.js`, `/favicon.svg`...)
 * @throws when a file is missing (a broken install; better to fail at start than on a click)
 */
export function loadStaticAssets(): ReadonlyMap<string, StaticAsset> {
  // uplot has no "exports" map, so its package.json is resolvable and dist/ sits beside it.
  const uplotDir = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
  const typeOf = (name: string): string | undefined => (name.endsWith('.d.ts') ? undefined : TYPES.find(([ending]) => name.endsWith(ending))?.[1]);
  const table: Array<[string, string, Uint8Array]> = [];
  for (const entry of readdirSync(ASSETS_DIR, { withFileTypes: true })) {
    const type = typeOf(entry.name);
    if (entry.isFile() && type !== undefined) table.push([`/assets/${entry.name}`, type, readFileSync(join(ASSETS_DIR, entry.name))]);
  }
  const logo = readFileSync(join(ASSETS_DIR, 'logo.svg'));
  table.push(
    ['/', 'text/html; charset=utf-8', readFileSync(join(ASSETS_DIR, 'index.html'))],
    ['/assets/uplot.esm.js', JS, readFileSync(join(uplotDir, 'uPlot.esm.js'))],
    ['/assets/uplot.min.css', CSS, readFileSync(join(uplotDir, 'uPlot.min.css'))],
    ['/favicon.svg', SVG, logo],
    // Browsers ask for /favicon.ico by themselves; the SVG serves there too.
    ['/favicon.ico', SVG, logo],
  );
  return new Map(table.map(([path, type, body]) => [path, { type, body }]));
}
