// Build step: each executable as one file (dist/NAME.bundle.js) with everything it imports,
// yargs included. Node 20 spends most of a start-up resolving and compiling ES modules one by
// one (yargs and its dependencies are ~40); one file per executable takes ~40 ms off every
// command (bench/cli.mjs). The bundles sit in dist/ beside the modules they are made from, so
// the paths those modules find from `import.meta.url` (../package.json, the prerendered help)
// are the same in both. The library (`dist/index.js`) is not bundled.
import { dirname } from 'node:path';
import { build } from 'esbuild';

// yargs, cliui and wrap-ansi import string-width, whose module builds an Intl.Segmenter and a
// \p{RGI_Emoji} regular expression as it loads: ~20 ms at every start of a command that
// yargs parses, though text is measured only when help or usage is printed. In the bundles
// each `import stringWidth from 'string-width'` gets a function that loads the real module on
// its first call (esbuild runs a `require`d module's body when it is first required).
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(bundle) {
    bundle.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.real === true) return undefined;
      const real = await bundle.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { real: true } });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'lazy-string-width' };
    });
    bundle.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
      contents: `let real;\nexport default function stringWidth(text, options) {\n  real ??= require(${JSON.stringify(args.path)}).default;\n  return real(text, options);\n}\n`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

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
  plugins: [lazyStringWidth],
});
