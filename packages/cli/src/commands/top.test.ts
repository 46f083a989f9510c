// `mmstats top` in a real terminal (tmux) against live writer processes: what it shows, what
// the keys do, writers coming and going, resizing, and the terminal as it was afterwards.
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bins, startWriter, statsFileFor, tempDir } from '../test-files.test.util.js';
import { TmuxPane, tmuxTest } from '../tmux.test.util.js';

const crashingScreen = fileURLToPath(new URL('../top/crashing-screen.test.child.js', import.meta.url));
const UTF8 = { LANG: 'C.UTF-8' };

/** The table rows on `lines`: below the header line, above the last line (the key hints or the filter being typed). */
function tableRows(lines: readonly string[]): string[] {
  const header = lines.findIndex((line) => line.startsWith('NAME'));
  return lines.slice(header + 1, -1).filter((line) => line !== '');
}

/**
 * Runs top in `pane` from the shell, with the line `EXIT=<code> STTY=same|changed` printed after it ends
 * (whether the terminal's modes are as before, by `stty -g`); waits for a frame with rates.
 */
async function startTop(pane: TmuxPane, dir: string, args: readonly string[] = [], pidFile?: string): Promise<string[]> {
  const topLine = `'${process.execPath}' '${bins.mmstats}' top -i 0.2 ${args.join(' ')} '${dir}'`;
  const command = pidFile === undefined ? topLine : `sh -c 'echo $$ > ${pidFile}; exec "$@"' sh ${topLine}`;
  // In a subshell, so that a suspended top (Ctrl-Z) stops the whole line, as one job.
  pane.run(`clear; (S=$(stty -g); ${command}; echo EXIT=$? STTY=$([ "$(stty -g)" = "$S" ] && echo same || echo changed))`);
  // Rates need a second reading: wait for one.
  return await pane.waitFor('a frame with rates', (lines) => lines[0]!.startsWith('mmstats top - ') && lines.some((line) => /^app\.requests .*counter +\S+ +[\d.]+[kM]?( |$)/.test(line)));
}

/** One counting writer in a fresh directory, and top on it in a new `columns` × `lines` pane; waits for a frame with rates. */
async function topOnOneWriter(t: ExecutionContext, name: string, size: { columns: number; lines: number }, env: Record<string, string> = UTF8, pidFile?: (dir: string) => string) {
  const dir = tempDir(t, name);
  await startWriter(t, dir, 1);
  const pane = TmuxPane.start(t, size, env);
  const lines = await startTop(pane, dir, [], pidFile?.(dir));
  return { dir, pane, lines };
}

/** Waits for the shell to be back after top, and checks the terminal is as it was: main screen, cursor shown, modes restored, top's screen gone. */
async function expectRestored(t: ExecutionContext, pane: TmuxPane, exitCode: number): Promise<void> {
  const prompt = (screen: readonly string[]) => screen.filter((line) => line !== '').at(-1) === '$';
  const lines = await pane.waitFor(`top to exit ${exitCode} and the prompt`, (screen) => screen.some((line) => line.startsWith('EXIT=')) && prompt(screen));
  t.true(lines.includes(`EXIT=${exitCode} STTY=same`), lines.join('\n'));
  t.is(pane.format('alternate_on'), '0', 'the alternate screen is left');
  t.is(pane.format('cursor_flag'), '1', 'the cursor is shown');
  t.false(lines.some((line) => line.startsWith('mmstats top - ') || line.startsWith('NAME')), 'nothing of top is left on the screen');
}

tmuxTest('top shows every record merged; s, < and r sort; v switches to per worker and per file; / filters', async (t) => {
  const dir = tempDir(t, 'top-keys');
  const writers = [await startWriter(t, dir, 1), await startWriter(t, dir, 100), await startWriter(t, dir, 10_000, 20, { format: 1 })];
  const pane = TmuxPane.start(t, { columns: 120, lines: 40 }, UTF8);
  let lines = await startTop(pane, dir);
  t.regex(lines[0]!, /^mmstats top - merged - 3 files - sort name↑ - every 0\.2s - \d\d:\d\d:\d\d$/);
  t.deepEqual(lines[1]!.split(/\s+/), ['WORKER', 'HEARTBEAT', 'STATE', 'FILE']);
  for (const writer of writers) t.true(lines.some((line) => line.startsWith(`pid ${writer.pid}`) && line.includes('alive') && line.endsWith(writer.path)));
  t.regex(lines.find((line) => line.startsWith('NAME'))!, /^NAME↑ +KIND +VALUE +RATE\/s +P50 +P90 +P99 HISTORY$/);
  // The merged view: one row per record, counters summed over the three writers (v1 and v2).
  const names = tableRows(lines).map((line) => line.split(' ')[0]);
  t.deepEqual(names, [...names].sort(), 'sorted by name');
  t.is(names.filter((name) => name === 'app.requests').length, 1);
  // The timer, merged over the two v2 writers: about as many values of 1 ms as of 100 ms each
  // interval, so p50 may be either (as in poll's test); p90 and p99 are the slow writer's.
  const latency = tableRows(lines).find((line) => line.startsWith('app.latency '))!.split(/\s+/);
  t.deepEqual(latency.slice(0, 2), ['app.latency', 'timer']);
  const [p50, p90, p99] = latency.slice(4, 7).map(Number);
  t.true([0.001, 0.1].some((v) => Math.abs(p50! - v) <= v * 0.03125) && Math.abs(p90! - 0.1) <= 0.1 * 0.03125 && p99 === p90, latency.join(' '));

  pane.type('ssr'); // name → value → rate, descending
  lines = await pane.waitFor('sorted by rate, descending', (screen) => screen[0]!.includes('sort rate↓'));
  t.true(lines.some((line) => line.startsWith('NAME ') && line.includes('RATE/s↓')));
  t.regex(tableRows(lines)[0]!, /^app\.requests /, 'the counter of 10101 per tick comes first');
  pane.type('<');
  await pane.waitFor('sorted by value', (screen) => screen[0]!.includes('sort value↓'));

  pane.type('v');
  lines = await pane.waitFor('the per-worker view', (screen) => screen[0]!.includes('- per worker -'));
  pane.type('>'); // value → rate, still descending
  lines = await pane.waitFor('per worker by rate', (screen) => screen[0]!.includes('sort rate↓'));
  pane.type('/requests');
  lines = await pane.waitFor('filtered as typed', (screen) => screen.at(-1)!.startsWith('/requests_') && tableRows(screen).length === 3);
  pane.press('Enter');
  lines = await pane.waitFor('the filter kept', (screen) => screen.at(-1)!.startsWith('3 of '));
  t.regex(lines.at(-1)!, /^3 of \d+ rows match requests {2}\|/);
  const rows = tableRows(lines);
  t.deepEqual(rows.map((line) => line.split(/\s+/).slice(0, 3).join(' ')), [`app.requests pid ${writers[2]!.pid}`, `app.requests pid ${writers[1]!.pid}`, `app.requests pid ${writers[0]!.pid}`], 'one row per worker, the busiest first');
  t.regex(lines.find((line) => line.startsWith('NAME'))!, /^NAME +WORKER +KIND/);

  pane.type('v');
  lines = await pane.waitFor('the per-file view', (screen) => screen[0]!.includes('- per file -') && tableRows(screen).length === 3);
  t.regex(lines.find((line) => line.startsWith('NAME'))!, /^NAME +FILE +KIND/);
  t.true(tableRows(lines).every((line) => /^app\.requests +writer-\d+\.mmstats +counter /.test(line)));

  pane.type('/app.s[tu]*');
  pane.press('Enter');
  lines = await pane.waitFor('a glob filter', (screen) => screen.at(-1)!.includes('rows match app.s[tu]*'));
  t.true(tableRows(lines).every((line) => /^app\.(step|sys\.)/.test(line)), lines.join('\n'));
  pane.press('Escape');
  lines = await pane.waitFor('the filter cleared', (screen) => / rows {2}\|/.test(screen.at(-1)!));

  pane.type('p');
  lines = await pane.waitFor('paused', (screen) => screen[0]!.endsWith('PAUSED'));
  const frozen = tableRows(lines);
  await new Promise((resolve) => setTimeout(resolve, 600));
  t.deepEqual(tableRows(pane.screen()), frozen, 'no new readings while paused');
  pane.type(' ');
  await pane.waitFor('running again', (screen) => !screen[0]!.endsWith('PAUSED') && tableRows(screen).join() !== frozen.join());

  pane.type('?');
  lines = await pane.waitFor('the help screen', (screen) => screen.includes('Keys:'));
  t.true(lines.some((line) => /^ {2}\/ +filter: a glob/.test(line)));
  pane.type('x');
  await pane.waitFor('the help closed', (screen) => screen.some((line) => line.startsWith('NAME')));
  pane.type('q');
  await expectRestored(t, pane, 0);
});

tmuxTest('a writer that joins appears; one that is killed is marked gone and its records leave the rows', async (t) => {
  const dir = tempDir(t, 'top-live');
  const first = await startWriter(t, dir, 1);
  const pane = TmuxPane.start(t, { columns: 120, lines: 30 }, UTF8);
  await startTop(pane, dir, ['-m', 'requests']);
  let lines = await pane.waitFor('one writer', (screen) => screen[0]!.includes(' - 1 file - '));
  const second = await startWriter(t, dir, 100);
  lines = await pane.waitFor('the second writer', (screen) => screen[0]!.includes(' - 2 files - ') && screen.some((line) => line.startsWith(`pid ${second.pid}`)));
  pane.type('v');
  await pane.waitFor('both workers have rows', (screen) => tableRows(screen).length === 2);
  second.child.kill('SIGKILL');
  await once(second.child, 'exit');
  lines = await pane.waitFor('the killed writer marked', (screen) => screen[0]!.includes(' - 2 files, 1 gone - '));
  const gone = lines.find((line) => line.startsWith(`pid ${second.pid}`))!;
  t.regex(gone, new RegExp(`^pid ${second.pid} +\\S+ +GONE +${second.path}  \\(pid ${second.pid} is not running`));
  t.is(lines.indexOf(gone), 2, 'gone writers first');
  lines = await pane.waitFor('its rows gone', (screen) => tableRows(screen).length === 1);
  t.regex(tableRows(lines)[0]!, new RegExp(`^app\\.requests +pid ${first.pid} `));
  // Red, unless NO_COLOR: the writer line carries SGR 31.
  t.true(pane.screen(true).some((line) => line.startsWith('\x1b[31mpid ')));
  pane.press('C-c');
  await expectRestored(t, pane, 130);
});

tmuxTest('top follows the terminal when it is resized: narrower drops the sparkline and the kind, wider brings them back', async (t) => {
  const started = await topOnOneWriter(t, 'top-resize', { columns: 120, lines: 40 });
  const pane = started.pane;
  let lines = started.lines;
  t.true(lines.some((line) => / P99 HISTORY$/.test(line)));
  pane.resize(60, 15);
  lines = await pane.waitFor('a narrow frame', (screen) => screen.length === 15 && screen.some((line) => /^NAME↑ +VALUE +RATE\/s/.test(line)));
  t.true(lines.every((line) => [...line].length <= 60));
  t.false(lines.some((line) => line.includes('HISTORY') || line.includes('KIND')));
  t.true(lines.at(-1)!.endsWith('…'), 'the hints line is cut, not wrapped');
  pane.resize(100, 30);
  lines = await pane.waitFor('a wide frame again', (screen) => screen.length === 30 && screen.some((line) => / HISTORY$/.test(line)));
  t.true(lines.every((line) => [...line].length <= 100));
  pane.type('q');
  await expectRestored(t, pane, 0);
});

tmuxTest('Ctrl-Z gives the terminal back to the shell; fg brings top back as it was', async (t) => {
  const { pane } = await topOnOneWriter(t, 'top-suspend', { columns: 100, lines: 24 });
  pane.type('v');
  await pane.waitFor('the per-worker view', (screen) => screen[0]!.includes('- per worker -'));
  pane.press('C-z');
  const lines = await pane.waitFor('the shell', (screen) => screen.some((line) => /^\[1\]\+ +Stopped/.test(line)));
  t.is(pane.format('alternate_on'), '0');
  t.is(pane.format('cursor_flag'), '1');
  t.false(lines.some((line) => line.startsWith('mmstats top - ')));
  pane.run('fg');
  await pane.waitFor('top again, in the view it was in', (screen) => screen[0]!.includes('- per worker -') && screen.some((line) => line.startsWith('app.requests')));
  t.is(pane.format('alternate_on'), '1');
  pane.type('q');
  await expectRestored(t, pane, 0);
});

tmuxTest('SIGTERM ends top with 143, the terminal restored; NO_COLOR and a C locale draw plain ASCII', async (t) => {
  const { pane, dir } = await topOnOneWriter(t, 'top-term', { columns: 120, lines: 30 }, { LANG: 'C', NO_COLOR: '1' }, (dir) => join(dir, 'top.pid'));
  const pidFile = join(dir, 'top.pid');
  const lines = await pane.waitFor('a sparkline', (screen) => /[_.~=+*#-]{3}$/.test(tableRows(screen).find((line) => line.startsWith('app.requests')) ?? ''));
  t.true(lines.every((line) => [...line].every((c) => c.charCodeAt(0) < 0x80)), 'ASCII only');
  t.true(lines[0]!.includes('sort name^'));
  // capture-pane -e writes the cells' attributes as SGR codes; a reset (0, 39, 49) is all there may be.
  // eslint-disable-next-line no-control-regex
  t.false(pane.screen(true).some((line) => /\x1b\[(?!0?m|39m|49m)[\d;]*m/.test(line)), 'no colours or attributes');
  process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
  await expectRestored(t, pane, 143);
});

tmuxTest('labels and paths from a hostile file are shown escaped: they cannot retitle the window or clear the screen', async (t) => {
  const dir = tempDir(t, 'top-hostile');
  await startWriter(t, dir, 1);
  statsFileFor(dir, 'evil\x1b[2J.mmstats', { format: 2, pid: process.pid, requests: 7, labelPrefix: 'x\x1b]2;pwned\x07\x1b[2J.' });
  const pane = TmuxPane.start(t, { columns: 120, lines: 30 }, UTF8);
  const title = pane.format('pane_title');
  const lines = await startTop(pane, dir);
  await pane.waitFor('the hostile record', (screen) => screen.some((line) => line.startsWith('x\\x1b]2;pwned\\x07\\x1b[2J.requests ')));
  t.true(pane.screen().some((line) => line.endsWith('/evil\\x1b[2J.mmstats')), lines.join('\n'));
  t.is(pane.format('pane_title'), title, 'the window keeps its title');
  pane.type('q');
  await expectRestored(t, pane, 0);
});

tmuxTest('after an uncaught exception the terminal is restored first, then the error is printed, escaped', async (t) => {
  const pane = TmuxPane.start(t, { columns: 100, lines: 20 }, UTF8);
  pane.run(`clear; S=$(stty -g); '${process.execPath}' '${crashingScreen}'; echo EXIT=$? STTY=$([ "$(stty -g)" = "$S" ] && echo same || echo changed)`);
  await pane.waitFor('the frame', (screen) => screen[0] === 'CRASH-TEST-FRAME');
  t.is(pane.format('alternate_on'), '1');
  const lines = await pane.waitFor('the crash', (screen) => screen.some((line) => line.startsWith('EXIT=')));
  t.true(lines.includes('EXIT=1 STTY=same'), lines.join('\n'));
  t.true(lines.some((line) => line === 'mmstats top: Error: boom \\x1b[2J'), lines.join('\n'));
  t.is(pane.format('alternate_on'), '0');
  t.is(pane.format('cursor_flag'), '1');
  t.false(lines.includes('CRASH-TEST-FRAME'));
});

test('top refuses to run without a terminal, pointing to poll; a bad interval is a usage error', (t) => {
  const piped = spawnSync(process.execPath, [bins.mmstats, 'top', tempDir(t, 'top-pipe')], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  t.is(piped.status, 2);
  t.is(piped.stdout, '');
  t.is(piped.stderr, 'mmstats: top needs a terminal (stdin and stdout); for lines to a pipe or a file, use mmstats poll\n');
  const bad = spawnSync(process.execPath, [bins.mmstats, 'top', '-i', '0'], { encoding: 'utf8' });
  t.is(bad.status, 2);
  t.regex(bad.stderr, /^mmstats: --interval must be a positive number of seconds, got 0\nTry 'mmstats top --help'/);
});
