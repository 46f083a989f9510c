#!/usr/bin/env node
// The packaging test: what a user gets from the registry. Packs every published package, checks
// the tarballs' types with attw (ESM-only profile), installs them with npm's defaults into a
// fresh project outside the workspace (one install), then checks what was installed: no install
// scripts for the readers, the writer's prebuilt binding used without a compiler, the files and metadata of every package, links in
// the published READMEs, every TypeScript and JavaScript block of every README type-checked and
// run as written, the bins, mmash over HTTP, and the message a missing binding gives. Prints
// `ok`/`not ok` per check and a closing `packaging: N passed, N failed` (scripts/test.mjs adds
// it to the totals). Run by `pnpm test`; `.ci/run` runs it under each Node version.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const published = ['format', 'reader', 'writer', 'cli', 'mmash', 'otel'];
// What @mmstats/otel's README blocks import besides it: its optional peers (the producer's) and an exporter.
const otelPeers = ['@opentelemetry/sdk-metrics@^2.12.1', '@opentelemetry/resources@^2.12.1', '@opentelemetry/exporter-metrics-otlp-proto@^0.223.0'];
const readers = ['@mmstats/format', '@mmstats/reader', '@mmstats/cli', '@mmstats/mmash'];
const work = mkdtempSync(join(tmpdir(), 'mmstats-packaging-'));
const app = join(work, 'app');
const statsDir = join(work, 'stats');
const tally = { passed: 0, failed: 0 };

/** Records one check: `problems` empty (or a function returning none) passes. */
async function check(title, body) {
  let problems;
  try {
    problems = [await body()].flat().filter(Boolean);
  } catch (error) {
    problems = [error instanceof Error ? error.message : String(error)];
  }
  if (problems.length === 0) {
    tally.passed++;
    console.log(`ok - ${title}`);
  } else {
    tally.failed++;
    // Long outputs (npm's, node-gyp's) are cut to their end, where the reason is.
    const shown = problems.map((p) => String(p)).map((p) => (p.length > 4000 ? `...${p.slice(-4000)}` : p));
    console.log(`not ok - ${title}\n${shown.map((p) => `  # ${p.replaceAll('\n', '\n  # ')}`).join('\n')}`);
  }
}

// npm must see its own defaults, not the workspace's (.npmrc, pnpm's npm_config_* variables).
const userEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm|pnpm)_/i.test(key)));

/** Runs a command to completion; throws with its output when it fails. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', env: userEnv, maxBuffer: 64 << 20, ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}\n${result.stdout}${result.stderr}`.trim());
  }
  return result;
}

/** Runs `node args` in the app; resolves with its exit code and output, or `running: true` if it was still going after `ms`. */
function runNode(args, ms, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: app, env: { ...userEnv, MMSTATS_PATH: statsDir, PORT: '0', ...env } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), ms);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, running: signal === 'SIGTERM', output });
    });
  });
}

const installedDir = (name) => join(app, 'node_modules', '@mmstats', name);
const readme = (path) => readFileSync(path, 'utf8');
/** The ```ts and ```js blocks of a README, in order. */
const codeBlocks = (text) => [...text.matchAll(/^```(ts|js)\n([\s\S]*?)^```$/gm)].map(([, lang, code]) => ({ lang, code }));

let installed = false;
try {
  console.log(`packaging test in ${work} (Node ${process.version})`);
  mkdirSync(statsDir);
  mkdirSync(app);

  await check('every published package packs (prepack builds it)', () => {
    for (const name of published) run('pnpm', ['pack', '--pack-destination', work], { cwd: join(root, 'packages', name), env: process.env });
  });
  const tarballs = readdirSync(work).filter((file) => file.endsWith('.tgz')).map((file) => join(work, file));

  await check('attw: every package’s types resolve for ESM consumers (profile esm-only)', () =>
    tarballs.flatMap((tarball) => {
      const attw = spawnSync(join(root, 'node_modules', '.bin', 'attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], { encoding: 'utf8', env: { ...userEnv, NO_COLOR: '1' } });
      if (attw.error) throw attw.error;
      return attw.status === 0 ? [] : [`${basename(tarball)}:\n${attw.stdout}${attw.stderr}`];
    }),
  );

  await check('the root README’s project setup makes an ES module project', () => {
    const install = /^```sh\n(npm init[^\n]*)\n/m.exec(readme(join(root, 'README.md')));
    if (!install) return 'README.md has no ```sh block starting with `npm init`';
    run('sh', ['-c', install[1]], { cwd: app });
    const type = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).type;
    return type === 'module' ? [] : `package.json "type" is ${type}`;
  });

  // One install: our tarballs (npm resolves the @mmstats/* dependencies among them), and what a
  // TypeScript user adds. No C or C++ compiler: CC and CXX fail, so any native build would fail.
  await check('npm installs every tarball with its defaults and no compiler', () => {
    run('npm', ['install', '--no-audit', '--no-fund', ...tarballs, ...otelPeers, 'typescript@~5.9.3', '@types/node@^20.19.0'], {
      cwd: app,
      env: { ...userEnv, CC: 'false', CXX: 'false' },
    });
    installed = true;
  });
  if (!installed) throw new Error('nothing installed: the remaining checks need the install');

  await check('no reader (format, reader, cli, mmash) pulls in an install script or native code', () => {
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')).packages;
    const scripted = new Set();
    const visit = (path, seen = new Set()) => {
      if (seen.has(path)) return;
      seen.add(path);
      const entry = lock[path];
      if (entry.hasInstallScript) scripted.add(path.replace(/^.*node_modules\//, ''));
      for (const dependency of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
        // Node's lookup: the nearest node_modules up from the dependent.
        for (let at = path; ; at = at.slice(0, Math.max(0, at.lastIndexOf('/node_modules/')))) {
          const candidate = `${at ? `${at}/` : ''}node_modules/${dependency}`;
          if (lock[candidate]) {
            visit(candidate, seen);
            break;
          }
          if (!at) break;
        }
      }
    };
    for (const name of readers) visit(`node_modules/${name}`);
    return [...scripted].map((name) => `${name} has an install script`);
  });

  if (process.platform === 'linux' && process.arch === 'x64') {
    await check('the writer uses its prebuilt linux-x64 binding: nothing was compiled', () => {
      const dir = installedDir('writer');
      const binding = join(dir, 'binding', `linux-x64-node-v${process.versions.modules}.node`);
      return [!existsSync(binding) && `missing ${binding}`, existsSync(join(dir, 'build')) && 'node-gyp ran: build/ exists'];
    });
  }

  await check('each package ships LICENSE, README, CHANGELOG and dist, no sources, tests, source maps or repository paths', () =>
    published.flatMap((name) => {
      const dir = installedDir(name);
      const files = readdirSync(dir, { recursive: true }).map(String);
      return [
        ...['LICENSE', 'README.md', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts'].filter((file) => !files.includes(file)).map((file) => `${name}: no ${file}`),
        ...files.filter((file) => /\.map$|\.test\.|^src\/|tsbuildinfo/.test(file)).map((file) => `${name}: ships ${file}`),
        // Comments cite the spec by URL: a bare `spec/x.md` means nothing in node_modules.
        ...files
          .filter((file) => file.endsWith('.d.ts') && /(?<![\w./-])spec\/[\w-]+\.md/.test(readFileSync(join(dir, file), 'utf8')))
          .map((file) => `${name}: ${file} cites the spec by a repository path`),
      ];
    }),
  );

  await check('each package.json has the registry metadata and no workspace-only references', () =>
    published.flatMap((name) => {
      const pkg = JSON.parse(readFileSync(join(installedDir(name), 'package.json'), 'utf8'));
      const specs = JSON.stringify([pkg.dependencies, pkg.devDependencies, pkg.peerDependencies]);
      return [
        pkg.license !== 'BSD-3-Clause' && `${name}: license ${pkg.license}`,
        pkg.repository?.directory !== `packages/${name}` && `${name}: repository ${JSON.stringify(pkg.repository)}`,
        !pkg.homepage && `${name}: no homepage`,
        !pkg.bugs?.url && `${name}: no bugs`,
        !pkg.keywords?.length && `${name}: no keywords`,
        pkg.publishConfig?.access !== 'public' && `${name}: publishConfig.access is not public`,
        /workspace:|catalog:|@mmstats\/fixtures/.test(specs) && `${name}: dependencies name ${specs}`,
      ];
    }),
  );

  await check('each published README says how to install it, and its links work from the registry', () =>
    published.flatMap((name) => {
      const dir = installedDir(name);
      const text = readme(join(dir, 'README.md'));
      const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map(([, target]) => target);
      return [
        !text.includes(`npm install @mmstats/${name}`) && `${name}: README has no \`npm install @mmstats/${name}\``,
        ...links
          .filter((target) => !/^(https?:|#|mailto:)/.test(target) && !existsSync(join(dir, target.split('#')[0])))
          .map((target) => `${name}: README links to ${target}, which is not in the package`),
      ];
    }),
  );

  // A file for the examples that read one: the same writer the user just installed.
  const seed = join(statsDir, 'seed.mmstats');
  run(process.execPath, ['--input-type=module', '-e', `import { counter, defineModel } from '@mmstats/writer';
    const stats = defineModel({ requests: counter({ unit: 'requests' }) }).open({ path: ${JSON.stringify(statsDir)}, filename: 'seed.mmstats' });
    stats.requests.incr(42);`], { cwd: app });

  // Every ```ts and ```js block of every README, as written: TypeScript ones compiled together
  // (strict, NodeNext, against the installed packages' types), then each one run.
  const blocks = [['README.md', readme(join(root, 'README.md'))], ...published.map((name) => [`${name}/README.md`, readme(join(installedDir(name), 'README.md'))])].flatMap(
    ([source, text]) => codeBlocks(text).map((block, index) => ({ ...block, source, file: `${source.replace(/\W+/g, '-')}${index + 1}.${block.lang === 'ts' ? 'ts' : 'mjs'}` })),
  );
  mkdirSync(join(app, 'readme'));
  for (const block of blocks) writeFileSync(join(app, 'readme', block.file), block.code);
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, types: ['node'], outDir: 'out', rootDir: 'readme', moduleDetection: 'force' },
    include: ['readme/*.ts'],
  }));
  await check(`the README TypeScript blocks type-check (${blocks.filter((b) => b.lang === 'ts').length} blocks)`, () => {
    run(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: app });
  });
  for (const block of blocks) {
    await check(`${block.source} block ${block.file} runs as written`, async () => {
      const script = block.lang === 'ts' ? join('out', block.file.replace(/\.ts$/, '.js')) : join('readme', block.file);
      const { code, running, output } = await runNode([script, seed], 10_000);
      // A block that starts a server is meant to keep running: alive after 10 s without an error is its pass.
      if (running && block.code.includes('.listen(')) return [];
      return running ? `still running after 10 s\n${output}` : code === 0 ? [] : `exit ${code}\n${output}`;
    });
  }

  const bin = (name) => join(app, 'node_modules', '.bin', name);
  await check('the bins run: mmstats slurp/get, slurpstats, pollstats --help, cleanstats --help', () => {
    const slurp = run(bin('mmstats'), ['slurp', seed], { cwd: app }).stdout;
    const get = run(bin('mmstats'), ['get', 'requests', statsDir], { cwd: app }).stdout;
    const python = run(bin('slurpstats'), [seed], { cwd: app }).stdout;
    for (const tool of ['pollstats', 'cleanstats']) run(bin(tool), ['--help'], { cwd: app });
    return [!slurp.includes('requests') && `slurp printed ${slurp}`, !get.includes('42') && `get printed ${get}`, !python.includes('requests') && `slurpstats printed ${python}`];
  });

  await check('mmash serves the dashboard and /metrics from the installed package', async () => {
    const mmash = spawn(bin('mmash'), ['--port', '0', '--glob', join(statsDir, '*.mmstats')], { cwd: app, env: userEnv });
    try {
      const url = await new Promise((resolve, reject) => {
        let said = '';
        mmash.stderr.on('data', (chunk) => {
          said += chunk;
          const found = /http:\/\/127\.0\.0\.1:\d+/.exec(said);
          if (found) resolve(found[0]);
        });
        mmash.on('close', (code) => reject(new Error(`mmash exited with ${code}: ${said}`)));
      });
      const page = await fetch(`${url}/`);
      // One series per file (the default merges per service): this check follows the seed file.
      const metrics = await (await fetch(`${url}/metrics?series=file`)).text();
      return [page.status !== 200 && `GET / gave ${page.status}`, !/^requests_total\{[^}]*seed\.mmstats"\} 42$/m.test(metrics) && `/metrics has no requests_total 42 for seed.mmstats:\n${metrics.slice(0, 2000)}`];
    } finally {
      mmash.kill('SIGTERM');
    }
  });

  await check('without its binding the writer imports, says what to install, and `degrade` keeps the app running', async () => {
    const bindingDir = join(installedDir('writer'), 'binding');
    renameSync(bindingDir, `${bindingDir}.hidden`);
    try {
      const open = (degrade) => `import { counter, defineModel } from '@mmstats/writer';
        const stats = defineModel({ hits: counter() }).open({ path: ${JSON.stringify(statsDir)}, degrade: ${degrade} });
        stats.hits.incr(); console.log('still running, in memory:', stats.inMemory, stats.hits.value);`;
      const degraded = await runNode(['--input-type=module', '-e', open(true)], 10_000);
      const failed = await runNode(['--input-type=module', '-e', open(false)], 10_000);
      const hint = /no mmap binding for Node v[\d.]+ .*apt-get install python3 make g\+\+.*npm rebuild @mmstats\/writer/;
      return [
        (degraded.code !== 0 || !degraded.output.includes('still running, in memory: true 1') || !hint.test(degraded.output)) && `degrade: exit ${degraded.code}\n${degraded.output}`,
        (failed.code === 0 || !failed.output.includes('MMSTATS-E207') || !hint.test(failed.output)) && `no degrade: exit ${failed.code}\n${failed.output}`,
      ];
    } finally {
      renameSync(`${bindingDir}.hidden`, bindingDir);
    }
  });
} catch (error) {
  tally.failed++;
  console.log(`not ok - ${error instanceof Error ? error.message : String(error)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`packaging: ${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed ? 1 : 0);
