// The cardinality limit of spec/files.md#cardinality: records added at run time with
// dimensions from run-time values (a route, a user id) stop at the limit, and what is past it
// goes to one overflow record per label, counted.
import test from 'ava';
import { counter, defineModel, gauge, histogram, CARDINALITY_OVERFLOW_LABEL, ErrorCodes, OVERFLOW_DIMENSION } from '../index.js';
import { readV2, tempDir } from '../common/test-support.test.util.js';

const Empty = defineModel({ requests: counter({ label: 'http.requests', dims: { route: '/' } }) }, { system: false });

test('past the limit, new dimension sets share the overflow record, and the sets folded are counted', (t) => {
  const stats = Empty.open({ path: tempDir(t), cardinalityLimit: 3 });
  stats.requests.incr();
  // The record declared at open counts: two more routes reach the limit of 3.
  const routes = ['/a', '/b', '/c', '/d', '/e'].map((route) => stats.add(`route ${route}`, counter({ label: 'http.requests', dims: { route } })));
  routes.forEach((handle, i) => handle.incr(10 ** i));
  t.is(routes[2], routes[3], '/c, /d and /e are one record');
  t.is(routes[2], routes[4]);
  const { values } = readV2(stats.path);
  t.is(values.get('http.requests{route=/}'), 1);
  t.is(values.get('http.requests{route=/a}'), 1);
  t.is(values.get('http.requests{route=/b}'), 10);
  t.is(values.get('http.requests{route=/c}'), undefined);
  t.is(values.get(`http.requests{${OVERFLOW_DIMENSION}=true}`), 100 + 1000 + 10000);
  t.is(values.get(`${CARDINALITY_OVERFLOW_LABEL}{label=http.requests}`), 3);
  // Merged by the label's rule (sum), nothing is lost: 1 + 1 + 10 + 11100.
  const total = [...values].filter(([key]) => key.startsWith('http.requests')).reduce((sum, [, v]) => sum + (v as number), 0);
  t.is(total, 11112);
});

test('a set folded once counts once; a set the file has is still refused; other labels have their own limit', (t) => {
  const stats = Empty.open({ path: tempDir(t), cardinalityLimit: 1 });
  const first = stats.add('x', counter({ label: 'http.requests', dims: { route: '/x' } }));
  t.is(stats.add('x again', counter({ label: 'http.requests', dims: { route: '/x' } })), first, 'the same folded set: the same overflow record');
  t.throws(() => stats.add('root', counter({ label: 'http.requests', dims: { route: '/' } })), { code: ErrorCodes.INVALID_FIELD, message: /two fields have the label/ });
  const depth = stats.add('depth', gauge({ label: 'queue.depth', dims: { queue: 'mail' } }));
  depth.set(4);
  const { values } = readV2(stats.path);
  t.is(values.get(`${CARDINALITY_OVERFLOW_LABEL}{label=http.requests}`), 1);
  t.is(values.get('queue.depth{queue=mail}'), 4);
  t.false(values.has(`${CARDINALITY_OVERFLOW_LABEL}{label=queue.depth}`));
});

test('the overflow record keeps the first overflowing kind: another kind past the limit is refused', (t) => {
  const stats = Empty.open({ path: tempDir(t), cardinalityLimit: 1 });
  const latency = stats.add('slow', histogram({ label: 'http.requests', dims: { route: '/slow' }, k: 2, minExp: -4, maxExp: 4 }));
  latency.observe(0.5);
  t.throws(() => stats.add('fast', counter({ label: 'http.requests', dims: { route: '/fast' } })), { code: ErrorCodes.INVALID_FIELD, message: /cardinality limit of 1/ });
  t.throws(() => stats.add('other scheme', histogram({ label: 'http.requests', dims: { route: '/b' }, k: 3, minExp: -4, maxExp: 4 })), { code: ErrorCodes.INVALID_FIELD });
  t.is(stats.add('same scheme', histogram({ label: 'http.requests', dims: { route: '/c' }, k: 2, minExp: -4, maxExp: 4 })), latency);
  const overflow = readV2(stats.path).records.find((r) => r.dims.some(([key]) => key === OVERFLOW_DIMENSION))!;
  t.like(overflow, { label: 'http.requests', kindName: 'histogram' });
});

test('the limit is 2000 by default and must be a positive integer', (t) => {
  const stats = Empty.open({ path: tempDir(t), capacity: 1 << 20 });
  const handles = Array.from({ length: 2001 }, (_, i) => stats.add(`r${i}`, counter({ label: 'http.requests', dims: { route: `/${i}` } })));
  // 1 declared + 1999 added = 2000; the next two overflow together.
  t.not(handles[1998], handles[1999]);
  t.is(handles[1999], handles[2000]);
  t.throws(() => Empty.open({ path: tempDir(t), cardinalityLimit: 0 }), { code: ErrorCodes.INVALID_FIELD, message: /cardinalityLimit/ });
});
