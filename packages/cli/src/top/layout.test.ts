import test from 'ava';
import { ASCII_GLYPHS, UNICODE_GLYPHS } from './glyphs.js';
import { headerLine, rowLine, tableLayout } from './layout.js';
import type { TopRow } from './model.js';

const row = (change: Partial<TopRow>): TopRow => ({ key: 'k', source: '', name: 'http.requests', kind: 'counter', unit: '', value: 1234, rate: 56.5, p50: null, p90: null, p99: null, history: [1, 2, 3], ...change });

test('at 120 columns every column fits and the sparkline takes the rest; each line is exactly that wide', (t) => {
  const rows = [row({})];
  const columns = tableLayout('merged', rows, 120);
  t.deepEqual(columns.map((c) => c.id), ['name', 'kind', 'value', 'rate', 'p50', 'p90', 'p99', 'history']);
  const header = headerLine(columns, 'merged', 'rate', true, UNICODE_GLYPHS);
  t.is(header.length, 120);
  t.true(header.startsWith(`${'NAME'.padEnd(13)} KIND         VALUE   RATE/s↓      P50      P90      P99 HISTORY`), header);
  const line = rowLine(rows[0]!, columns, UNICODE_GLYPHS);
  t.is(line.length, 120);
  t.true(line.startsWith('http.requests counter       1234      56.5        -        -        -'), line);
  t.true(line.endsWith(' ▃▆█'), 'the newest sample at the right edge');
});

test('narrower, columns go before names are cut: the sparkline, the kind, p50, p90...; name, value and rate stay', (t) => {
  const rows = [row({ source: 'pid 12' })];
  t.deepEqual(tableLayout('merged', rows, 80).map((c) => c.id), ['name', 'kind', 'value', 'rate', 'p50', 'p90', 'p99', 'history']);
  t.deepEqual(tableLayout('merged', rows, 60).map((c) => c.id), ['name', 'value', 'rate', 'p90', 'p99']);
  t.is(tableLayout('merged', rows, 60)[0]!.width, 'http.requests'.length, 'the name whole');
  t.deepEqual(tableLayout('worker', rows, 50).map((c) => c.id), ['name', 'source', 'value', 'rate', 'p99']);
  t.deepEqual(tableLayout('merged', rows, 30).map((c) => c.id), ['name', 'value', 'rate']);
  for (const width of [30, 45, 60, 90, 200]) {
    const columns = tableLayout('worker', rows, width);
    const total = columns.reduce((sum, c) => sum + c.width, 0) + columns.length - 1;
    t.true(total <= width, `${width}: ${total}`);
  }
});

test('text from a file is escaped and cut; wide numbers are abbreviated; ASCII glyphs for other locales', (t) => {
  const hostile = row({ name: 'evil\x1b]0;owned\x07.name', value: 'line\nbreak', rate: 123_456_789 });
  const columns = [
    { id: 'name', width: 12 },
    { id: 'value', width: 10 },
    { id: 'rate', width: 6 },
  ] as const;
  t.is(rowLine(hostile, columns, ASCII_GLYPHS), 'evil\\x1b]0;~ line\\nbre~   123M');
  t.is(headerLine(columns, 'merged', 'name', false, ASCII_GLYPHS), 'NAME^             VALUE RATE/s');
});
