/**
 * Child of descriptor-limit.test.ts, started under a low descriptor limit (`prlimit
 * --nofile=64:64`): reads every `*.mmstats` file of a directory through live views (all kept
 * open at once, as a poller keeps them) and through a scan; reads the views again with every
 * other descriptor used up (`squeezed`); then, with the views closed and every descriptor
 * used up, opens and scans the files again (`exhausted`). Prints one JSON line of those
 * counts of results by outcome (`ok` or the error code).
 */
import { openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LiveStatsFile, isMmstatsError, scanStats } from './index.js';

const dir = process.argv[2]!;
const paths = readdirSync(dir)
  .filter((name) => name.endsWith('.mmstats'))
  .map((name) => join(dir, name));

function tally(outcomes: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}

function outcomeOf(read: () => unknown): string {
  try {
    read();
    return 'ok';
  } catch (error) {
    return isMmstatsError(error) ? error.code : String(error);
  }
}

const views: LiveStatsFile[] = [];
const opened = paths.map((path) =>
  outcomeOf(() => {
    views.push(LiveStatsFile.open(path));
  }),
);
const reread = views.map((view) => outcomeOf(() => view.readAll()));
const live = tally([...opened, ...reread]);
const scan = tally([...scanStats(paths)].map((result) => (result.ok ? 'ok' : result.error.code)));

// Use up every descriptor, as a process with many sockets might: the views give up the
// descriptors they kept and read on with those.
const held: number[] = [];
const exhaust = (): void => {
  for (;;) {
    try {
      held.push(openSync('/dev/null', 'r'));
    } catch {
      return;
    }
  }
};
exhaust();
const squeezed = tally(views.map((view) => outcomeOf(() => view.readAll())));
// With none kept any more and none left, every file is its own E104.
for (const view of views) view.close();
exhaust();
const exhausted = tally([...paths.map((path) => outcomeOf(() => LiveStatsFile.open(path))), ...[...scanStats(paths)].map((result) => (result.ok ? 'ok' : result.error.code))]);
process.stdout.write(`${JSON.stringify({ live, scan, squeezed, exhausted, held: held.length })}\n`);
