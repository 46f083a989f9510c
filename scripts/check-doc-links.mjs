#!/usr/bin/env node
// Checks the API docs (packages/*/docs, from `pnpm apidocs`): every link into this repository
// must name a commit (`main`, in the READMEs, is checked against HEAD, which is to become it), a
// file or directory that commit has and, with `#L`, a line the file has; every relative link
// must reach a file of the docs. Prints what it checked and each broken link; exits 1 if any.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPOSITORY } from './typedoc-source-links.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const linesAt = new Map();
/** How many lines `path` has at `revision` (a directory: 0), or undefined when it has no such path. */
function lineCount(revision, path) {
  const key = `${revision === 'main' ? 'HEAD' : revision}:${path.replace(/\/$/, '')}`;
  if (!linesAt.has(key)) {
    try {
      linesAt.set(key, execFileSync('git', ['-C', root, 'show', key], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').length);
    } catch {
      linesAt.set(key, undefined);
    }
  }
  return linesAt.get(key);
}

const broken = [];
let source = 0;
let relative = 0;
const docsDirs = readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name, 'docs')).filter(existsSync);
for (const docs of docsDirs) {
  for (const page of readdirSync(docs, { recursive: true }).map(String).filter((file) => file.endsWith('.html'))) {
    const html = readFileSync(join(docs, page), 'utf8');
    for (const [, href] of html.matchAll(/href="([^"]+)"/g)) {
      const where = `${join(docs, page).slice(root.length + 1)}: ${href}`;
      if (href.startsWith(`${REPOSITORY}/`)) {
        source++;
        const match = /^\/(?:blob|tree)\/([0-9a-f]{40}|main)\/([^#]+)(?:#L(\d+)|#[\w-]*)?$/.exec(href.slice(REPOSITORY.length));
        const lines = match && lineCount(match[1], match[2]);
        if (!match) broken.push(`${where} (not a commit and a path)`);
        else if (lines === undefined) broken.push(`${where} (no such file at that commit)`);
        else if (Number(match[3] ?? 0) > lines) broken.push(`${where} (the file has ${lines} lines)`);
      } else if (!/^(https?:|mailto:|#)/.test(href)) {
        relative++;
        if (!existsSync(join(docs, dirname(page), decodeURIComponent(href.split('#')[0])))) broken.push(`${where} (no such page)`);
      }
    }
  }
}
for (const link of broken) console.log(`broken link: ${link}`);
console.log(`doc links: ${source} links into the repository and ${relative} relative links checked in ${docsDirs.length} packages, ${broken.length} broken`);
process.exit(broken.length || docsDirs.length === 0 ? 1 : 0);
