/**
 * The native mmap binding, loaded on first use.
 *
 * It is loaded with `require` inside a `try` rather than imported at the top: a static
 * import of a native addon that failed to build (no compiler on the machine, an unsupported
 * platform) would make this whole package fail to load, when a plain read works everywhere.
 *
 * Trap (see shared/guides/toolchain.md): the binding's `.d.ts` says `export default`, but at
 * runtime the CommonJS module *is* the binding, so its type is `typeof m.default`.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type m from '@riaskov/mmap-io';

/** The binding's API: `map(size, prot, flags, fd, offset)` returns a Buffer over the mapping. */
export type MmapBinding = typeof m.default;

let loaded: MmapBinding | null | undefined;

/**
 * The mmap binding, or `undefined` when it cannot be loaded here. Tried once per thread;
 * the answer is remembered.
 */
export function mmapBinding(): MmapBinding | undefined {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('@riaskov/mmap-io') as MmapBinding;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
