import test from 'ava';
import { initialState, type TopState } from './controls.js';
import { age, frame, type FrameInput } from './frame.js';
import { lineStyleFor, UNICODE_GLYPHS } from './glyphs.js';
import type { TopRow, WriterRow } from './model.js';

const row = (name: string, rate: number): TopRow => ({ key: name, source: '', name, kind: 'counter', unit: '', value: 1, rate, p50: null, p90: null, p99: null, history: [rate] });
const writers: WriterRow[] = [
  { path: '/run/app/a.mmstats', worker: 'pid 10', heartbeatAge: 0.25, judgement: { gone: false, reason: 'running', because: 'running' } },
  { path: '/run/app/b\x1b[2J.mmstats', worker: 'pid 11', heartbeatAge: undefined, judgement: { gone: true, reason: 'not-running', because: 'pid 11 is not running' } },
];
const input = (state: Partial<TopState> = {}, size = { columns: 100, height: 12 }): FrameInput => ({
  rows: () => Array.from({ length: 20 }, (_, i) => row(`r${String(i).padStart(2, '0')}`, i)),
  writers,
  unreadable: 0,
  state: { ...initialState(), ...state },
  ...size,
  interval: 1,
  readAt: new Date(2026, 0, 1, 12, 34, 56),
  glyphs: UNICODE_GLYPHS,
  style: lineStyleFor({ NO_COLOR: '1' }),
});

test('a frame fills the terminal: every line exactly as wide, the rows that fit, and the key hints last', (t) => {
  const { lines, page } = frame(input());
  t.is(lines.length, 12);
  t.true(lines.every((line) => [...line].length === 100));
  t.is(lines[0]!.trimEnd(), 'mmstats top - merged - 2 files, 1 gone - sort name↑ - every 1s - 12:34:56');
  t.is(page, 6);
  t.true(lines[5]!.startsWith('r00 '));
  t.true(lines[11]!.startsWith('20 rows  |  q quit'));
});

test('the writers pane puts gone writers first, marked, and escapes their paths', (t) => {
  const { lines } = frame(input());
  t.is(lines[1]!.trimEnd(), 'WORKER  HEARTBEAT  STATE  FILE');
  t.is(lines[2]!.trimEnd(), 'pid 11          -  GONE   /run/app/b\\x1b[2J.mmstats  (pid 11 is not running)');
  t.is(lines[3]!.trimEnd(), 'pid 10       0.3s  alive  /run/app/a.mmstats');
  const coloured = frame({ ...input(), style: lineStyleFor({}) }).lines;
  t.true(coloured[2]!.startsWith('\x1b[31m'), 'in red unless NO_COLOR');
});

test('scrolling is clamped to the rows there are; a typed filter shows on the last line and applies at once', (t) => {
  const scrolled = frame(input({ scroll: 1000 }));
  t.is(scrolled.scroll, 14);
  t.true(scrolled.lines[10]!.startsWith('r19 '));
  const typing = frame(input({ typing: 'r1' }));
  t.true(typing.lines[11]!.startsWith('/r1_'));
  t.true(typing.lines[5]!.startsWith('r10 ') && typing.lines[6]!.startsWith('r11 '), 'r10..r19 match');
  t.true(frame(input({ pattern: 'r1' })).lines[11]!.startsWith('10 of 20 rows match r1'));
  t.true(frame(input({ pattern: 'zzz' })).lines[5]!.startsWith('  no record matches zzz'));
});

test('the help screen lists the keys; heartbeat ages read at a glance', (t) => {
  const { lines } = frame(input({ help: true }, { columns: 100, height: 20 }));
  t.true(lines.some((line) => line.startsWith('  v                    view: merged, per worker, per file')));
  t.is(lines.length, 20);
  t.deepEqual([age(0.04), age(42.9), age(900), age(7200 * 6), age(undefined)], ['0.0s', '42s', '15m', '12h', '-']);
});
