/**
 * The mmap binding: the C++ of `@riaskov/mmap-io` 1.4.3, carried in `native/` and built by this
 * package into `binding/` (prebuilt for linux-x64, else compiled at install: see the README's
 * "Native binding" section). It is loaded here directly, on first use, so that a binding that
 * failed to build never stops the app from importing the writer: `map()` then throws one
 * message naming the fix, which the writer reports as `CREATE_FAILED` (or, with `degrade`,
 * as a warning while the stats live in memory).
 *
 * @module
 */
import { createRequire } from 'node:module';

/** The binding's own functions and constants, as the addon exports them. */
interface RawBinding {
  readonly PROT_READ: 1;
  readonly PROT_WRITE: 2;
  readonly MAP_SHARED: 1;
  readonly PAGESIZE: number;
  map(size: number, protection: number, flags: number, fd: number, offset: number): Buffer;
  // The addon's msync: (buffer, offset, length, blocking, invalidate).
  sync_lib_private__(buffer: Buffer, offset: number, length: number, blocking: boolean, invalidate: boolean): void;
}

/** The parts of the binding the writer uses. */
export interface MmapBinding {
  readonly PROT_READ: 1;
  readonly PROT_WRITE: 2;
  readonly MAP_SHARED: 1;
  /** The system's page size; 4096 when the binding is missing (then it only sizes heap memory). */
  readonly PAGESIZE: number;
  /** mmap(2): a Buffer over the mapping, which lives until the Buffer is collected. */
  map(size: number, protection: 1 | 2 | 3, flags: number, fd: number, offset: number): Buffer;
  /** msync(2) over `length` bytes from `offset`, `MS_SYNC` when `blocking`, else `MS_ASYNC`. */
  sync(buffer: Buffer, offset: number, length: number, blocking: boolean): void;
}

const { loadBinding, BUILD_HINT } = createRequire(import.meta.url)('../../native/binding.cjs') as {
  loadBinding(): RawBinding;
  BUILD_HINT: string;
};

let loaded: RawBinding | Error | undefined;

/** The binding, loaded once per thread, or the error that explains why it is not there. */
function binding(): RawBinding | Error {
  if (loaded === undefined) {
    try {
      loaded = loadBinding();
    } catch (error) {
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      loaded = new Error(
        `@mmstats/writer: no mmap binding for Node ${process.version} (${process.platform}-${process.arch}, ABI ${process.versions.modules}): ${why}; ${BUILD_HINT}`,
        { cause: error },
      );
    }
  }
  return loaded;
}

function loadedOrThrow(): RawBinding {
  const found = binding();
  if (found instanceof Error) throw found;
  return found;
}

/** The binding the writer maps and flushes its files with. */
export const mmap: MmapBinding = {
  // The same numbers on every system the addon builds for (Linux, macOS, BSDs, its Windows shim).
  PROT_READ: 1,
  PROT_WRITE: 2,
  MAP_SHARED: 1,
  get PAGESIZE() {
    const found = binding();
    return found instanceof Error ? 4096 : found.PAGESIZE;
  },
  map: (size, protection, flags, fd, offset) => loadedOrThrow().map(size, protection, flags, fd, offset),
  sync: (buffer, offset, length, blocking) => loadedOrThrow().sync_lib_private__(buffer, offset, length, blocking, false),
};
