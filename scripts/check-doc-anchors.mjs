#!/usr/bin/env node
// Checks every `page.md#anchor` the repository mentions, in Markdown links and in source
// comments alike (`spec/files.md#archive`), against the anchors the page has: its
// `<a id="...">` and its headings' GitHub slugs. check-doc-links.mjs checks pages exist in the
// API docs; this one checks the part after `#`, which no link checker sees in a comment.
// A mention resolves relative to its file, then from the repository root, then as a spec page
// (source comments say `format-v2.md#seqlock` for spec/format-v2.md). Exits 1 on a missing anchor.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const files = execFileSync('git', ['ls-files', '*.md', '*.ts', '*.mjs', '*.js', '*.py'], { encoding: 'utf8' }).split('\n').filter(Boolean);
const MENTION = /((?:\.\.?\/)*[\w./-]*\.md)#([\w-]+)/g;

/** GitHub's slug of a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');

const cache = new Map();
/** The anchors of the page at `path`, or `undefined` when there is no such file. */
function anchorsOf(path) {
  if (!cache.has(path)) {
    let text;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      cache.set(path, undefined);
      return undefined;
    }
    const anchors = new Set([...text.matchAll(/<a id="([^"]+)"/g)].map((m) => m[1]));
    for (const m of text.matchAll(/^#{1,6} (.+)$/gm)) anchors.add(slug(m[1]));
    cache.set(path, anchors);
  }
  return cache.get(path);
}

const missing = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  for (const [, page, anchor] of text.matchAll(MENTION)) {
    const candidates = [normalize(join(dirname(file), page)), normalize(page), join('spec', page.replace(/^.*\//, ''))];
    const anchors = candidates.map(anchorsOf).find((a) => a !== undefined);
    if (anchors !== undefined && !anchors.has(anchor)) missing.push(`${file}: ${page}#${anchor}`);
  }
}
for (const line of [...new Set(missing)]) console.error(`no such anchor: ${line}`);
console.log(`doc anchors: ${missing.length === 0 ? 'all found' : `${missing.length} missing`}`);
process.exit(missing.length === 0 ? 0 : 1);
