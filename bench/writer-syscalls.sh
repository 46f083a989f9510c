#!/bin/sh
# Syscall check for the writer's hot path: `strace -f -c` of a script that opens a model and
# then makes 10M counter increments, next to the same script with an empty loop, for v1 files
# (format: 1) and v2 files (the default, heartbeat timer included: it cannot fire while the
# loop runs, and costs a few syscalls a second otherwise). The totals should match up
# to the few futex/mprotect calls of V8's background compiler and GC threads, which vary from
# run to run; a syscall per update would add millions. A third run with 10x the increments
# shows the count does not grow with the work (needs `strace`, Debian package strace; build
# first: pnpm --filter @mmstats/writer build).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
script="$dir/loop.mjs"
cat > "$script" <<JS
import { counter, defineModel } from '$here/../packages/writer/dist/index.js';
const [what, format] = [process.argv[2], Number(process.argv[3])];
const stats = defineModel({ hits: counter() }).open({ path: '$dir', format });
const hits = stats.hits;
const work = what !== 'empty';
const n = what === 'incr100M' ? 100_000_000 : 10_000_000;
for (let i = 0; i < n; i++) if (work) hits.incr();
if (work && Number(hits.value) !== n) throw new Error('lost increments');
stats.remove();
JS
total() {
  strace -f -c -o "$dir/$1-$2.txt" node "$script" "$1" "$2" >/dev/null
  awk '$NF == "total" { print $(NF-1) }' "$dir/$1-$2.txt"
}
for format in 1 2; do
  empty=$(total empty $format)
  incr=$(total incr $format)
  incr100=$(total incr100M $format)
  echo "v$format syscalls, empty loop (10M iterations):  $empty"
  echo "v$format syscalls, 10M counter.incr():           $incr   (difference $((incr - empty)))"
  echo "v$format syscalls, 100M counter.incr():          $incr100   (difference $((incr100 - empty)))"
done
