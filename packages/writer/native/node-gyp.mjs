// Building the binding with node-gyp for one Node binary, into binding/ under the name the
// loader looks for (binding.cjs).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const { bindingFile } = require('./binding.cjs');

/**
 * The node-gyp command line: the one the package manager bundles (npm and pnpm say where in
 * `npm_config_node_gyp`), else the workspace's dev dependency, else `node-gyp` from PATH.
 */
function nodeGyp() {
  const bundled = process.env.npm_config_node_gyp;
  if (bundled) return [process.execPath, bundled];
  try {
    return [process.execPath, require.resolve('node-gyp/bin/node-gyp.js')];
  } catch {
    return ['node-gyp'];
  }
}

/**
 * Builds `packageDir`'s binding against the Node at `node` (its own headers when they sit beside
 * it, as in the official binaries and distribution packages, so nothing is downloaded) and copies
 * it to `binding/`. Returns whether it worked; node-gyp's output goes to stderr.
 */
export function buildBinding(packageDir, node) {
  const prefix = dirname(dirname(node));
  const headers = existsSync(join(prefix, 'include', 'node', 'node.h')) ? [`--nodedir=${prefix}`] : [];
  const abi = spawnSync(node, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).stdout.trim();
  const [command, ...args] = nodeGyp();
  // node-gyp runs `node -e "require('nan')"` from binding.gyp: that must be the target Node's PATH entry.
  const env = { ...process.env, PATH: `${dirname(node)}:${process.env.PATH ?? ''}` };
  const built = spawnSync(command, [...args, 'rebuild', ...headers], { cwd: packageDir, stdio: ['ignore', 2, 2], env });
  if (built.status !== 0 || !abi) return false;
  mkdirSync(join(packageDir, 'binding'), { recursive: true });
  copyFileSync(join(packageDir, 'build', 'Release', 'mmap_io.node'), bindingFile(abi));
  return true;
}
