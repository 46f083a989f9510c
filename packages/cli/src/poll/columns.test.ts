import test from 'ava';
import { cellText, cutText, fitColumns, naturalWidth, numberText, tableLine } from './columns.js';

const columns = (headers: string[]) => headers.map((header) => ({ header, natural: naturalWidth(header) }));

test('with room, a column is as wide as its header, within 10..20', (t) => {
  t.is(naturalWidth('rx'), 10);
  t.is(naturalWidth('requests.served.ok'), 18);
  t.is(naturalWidth('a.very.long.label.name.indeed'), 20);
  t.deepEqual(fitColumns(columns(['rx', 'requests.served.ok']), undefined), { widths: [10, 18], hidden: 0 });
  t.deepEqual(fitColumns(columns(['rx', 'requests.served.ok']), 30), { widths: [10, 18], hidden: 0 });
});

test('too wide for the terminal: the widest columns narrow first, then columns are left out', (t) => {
  // 10 + 2 + 18 = 30 does not fit in 26: the 18 gives up 4.
  t.deepEqual(fitColumns(columns(['rx', 'requests.served.ok']), 26), { widths: [10, 14], hidden: 0 });
  // Narrowed evenly down to 6 each: 6+2+6+2+6 = 22.
  t.deepEqual(fitColumns(columns(['a', 'b', 'c']), 22), { widths: [6, 6, 6], hidden: 0 });
  t.deepEqual(fitColumns(columns(['a', 'b', 'c']), 21), { widths: [6, 6], hidden: 1 });
  t.deepEqual(fitColumns(columns(['a', 'b', 'c']), 3), { widths: [6], hidden: 2 });
});

test('every line of a fitted table fits the width', (t) => {
  for (const width of [20, 33, 47, 80, 100]) {
    const layout = fitColumns(columns(['files', 'requests', 'errors.total', 'latency.p99.seconds', 'bytes.out', 'queue']), width);
    const line = tableLine(['3', '12345678901234', 'x', '0.25', '1', '2'].map((c, i) => cellText(c, layout.widths[i])), layout.widths);
    t.true(line.length <= width, `${JSON.stringify(line)} is wider than ${width}`);
  }
});

test('cells are right-aligned, two spaces apart, and styled after padding', (t) => {
  t.is(tableLine(['3', 'abc'], [5, 6]), '    3     abc');
  t.is(tableLine(['3', 'abc'], [5, 6], (cell, i) => (i === 1 ? `<${cell}>` : cell)), '    3  <   abc>');
});

test('numbers are exact when there is room, abbreviated when there is not', (t) => {
  t.is(cellText(18446744073709551615n), '18446744073709551615');
  t.is(cellText(18446744073709551615n, 10), '1.8447e+19');
  t.is(cellText(3_400_000_000_000, 6), '3.4T');
  t.is(cellText(12345678, 6), '12.3M');
  t.is(cellText(12345678, 8), '12345678');
  t.is(cellText(-1500, 6), '-1500');
  t.is(cellText(-1e300, 8), '-1e+300');
  t.is(cellText(1.2345e300, 9), '1.23e+300');
  t.is(cellText(-1e300, 6), '######');
  t.is(cellText(null), '-');
  t.is(cellText(true), 'True');
  t.is(cellText('a long string value', 8), 'a long …');
  t.is(cellText('a long string value'), 'a long string value');
});

test('floats show 4 significant digits, or 1 decimal from 1000 up', (t) => {
  t.is(numberText(0.000123456), '0.0001235');
  t.is(numberText(12.34567), '12.35');
  t.is(numberText(1234.567), '1234.6');
  t.is(numberText(2), '2');
  t.is(cutText('headers', 4), 'hea…');
});
