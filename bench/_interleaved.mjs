// The timing loop of the hot-path benchmarks (writer.mjs, otel.mjs): every case once per round,
// rounds interleaved so machine noise hits every case alike, the median round reported.
// Not a benchmark itself (run.mjs skips names starting with `_`).

/**
 * Runs each of `cases` (functions of `n` calls each) once per round, two warm-up rounds and
 * then `rounds` timed ones, and returns the median ns per call of each case by name.
 */
export function interleaved(cases, n, rounds) {
  const names = Object.keys(cases);
  const timings = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = -2; round < rounds; round++) {
    for (const name of names) {
      const started = process.hrtime.bigint();
      cases[name]();
      const ns = Number(process.hrtime.bigint() - started) / n;
      if (round >= 0) timings[name].push(ns); // the first two rounds only warm up
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return Object.fromEntries(names.map((name) => [name, median(timings[name])]));
}

// The floor of every seqlocked write (spec/format-v2.md#seqlock): the two sequentially
// consistent stores of the sequence word, nothing else.
const seqWord = new Int32Array(new SharedArrayBuffer(8));

/** A case of `n` seqlock bracketings with nothing inside: what every histogram update costs at least. */
export function seqlockStores(n) {
  return () => {
    let seq = 0;
    for (let i = 0; i < n; i++) {
      Atomics.store(seqWord, 0, seq + 1);
      seq = (seq + 2) | 0;
      Atomics.store(seqWord, 0, seq);
    }
  };
}
