import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expBucketIndex, parseV2Header, V2_FLAGS, type ExpHistogramValue } from '@mmstats/format';
import { counter, defineModel, gauge, histogram, PAGE_SIZE, StatsBuilder, timer, MmstatsError, ErrorCodes, FILE_FULL_WARNING, osThreadId } from '../index.js';
import { checkSymlinksRefused, readV2, tempDir, withoutUmask } from '../common/test-support.test.util.js';

const Small = defineModel({ hits: counter() }, { system: false });

test('format 2 is the default: header with pid, tid, process start, created, a random file_id, READY', (t) => {
  const before = Date.now() / 1000;
  const stats = Small.open({ path: tempDir(t) });
  stats.hits.incr();
  const bytes = readFileSync(stats.path);
  t.is(bytes[0], 0x02);
  const { header, values } = readV2(stats.path);
  t.is(stats.format, 2);
  t.like(header, { ready: true, full: false, closed: false, pid: process.pid, tid: BigInt(osThreadId()), heartbeatIntervalMs: 1000, recordCount: 1, droppedRecords: 0 });
  t.true(header.created >= before - 0.01 && header.created <= Date.now() / 1000 + 0.01);
  t.is(header.heartbeat, header.created); // the first beat is the creation
  t.true(Math.abs(header.processStart - (Date.now() / 1000 - process.uptime())) < 1);
  t.true(header.fileId !== 0n);
  t.not(Small.open({ path: tempDir(t) }).records.length, 0);
  t.deepEqual([...values], [['hits', 1]]);
});

test('minor 2 (minor 1 added the writer identity): the header says which pid namespace and which boot its pid belongs to', (t) => {
  const { header } = readV2(Small.open({ path: tempDir(t) }).path);
  t.is(header.minor, 2);
  // What the kernel says for this process: the namespace inode by stat (following the
  // /proc magic link), the boot id by its text.
  t.is(header.pidNs, statSync('/proc/self/ns/pid', { bigint: true }).ino);
  t.not(header.pidNs, 0n);
  t.is(header.bootId, readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim());
});

test('the file is 64 KiB by default, or the capacity asked for (in pages), and at least what the fields need', (t) => {
  const dir = tempDir(t);
  t.is(statSync(Small.open({ path: dir, filename: 'a' }).path).size, 65536);
  const b = Small.open({ path: dir, filename: 'b', capacity: 5000 });
  t.is(b.size, 2 * PAGE_SIZE);
  t.is(statSync(b.path).size, 2 * PAGE_SIZE);
  t.is(parseV2Header(new Uint8Array(readFileSync(b.path))).ok && readV2(b.path).header.capacity, 2 * PAGE_SIZE);
  const defs = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`h${i}`, histogram()]));
  const big = defineModel(defs, { system: false }).open({ path: dir, filename: 'c', capacity: 4096 });
  t.true(big.size >= 20 * 8248 && big.size % PAGE_SIZE === 0);
  t.is(readV2(big.path).records.length, 20);
  t.throws(() => Small.open({ path: dir, filename: 'd', capacity: 0 }), { code: ErrorCodes.INVALID_FIELD });
  t.throws(() => Small.open({ path: dir, filename: 'e', heartbeatMs: -1 }), { code: ErrorCodes.INVALID_FIELD });
});

test('a new file gets mode 0644 by default, or the mode asked for, and is written as real zeros', (t) => {
  const dir = tempDir(t);
  const a = Small.open({ path: dir, filename: 'a' });
  t.is(statSync(a.path).mode & 0o777, 0o644);
  t.is(statSync(Small.open({ path: dir, filename: 'b', mode: 0o600 }).path).mode & 0o777, 0o600);
  // Without a umask to hide it, the default is 0644 itself (never group- or world-writable).
  t.is(withoutUmask(() => statSync(Small.open({ path: dir, filename: 'c' }).path).mode & 0o777), 0o644);
  // Not sparse: every block is allocated at creation (spec/files.md#creation, rule 4).
  t.true(statSync(a.path).blocks * 512 >= 65536);
});

test('lifecycle: the final name appears only once the file is READY; nothing else is left in the directory', (t) => {
  const dir = tempDir(t);
  // Watch the directory from another process while files are made, as a reader would.
  const index = fileURLToPath(new URL('../index.js', import.meta.url));
  const script = `
    import { defineModel, counter, histogram } from ${JSON.stringify(index)};
    const M = defineModel({ a: counter(), h: histogram() });
    for (let i = 0; i < 40; i++) M.open({ path: ${JSON.stringify(dir)}, filename: 'f' + i + '.mmstats' });`;
  const child = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  t.is(child, '');
  const names = readdirSync(dir);
  t.is(names.length, 40);
  t.true(names.every((name) => /^f\d+\.mmstats$/.test(name)));
  for (const name of names) {
    const header = parseV2Header(new Uint8Array(readFileSync(join(dir, name))));
    t.true(header.ok && header.value.ready, name);
  }
});

test('lifecycle: a reader polling the final name never sees a file that is not READY', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'live.mmstats');
  const index = fileURLToPath(new URL('../index.js', import.meta.url));
  // The writer replaces its own file again and again (a stale file of ours is replaced whole).
  const script = `
    import { defineModel, counter, histogram } from ${JSON.stringify(index)};
    const M = defineModel({ a: counter(), h: histogram(), i: histogram() });
    for (let i = 0; i < 150; i++) { const s = M.open({ path: ${JSON.stringify(dir)}, filename: 'live.mmstats' }); s.close(); }`;
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let reads = 0;
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    reads++;
    const header = parseV2Header(new Uint8Array(bytes));
    if (!header.ok) t.fail(`read ${reads}: ${header.error.message}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.true(reads > 0);
  t.deepEqual(readdirSync(dir), ['live.mmstats']);
});

test('a symlink at the target path is refused and left untouched, as is what it points at', (t) => {
  const { dir, link, victim } = checkSymlinksRefused(t, (dir, filename) => Small.open({ path: dir, filename }));
  t.true(lstatSync(link).isSymbolicLink());
  t.is(readlinkSync(link), victim);
  // No temporary file is left behind.
  t.deepEqual(readdirSync(dir).sort(), ['dangling.mmstats', 'stats.mmstats', 'victim.txt']);
});

test('a stale file of our own is replaced whole; a directory or a hard-linked file is not', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'stale.mmstats');
  writeFileSync(path, Buffer.alloc(3 * PAGE_SIZE, 0xee));
  const before = statSync(path).ino;
  const stats = Small.open({ path: dir, filename: 'stale.mmstats', capacity: 4096 });
  stats.hits.incr();
  t.not(statSync(path).ino, before); // a new file, renamed over the old one
  t.is(statSync(path).size, PAGE_SIZE);
  t.deepEqual([...readV2(path).values], [['hits', 1]]);
  mkdirSync(join(dir, 'adir.mmstats'));
  t.throws(() => Small.open({ path: dir, filename: 'adir.mmstats' }), { code: ErrorCodes.NOT_REGULAR_FILE });
  writeFileSync(join(dir, 'linked.mmstats'), 'keep');
  linkSync(join(dir, 'linked.mmstats'), join(dir, 'other-name'));
  t.throws(() => Small.open({ path: dir, filename: 'linked.mmstats' }), { code: ErrorCodes.NOT_REGULAR_FILE });
  t.is(readFileSync(join(dir, 'linked.mmstats'), 'utf8'), 'keep');
  t.is(readdirSync(dir).filter((n) => n.endsWith('.tmp')).length, 0);
});

test('a missing directory gives DIRECTORY_NOT_FOUND naming the path; degrade keeps the stats in memory', (t) => {
  const dir = tempDir(t);
  const missing = t.throws(() => Small.open({ path: join(dir, 'no', 'such'), filename: 'x' }), { instanceOf: MmstatsError });
  t.is(missing.code, ErrorCodes.DIRECTORY_NOT_FOUND);
  t.is(missing.path, join(dir, 'no', 'such', 'x'));
  const warnings: MmstatsError[] = [];
  const stats = Small.open({ path: join(dir, 'missing'), degrade: true, onDegrade: (e) => warnings.push(e) });
  t.true(stats.inMemory);
  stats.hits.incr(3);
  t.is(stats.hits.value, 3);
  const late = stats.add('late', gauge());
  late.value = 2;
  t.is(late.value, 2);
  stats.flush();
  stats.remove();
  t.is(warnings.length, 1);
  t.is(warnings[0]!.code, ErrorCodes.DIRECTORY_NOT_FOUND);
});

test('a second open of the same file in this process is refused, not clobbered', (t) => {
  const dir = tempDir(t);
  const first = Small.open({ path: dir, filename: 'same.mmstats' });
  first.hits.incr();
  t.throws(() => Small.open({ path: dir, filename: 'same.mmstats' }), { code: ErrorCodes.FILE_IN_USE });
  t.is(readV2(first.path).values.get('hits'), 1);
  first.remove();
  t.notThrows(() => Small.open({ path: dir, filename: 'same.mmstats' }).remove());
});

test('the heartbeat advances while the file is open and stops on close(); close() sets CLOSED and keeps the file', async (t) => {
  const stats = Small.open({ path: tempDir(t), heartbeatMs: 20 });
  const first = readV2(stats.path).header.heartbeat;
  await new Promise((resolve) => setTimeout(resolve, 120));
  const later = readV2(stats.path).header.heartbeat;
  t.true(later > first, `${later} > ${first}`);
  t.true(later <= Date.now() / 1000);
  stats.hits.incr();
  stats.close();
  const closed = readV2(stats.path);
  t.true(closed.header.closed);
  t.is(closed.values.get('hits'), 1);
  await new Promise((resolve) => setTimeout(resolve, 60));
  t.is(readV2(stats.path).header.heartbeat, closed.header.heartbeat);
  // Handles keep working in memory; the closed file's values are final.
  stats.hits.incr();
  t.is(stats.hits.value, 2);
  t.is(readV2(stats.path).values.get('hits'), 1);
  stats.remove();
  t.false(existsSync(stats.path));
});

test('heartbeatMs 0: no heartbeat, the header says so', (t) => {
  const stats = Small.open({ path: tempDir(t), heartbeatMs: 0 });
  t.like(readV2(stats.path).header, { heartbeatIntervalMs: 0, heartbeat: 0 });
});

test('the heartbeat timer does not keep the process alive', (t) => {
  const dir = tempDir(t);
  const index = fileURLToPath(new URL('../index.js', import.meta.url));
  const script = `
    import { defineModel, counter } from ${JSON.stringify(index)};
    const s = defineModel({ hits: counter() }).open({ path: ${JSON.stringify(dir)}, heartbeatMs: 10, removeOnExit: true });
    s.hits.incr();
    console.log(s.path);`;
  const started = Date.now();
  const path = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 }).trim();
  t.true(Date.now() - started < 10_000);
  t.false(existsSync(path)); // removeOnExit works for v2 files too
});

test('remove() unlinks the file, stops the heartbeat; handles keep working in memory; a second remove() does nothing', (t) => {
  const stats = Small.open({ path: tempDir(t) });
  stats.hits.incr();
  stats.remove();
  t.false(existsSync(stats.path));
  t.true(stats.inMemory);
  stats.hits.incr();
  t.is(stats.hits.value, 2);
  t.is(stats.hits.layout, undefined);
  t.notThrows(() => stats.remove());
  t.notThrows(() => stats.close());
});

test('remove() also removes this process’s files of threads that ended, and nothing else', (t) => {
  const dir = tempDir(t);
  const stats = Small.open({ path: dir, filename: 'app-{PID}-{TID}.mmstats' });
  const deadThread = join(dir, `app-${process.pid}-999999999.mmstats`);
  const otherProcess = join(dir, `app-1-999999999.mmstats`);
  for (const path of [deadThread, otherProcess]) writeFileSync(path, '');
  stats.remove();
  t.deepEqual([deadThread, stats.path, otherProcess].map(existsSync), [false, false, true]);
});

test('runtime records: add() on the open file publishes a record readers see at once', (t) => {
  const stats = Small.open({ path: tempDir(t), labelPrefix: 'app.' });
  t.is(readV2(stats.path).header.recordCount, 1);
  const depth = stats.add('queue.depth', gauge({ dims: { queue: 'mail' }, unit: 'jobs' }));
  depth.set(7);
  const latency = stats.add('db', timer({ label: 'db.query' }));
  latency.record(0.01);
  const { header, values, records } = readV2(stats.path);
  t.is(header.recordCount, 3);
  t.is(header.used, records.at(-1)!.offset + records.at(-1)!.size);
  t.is(values.get('app.queue.depth{queue=mail}'), 7);
  t.like(values.get('app.db.query') as object, { count: 1, sum: 0.01 });
  t.deepEqual(stats.records.map((r) => r.label), ['app.hits', 'app.queue.depth', 'app.db.query']);
  t.is(depth.layout?.label, 'app.queue.depth');
  t.throws(() => stats.add('queue.depth', gauge({ dims: { queue: 'mail' } })), { code: ErrorCodes.INVALID_FIELD });
});

test('runtime records: a record that does not fit works in memory, sets FULL, counts dropped_records, warns once', async (t) => {
  const warnings: Error[] = [];
  const listener = (warning: Error) => {
    if (warning.message.includes('"latency.')) warnings.push(warning);
  };
  process.on('warning', listener);
  t.teardown(() => process.off('warning', listener));
  const stats = defineModel({}, { system: false }).open({ path: tempDir(t), capacity: 4096 });
  const added = Array.from({ length: 8 }, (_, i) => stats.add(`latency.${i}`, timer({ k: 1, minExp: -20, maxExp: 20 })));
  for (const [i, h] of added.entries()) h.record(i + 1);
  t.true(stats.full);
  const { header, values } = readV2(stats.path);
  t.like(header, { full: true, droppedRecords: 3, recordCount: 5 });
  t.deepEqual([...values.keys()], ['latency.0', 'latency.1', 'latency.2', 'latency.3', 'latency.4']);
  t.is(added[7]!.layout, undefined);
  t.is(added[7]!.count, 1); // still works, in memory
  t.is(added[7]!.max, 8);
  await new Promise((resolve) => setImmediate(resolve));
  t.is(warnings.length, 1);
  t.is((warnings[0] as Error & { code?: string }).code, FILE_FULL_WARNING);
  t.regex(warnings[0]!.message, /"latency\.5" \(760 bytes\) does not fit in the 4096-byte stats file/);
});

test('runtime records: a reader polling while 1000 records are added never errors and ends seeing all of them', (t) => {
  const stats = defineModel({}, { system: false }).open({ path: tempDir(t), capacity: 1 << 20 });
  let polls = 0;
  for (let i = 0; i < 1000; i++) {
    stats.add(`r.${i}`, counter()).incr(i);
    if (i % 7 === 0) {
      const { records } = readV2(stats.path);
      t.is(records.length, i + 1);
      polls++;
    }
  }
  const { values } = readV2(stats.path);
  t.is(values.size, 1000);
  t.is(values.get('r.999'), 999);
  t.true(polls > 100);
});

test('StatsBuilder: v2 by default; values set before open() are carried; add() after open() adds to the file', (t) => {
  const builder = new StatsBuilder({ labelPrefix: 'q.' });
  const seen = builder.add('seen', counter());
  const h = builder.add('sizes', histogram({ k: 1, minExp: 0, maxExp: 4 }));
  seen.incr(5);
  h.observe(3);
  const stats = builder.open({ path: tempDir(t) });
  seen.incr();
  h.observe(5);
  const late = builder.add('late', gauge());
  late.value = 1.5;
  const { values } = readV2(stats.path);
  t.is(values.get('q.seen'), 6);
  t.like(values.get('q.sizes') as object, { count: 2, sum: 8, min: 3, max: 5 });
  t.is(values.get('q.late'), 1.5);
  t.is(values.get('q.org.nodejs.version'), process.version);
  t.is(stats.format, 2);
  t.throws(() => builder.add('seen', counter()), { code: ErrorCodes.INVALID_FIELD });
});

test('StatsBuilder: an exponential histogram downscaled before open() is carried with its scale, and keeps downscaling in the file', (t) => {
  const builder = new StatsBuilder();
  const h = builder.add('sizes', histogram({ encoding: 'exponential', buckets: 132 }));
  h.observe(1);
  h.observe(1000); // 10 powers of two: scale 8 cannot hold them in 132 slots
  const before = h.scale;
  t.true(before < 8);
  const stats = builder.open({ path: tempDir(t) });
  t.is(h.scale, before);
  h.observe(1e-9); // 40 powers of two now
  const value = readV2(stats.path).values.get('sizes') as ExpHistogramValue;
  t.true(value.scale < before);
  t.is(value.scale, h.scale);
  t.is(value.count, 3);
  const buckets = [...value.positive.counts].flatMap((c, j) => (c === 0 ? [] : [value.positive.offset + j]));
  t.deepEqual(buckets, [1e-9, 1, 1000].map((v) => expBucketIndex(v, value.scale)));
});

test('the default v2 model adds org.nodejs.version only; pid, tid and times are header fields', (t) => {
  const stats = defineModel({ hits: counter() }).open({ path: tempDir(t) });
  t.deepEqual([...readV2(stats.path).values], [['hits', 0], ['org.nodejs.version', process.version]]);
});

test('flags are set with one atomic OR: READY | FULL | CLOSED', (t) => {
  const stats = defineModel({}, { system: false }).open({ path: tempDir(t), capacity: 4096 });
  stats.add('huge', histogram({ k: 8, minExp: -100, maxExp: 100 }));
  stats.close();
  const bytes = readFileSync(stats.path);
  const flags = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(12, true);
  t.is(flags, V2_FLAGS.READY | V2_FLAGS.FULL | V2_FLAGS.CLOSED);
});

test('close() gives up the path: a new writer may replace the closed file, and the old one’s remove() leaves the new file alone', (t) => {
  const dir = tempDir(t);
  const old = Small.open({ path: dir, filename: 'same.mmstats' });
  old.close();
  const fresh = Small.open({ path: dir, filename: 'same.mmstats' });
  fresh.hits.incr();
  old.remove();
  t.true(existsSync(fresh.path));
  t.false(readV2(fresh.path).header.closed);
  t.throws(() => Small.open({ path: dir, filename: 'same.mmstats' }), { code: ErrorCodes.FILE_IN_USE });
  fresh.remove();
  t.false(existsSync(fresh.path));
});
