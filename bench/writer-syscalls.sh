#!/bin/sh
# Syscall check for the writer's hot path: `strace -f -c` of a script that opens a model and
# then makes 10M counter increments, next to the same script with an empty loop. The totals
# should match up to the few futex/mprotect calls of V8's background compiler and GC threads,
# which vary from run to run; a syscall per update would add millions. A third run with 10x the
# increments shows the count does not grow with the work (needs `strace`, Debian package
# strace; build first: pnpm --filter @mmstats/writer build).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
script="$dir/loop.mjs"
cat > "$script" <<JS
import { counter, defineModel } from '$here/../packages/writer/dist/index.js';
const stats = defineModel({ hits: counter() }).open({ path: '$dir' });
const hits = stats.hits;
const work = process.argv[2] !== 'empty';
const n = process.argv[2] === 'incr100M' ? 100_000_000 : 10_000_000;
for (let i = 0; i < n; i++) if (work) hits.incr();
if (work && hits.value !== n) throw new Error('lost increments');
stats.remove();
JS
total() {
  strace -f -c -o "$dir/$1.txt" node "$script" "$1" >/dev/null
  awk '$NF == "total" { print $(NF-1) }' "$dir/$1.txt"
}
empty=$(total empty)
incr=$(total incr)
incr100=$(total incr100M)
echo "syscalls, empty loop (10M iterations):  $empty"
echo "syscalls, 10M counter.incr():           $incr   (difference $((incr - empty)))"
echo "syscalls, 100M counter.incr():          $incr100   (difference $((incr100 - empty)))"
