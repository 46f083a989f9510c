import test from 'ava';
import { dimensionText, type Dims, SeriesCache } from './series-cache.js';

function cache(limit = 100): { series: SeriesCache<{ dims: Dims }>; made: Dims[] } {
  const made: Dims[] = [];
  const series = new SeriesCache(
    (dims) => {
      made.push(dims);
      return { dims };
    },
    { 'otel.scope.name': 's' },
    limit,
  );
  return { series, made };
}

test('one handle per attribute set, whatever the order of its keys or the object that carries it', (t) => {
  const { series, made } = cache();
  const a = series.get({ method: 'GET', route: '/' });
  t.is(series.get({ route: '/', method: 'GET' }), a);
  t.is(series.get({ method: 'GET', route: '/' }), a);
  const fixed = { method: 'GET', route: '/' };
  t.is(series.get(fixed), a);
  t.is(series.get(fixed), a);
  t.deepEqual(made, [{ method: 'GET', route: '/', 'otel.scope.name': 's' }]);
});

test('many values of a key, and the same value under different keys, each keep their own handle', (t) => {
  const { series, made } = cache();
  // More routes than a node compares by `===` before its Map, and a code that repeats a route's text.
  const routes = Array.from({ length: 20 }, (_, i) => `/r${i}`);
  const first = routes.map((route) => series.get({ route, method: 'GET' }));
  for (let round = 0; round < 3; round++) routes.forEach((route, i) => t.is(series.get({ route, method: 'GET' }), first[i]!));
  t.not(series.get({ code: '/r3' }), first[3]!);
  t.is(series.get({ code: '/r3' }), series.get({ code: '/r3' }));
  t.is(new Set(first).size, 20);
  t.is(made.length, 21);
});

test('no attributes, {} and attributes that are all undefined are the same set', (t) => {
  const { series, made } = cache();
  const none = series.get(undefined);
  t.is(series.get({}), none);
  t.is(series.get({ gone: undefined }), none);
  t.deepEqual(made, [{ 'otel.scope.name': 's' }]);
});

test('values become text as the dimensions hold them', (t) => {
  t.is(dimensionText('a'), 'a');
  t.is(dimensionText(200), '200');
  t.is(dimensionText(true), 'true');
  t.is(dimensionText(['a', 'b']), '["a","b"]');
  t.is(dimensionText(undefined), undefined);
});

test('past its limit the cache stops remembering new sets by key (objects still by identity)', (t) => {
  const { series, made } = cache(2);
  for (let i = 0; i < 3; i++) series.get({ user: `u${i}` });
  t.is(made.length, 3);
  series.get({ user: 'u2' });
  t.is(made.length, 4, 'u2 came past the limit: made again (the writer gives the overflow record for such sets)');
});
