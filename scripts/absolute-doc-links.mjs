#!/usr/bin/env node
// After `tsc`: in the package's dist/*.d.ts, make the comments' references to the spec
// (`spec/format-v2.md#merge`) absolute links to the repository, so that the declarations a
// user's editor shows point somewhere that exists; in the sources they stay repository paths.
// Only declarations: the .js files' strings (messages, test titles) are the program's own.
// Run from a package directory by its build script.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SPEC = 'https://github.com/mmstats/mmstats-ts/blob/main/spec/';
// `spec/x.md` not already inside a path or URL (`../spec/`, `/blob/main/spec/`).
const reference = /(?<![\w./-])spec\/([\w-]+\.md(?:#[\w-]+)?)/g;

const dist = join(process.cwd(), 'dist');
for (const file of readdirSync(dist, { recursive: true }).map(String).filter((name) => name.endsWith('.d.ts'))) {
  const path = join(dist, file);
  const text = readFileSync(path, 'utf8');
  const linked = text.replace(reference, `${SPEC}$1`);
  if (linked !== text) writeFileSync(path, linked);
}
