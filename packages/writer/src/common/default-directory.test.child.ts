// A child process for default-directory.test.ts: an app that opens its stats with no `path`
// (and, as a real app would, no `degrade`), so they go in the default directory of its
// TMPDIR. argv: format (1 or 2). Prints one JSON line with the file's path, or exits 1 with
// the error like any app whose startup throws.
import { counter, defineModel } from '../index.js';

const stats = defineModel({ started: counter() }).open({ format: Number(process.argv[2]) as 1 | 2 });
stats.started.incr();
console.log(JSON.stringify({ path: stats.path }));
