// Fails if any package's sources import each other in a circle. A cycle makes module
// evaluation order depend on which file is imported first (a class or constant can be read
// before it is defined), and it means the two files are really one module. Type-only imports
// count too: they tie the files' design together just the same.
// Usage: node scripts/check-import-cycles.mjs [package dir ...]  (default: packages/*)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packages = process.argv.length > 2
  ? process.argv.slice(2).map((dir) => resolve(dir))
  : readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name));

/** Every .ts file under dir, tests included (a test importing in a circle is still a circle). */
function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

// `import ... from './x.js'`, `export ... from '../y.js'`, `import('./z.js')`: relative only;
// other packages are separate build units and cannot form a cycle through source.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** The file a relative specifier names: `.js` written for the `.ts` beside it. */
function resolveSpecifier(from, specifier) {
  const target = resolve(dirname(from), specifier);
  const ts = target.replace(/\.js$/, '.ts');
  try {
    if (statSync(ts).isFile()) return ts;
  } catch {
    // Not a .ts source (JSON, .cjs, assets): not part of the graph.
  }
  return undefined;
}

/** Strongly connected components of size > 1 (or self-loops), by Tarjan's algorithm. */
function cycles(graph) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    indices.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), indices.get(next)));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) found.push(component);
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

let failures = 0;
for (const pkg of packages) {
  let files;
  try {
    files = sourceFiles(join(pkg, 'src'));
  } catch {
    continue; // A package without sources (none today) has nothing to check.
  }
  const graph = new Map();
  for (const file of files) {
    const targets = new Set();
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = resolveSpecifier(file, match[1]);
      if (target) targets.add(target);
    }
    graph.set(file, targets);
  }
  for (const component of cycles(graph)) {
    failures += 1;
    console.error(`import cycle in ${relative(root, pkg)}: ${component.map((f) => relative(pkg, f)).reverse().join(' -> ')}`);
  }
}
if (failures > 0) {
  console.error(`${failures} import cycle(s)`);
  process.exit(1);
}
console.log(`no import cycles in ${packages.length} packages`);
