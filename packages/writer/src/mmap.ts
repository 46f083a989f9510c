/**
 * The mmap binding, typed. Its `.d.ts` says `export default`, but at run time the module *is*
 * the binding (shared/guides/toolchain.md, "The mmap binding"), so the default import is the
 * whole namespace and must be recast.
 *
 * @module
 */
import binding from '@riaskov/mmap-io';

/** The parts of `@riaskov/mmap-io` the writer uses. */
export const mmap = binding as unknown as typeof binding.default;
