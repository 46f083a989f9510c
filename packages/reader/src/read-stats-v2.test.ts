import test from 'ava';
import { closeSync, ftruncateSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ErrorCodes,
  NoticeCodes,
  V2_HEADER_OFFSETS,
  addV2Average,
  observeV2Histogram,
  parseV1Type,
  writeV2Scalar,
  type HistogramValue,
  type MmstatsError,
  type V1FieldLayout,
} from '@mmstats/format';
import { validFixtures, validV2Fixtures, validV2Groups, type ValidV2Fixture } from '@mmstats/fixtures';
import { inferV1Kind, inferV1Merge, isV2Layout } from './fields.js';
import { LiveStatsFile } from './live-stats-file.js';
import { createV2File, randomFileId } from './raw-writer.test.util.js';
import { readStats } from './read-stats.js';
import { scanStats } from './scan-stats.js';
import { asExpectedV2, asJson, copyFixture, tempDir, v1Fixture, v2Fixture } from './test-support.js';
import { writerInfo } from './writer-info.js';

function about(fixture: ValidV2Fixture): { producer: string; note: string; fileSize: number } {
  return { producer: fixture.json.producer, note: fixture.json.note, fileSize: fixture.json.file_size };
}

for (const group of validV2Groups) {
  for (const fixture of validV2Fixtures(group)) {
    test(`${group}/${fixture.name} reads as its expected JSON`, (t) => {
      const snapshot = readStats(fixture.path);
      t.is(snapshot.path, fixture.path);
      t.is(snapshot.version, 2);
      t.deepEqual(asExpectedV2(snapshot, about(fixture)), fixture.json);
    });

    test(`${group}/${fixture.name} reads live as its expected JSON`, (t) => {
      const live = LiveStatsFile.open(fixture.path);
      t.teardown(() => live.close());
      t.is(live.version, 2);
      t.deepEqual(asExpectedV2(live.snapshot(), about(fixture)), fixture.json);
      const expected = fixture.json.records.map((r) => r.value);
      t.deepEqual(live.readAll().map(asJson), expected);
      for (const [i, field] of live.fields.entries()) {
        const record = fixture.json.records[i]!;
        if (record.error === undefined) t.deepEqual(asJson(live.read(field)), record.value);
        else t.throws(() => live.read(field), { code: record.error });
      }
      t.deepEqual(live.notices.map((n) => ({ code: n.code, offset: n.offset })), fixture.json.notices);
      t.false(live.hasBeenReplaced());
    });
  }
}

test(`edge/stuck-seq: the stuck average is that field's E014 with the path; the counter after it reads`, (t) => {
  const fixture = v2Fixture('v2/edge', 'stuck-seq');
  const snapshot = readStats(fixture.path);
  const [stuck, requests] = snapshot.fields;
  t.is(stuck?.label, 'latency.avg');
  t.is(stuck?.value, undefined);
  t.is(stuck?.error?.code, ErrorCodes.VALUE_UNSTABLE);
  t.is(stuck?.error?.path, fixture.path);
  t.true(stuck?.error?.message.startsWith(`${fixture.path}: MMSTATS-E014 `));
  t.is(requests?.value, 3);
  t.is(requests?.error, undefined);
  const live = LiveStatsFile.open(fixture.path);
  t.teardown(() => live.close());
  t.deepEqual(live.readAll(), [undefined, 3]);
  t.throws(() => live.read(live.fields[0]!), { code: ErrorCodes.VALUE_UNSTABLE });
});

test(`edge/text-len-past-capacity: bad bytes under a stable seq are that field's E013`, (t) => {
  const fixture = v2Fixture('v2/edge', 'text-len-past-capacity');
  const [field] = readStats(fixture.path).fields;
  t.is(field?.error?.code, ErrorCodes.BAD_RECORD);
  t.is(field?.error?.path, fixture.path);
});

test('edge/unpublished-record: the walk stops at the first state 0, whatever record_count says', (t) => {
  const snapshot = readStats(v2Fixture('v2/edge', 'unpublished-record').path);
  t.deepEqual(snapshot.fields.map((f) => f.label), ['published']);
  t.is(snapshot.header?.recordCount, 2);
});

test('future/minor-3: a later minor reads, with notices for what was skipped (W001) or guessed (W002)', (t) => {
  const fixture = v2Fixture('v2/future', 'minor-3');
  const snapshot = readStats(fixture.path);
  t.is(snapshot.header?.minor, 3);
  t.is(snapshot.header?.headerSize, 136);
  t.deepEqual(snapshot.notices.map((n) => [n.code, n.offset]), [[NoticeCodes.SKIPPED_ENCODING, 200], [NoticeCodes.UNKNOWN_KIND, 288]]);
  const unknown = snapshot.fields.find((f) => f.label === 'new.kind')!;
  t.is(unknown.kind, 'kind-99');
  t.is(unknown.value, 2.5);
  t.deepEqual(unknown.dims, { zone: 'b' });
});

test('v2 fields carry kind, unit, help, dims, merge rule and encoding as type', (t) => {
  const snapshot = readStats(v2Fixture('v2/ts', 'all-kinds').path);
  const byLabel = new Map(snapshot.fields.map((f) => [f.label, f]));
  const requests = byLabel.get('http.requests')!;
  t.like(requests, { version: 2, kind: 'counter', merge: 'sum', type: 'f64', value: 12345, dims: { method: 'GET', status: '200' } });
  t.true(isV2Layout(requests.layout));
  t.is(byLabel.get('bytes.sent')?.value, 18446744073709551615n);
  t.is(byLabel.get('balance')?.value, -9223372036854775808n);
  const duration = byLabel.get('request.duration')!;
  t.like(duration, { kind: 'timer', type: 'histogram', unit: 'seconds' });
  t.is((duration.value as HistogramValue).count, 3);
});

test('a file of a future major version is E002 naming that version, in every reader', (t) => {
  const path = join(tempDir(t), 'v3.mmstats');
  const bytes = new Uint8Array(4096);
  bytes.set([3, ...new TextEncoder().encode('mmstats')]);
  writeFileSync(path, bytes);
  const error = t.throws<MmstatsError>(() => readStats(path));
  t.is(error.code, ErrorCodes.UNSUPPORTED_VERSION);
  t.regex(error.message, /future version 3/);
  t.is(error.path, path);
  t.throws(() => LiveStatsFile.open(path), { code: ErrorCodes.UNSUPPORTED_VERSION, message: /future version 3/ });
  const [result] = [...scanStats([path])];
  t.is(result?.ok, false);
});

test('scanStats reads v1 and v2 files side by side', (t) => {
  const paths = [validFixtures('v1/python-0.8.0')[0]!.path, v2Fixture('v2/ts', 'all-kinds').path];
  t.deepEqual([...scanStats(paths)].map((r) => (r.ok ? r.snapshot.version : r.error.code)), [1, 2]);
});

test('inferV1Kind: buffered Q/L fields are counters, strings text, the rest gauges; merge follows', (t) => {
  const field = (type: string, buffered: boolean): V1FieldLayout => {
    const valueType = parseV1Type(type);
    if (!valueType.ok) throw valueType.error;
    return { offset: 1, label: 'x', type, valueType: valueType.value, buffered, writeBufferOffset: 0, valueOffset: 0, size: 0 };
  };
  t.is(inferV1Kind(field('Q', true)), 'counter');
  t.is(inferV1Kind(field('L', true)), 'counter');
  t.is(inferV1Kind(field('Q', false)), 'gauge');
  t.is(inferV1Kind(field('q', true)), 'gauge');
  t.is(inferV1Kind(field('d', true)), 'gauge');
  t.is(inferV1Kind(field('?', false)), 'gauge');
  t.is(inferV1Kind(field('16s', false)), 'text');
  t.is(inferV1Merge(field('16s', false)), 'none');
  t.is(inferV1Merge(field('Q', true)), 'sum');
  t.is(inferV1Merge(field('d', false)), 'sum');

  const allTypes = readStats(v1Fixture('all-types').path);
  for (const f of allTypes.fields) {
    if (f.version !== 1) throw new TypeError('v1 expected');
    t.like(f, { kind: inferV1Kind(f.layout), merge: inferV1Merge(f.layout), unit: '', help: '', dims: {} });
    t.is(f.error, undefined);
  }
  t.is(allTypes.fields.find((f) => f.label === 'counter')?.kind, 'counter');
  t.is(allTypes.fields.find((f) => f.label === 'text')?.kind, 'text');
  t.deepEqual(allTypes.notices, []);
  t.is(allTypes.header, undefined);
});

test('writerInfo: v1 from sys.* fields with a label prefix, v2 from the header (minor 1: with pid_ns and boot_id)', (t) => {
  const thread = v1Fixture('thread-0');
  const expected = new Map(thread.fields.map((f) => [f.label, f.value]));
  const info = writerInfo(readStats(thread.path));
  t.is(typeof expected.get('worker.sys.pid'), 'number');
  t.is(info.pid, Number(expected.get('worker.sys.pid')));
  t.is(info.tid, Number(expected.get('worker.sys.tid')));
  t.is(info.created, Number(expected.get('worker.sys.created')));
  t.true(info.created! > 1e9);
  t.false('processStart' in info);
  t.deepEqual(writerInfo(readStats(v1Fixture('all-types').path)), {});

  const v2 = v2Fixture('v2/ts', 'runtime-records');
  const header = v2.json.header;
  t.deepEqual(writerInfo(readStats(v2.path)), {
    pid: header.pid,
    tid: Number(header.tid),
    created: Number(header.created),
    processStart: Number(header.process_start),
    heartbeat: Number(header.heartbeat),
    heartbeatIntervalMs: header.heartbeat_interval_ms,
    pidNs: BigInt(header.pid_ns),
    bootId: header.boot_id,
  });
  t.false('heartbeat' in writerInfo(readStats(v2Fixture('v2/ts', 'all-kinds').path)));
});

test(`a live v2 view picks up records added at run time and values as they change`, (t) => {
  const path = join(tempDir(t), 'live.mmstats');
  const raw = createV2File(path, 8192, [{ label: 'requests', kind: 'counter' }]);
  const live = LiveStatsFile.open(path);
  t.teardown(() => live.close());
  t.deepEqual(live.readAll(), [0]);
  writeV2Scalar(raw.file, raw.records.get('requests')!, 5);
  const avg = raw.add({ label: 'latency.avg', kind: 'average', unit: 'seconds' });
  const hist = raw.add({ label: 'size', kind: 'histogram', histogram: { k: 2, minExp: 0, maxExp: 10 } });
  t.is(live.fields.length, 1, 'fields are walked again only by readAll and snapshot');
  addV2Average(raw.file, avg, 0.25);
  observeV2Histogram(raw.file, hist, 3);
  const values = live.readAll();
  t.is(live.fields.length, 3);
  t.is(values[0], 5);
  t.deepEqual(values[1], { sum: 0.25, count: 1 });
  t.like(live.read(live.fields[2]!) as HistogramValue, { count: 1, sum: 3, min: 3, max: 3 });
  const snapshot = live.snapshot();
  t.is(snapshot.header?.recordCount, 3);
  t.deepEqual(snapshot.fields.map((f) => f.label), ['requests', 'latency.avg', 'size']);
  t.false(live.hasBeenReplaced());
});

test(`a live v2 view keeps the field of a value that did not change, and reads a changed one anew`, (t) => {
  const path = join(tempDir(t), 'idle.mmstats');
  const raw = createV2File(path, 8192, [
    { label: 'requests', kind: 'counter' },
    { label: 'errors', kind: 'counter', encoding: 'u64' },
    { label: 'latency', kind: 'average' },
  ]);
  const live = LiveStatsFile.open(path);
  t.teardown(() => live.close());
  const first = live.snapshot();
  writeV2Scalar(raw.file, raw.records.get('requests')!, 7);
  const second = live.snapshot();
  // Same objects for the idle records: a dashboard polling thousands of idle counters allocates nothing for them.
  t.not(second.fields[0], first.fields[0]);
  t.is(second.fields[0]!.value, 7);
  t.is(second.fields[1], first.fields[1]);
  t.is(second.fields[2], first.fields[2]);
  // A change in the high word alone is a change too.
  writeV2Scalar(raw.file, raw.records.get('errors')!, 2n ** 40n);
  t.is(live.snapshot().fields[1]!.value, 2n ** 40n);
  addV2Average(raw.file, raw.records.get('latency')!, 0.5);
  t.deepEqual(live.snapshot().fields[2]!.value, { sum: 0.5, count: 1 });
});

test(`a v2 file rewritten in place (new file_id) is refused until reopened`, (t) => {
  const path = join(tempDir(t), 'reused.mmstats');
  const raw = createV2File(path, 4096, [{ label: 'requests', kind: 'counter' }]);
  const live = LiveStatsFile.open(path);
  t.teardown(() => live.close());
  t.false(live.hasBeenReplaced());
  raw.file.view.setBigUint64(V2_HEADER_OFFSETS.fileId, randomFileId(), true);
  t.true(live.hasBeenReplaced());
  t.throws(() => live.readAll(), { code: ErrorCodes.FILE_CHANGED, message: /file_id/ });
  live.reopen();
  t.false(live.hasBeenReplaced());
  t.deepEqual(live.readAll(), [0]);
});

test(`a v2 file truncated under the view is refused, never a crash`, (t) => {
  const path = copyFixture(v2Fixture('v2/ts', 'all-kinds'), tempDir(t));
  const live = LiveStatsFile.open(path);
  t.teardown(() => live.close());
  const fd = openSync(path, 'r+');
  ftruncateSync(fd, 1000);
  closeSync(fd);
  t.true(live.hasBeenReplaced());
  t.throws(() => live.readAll(), { code: ErrorCodes.FILE_CHANGED, message: /shrank/ });
  t.throws(() => live.snapshot(), { code: ErrorCodes.FILE_CHANGED });
  t.throws(() => live.read(live.fields.at(-1)!), { code: ErrorCodes.FILE_CHANGED });
  t.throws(() => live.reopen(), { code: ErrorCodes.TRUNCATED_RECORD });
});

test(`reopen() follows a v1 file replaced by a v2 one`, (t) => {
  const dir = tempDir(t);
  const path = copyFixture(validFixtures('v1/python-0.8.0')[0]!, dir, 'app.mmstats');
  const live = LiveStatsFile.open(path);
  t.teardown(() => live.close());
  t.is(live.version, 1);
  t.is(live.header, undefined);
  renameSync(copyFixture(v2Fixture('v2/ts', 'runtime-records'), dir, 'next'), path);
  t.true(live.hasBeenReplaced());
  live.reopen();
  t.is(live.version, 2);
  t.is(live.header?.recordCount, 4);
  t.deepEqual(live.readAll(), [1, 0.5, 1.5, 2.5]);
  t.throws(() => live.read(validFixturesLayout()), { instanceOf: TypeError });
});

function validFixturesLayout(): V1FieldLayout {
  const layout = readStats(validFixtures('v1/python-0.8.0')[0]!.path).fields[0]!.layout;
  if (isV2Layout(layout)) throw new TypeError('v1 expected');
  return layout;
}
