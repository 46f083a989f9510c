// Where this package keeps its mmap binding, one file per platform, CPU and Node ABI (a NAN
// addon only loads into the Node it was built for), and how to load it. Shared by the
// install and prebuild scripts and by src/common/mmap.ts, so all three agree on the name.
'use strict';
const path = require('node:path');

/** `binding/linux-x64-node-v127.node` for the running Node, or for the given ABI. */
function bindingFile(abi = process.versions.modules, platform = process.platform, arch = process.arch) {
  return path.join(__dirname, '..', 'binding', `${platform}-${arch}-node-v${abi}.node`);
}

/** Loads the binding built for the running Node; throws the loader's error when it is absent or does not fit. */
function loadBinding() {
  return require(bindingFile());
}

/** What to install and run when the binding cannot be built or loaded: one line, shown by the loader and the install script. */
const BUILD_HINT =
  'building it needs Python 3, make and a C++ compiler (Debian/Ubuntu: apt-get install python3 make g++; ' +
  'Fedora: dnf install python3 make gcc-c++; macOS: xcode-select --install; Alpine: apk add python3 make g++), ' +
  'then `npm rebuild @mmstats/writer`; see https://github.com/mmstats/mmstats-ts/tree/main/packages/writer#native-binding';

module.exports = { bindingFile, loadBinding, BUILD_HINT };
