// Build step: each executable as one file (dist/NAME.bundle.js) with everything it imports,
// yargs included. Node 20 spends most of a start-up resolving and compiling ES modules one by
// one (yargs and its dependencies are ~40); one file per executable takes ~40 ms off every
// command (bench/cli.mjs). The bundles sit in dist/ beside the modules they are made from, so
// the paths those modules find from `import.meta.url` (../package.json, the prerendered help)
// are the same in both. The library (`dist/index.js`) is not bundled.
import { build } from 'esbuild';

const executables = {
  mmstats: 'dist/bin.js',
  slurpstats: 'dist/python-bins/slurpstats.js',
  pollstats: 'dist/python-bins/pollstats.js',
  cleanstats: 'dist/python-bins/cleanstats.js',
};

await build({
  entryPoints: Object.entries(executables).map(([name, path]) => ({ in: path, out: `${name}.bundle` })),
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // yargs' ES build looks for its locale files beside its own module, which a bundle does not
  // have; usage.ts fixes the locale at English, whose messages are yargs' own keys, so the
  // missing files change nothing.
  logLevel: 'warning',
});
