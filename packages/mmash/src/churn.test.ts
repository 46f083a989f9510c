// Issue 13's proof, shortened (the full 60 s run is bench/churn.mjs): workers SIGKILLed and
// restarted while Prometheus scrapes mmash every second; mmash's merged counter equals what the
// load generator received (plus at most the requests in flight at the kills), never goes back,
// is one series throughout, and the directory stays bounded. prom-client's cluster aggregator,
// in the same run, loses the dead workers' counts.
import { PROMETHEUS, tempDir, testWithTool } from './test-support.test.util.js';
import { runChurn } from './churn-scenario.test.util.js';

testWithTool(PROMETHEUS)('workers killed every 2 s: the merged counter counts every response, never resets, one series, bounded files', async (t) => {
  t.timeout(180_000);
  const { dir, cleanup } = tempDir('mmash-churn-');
  t.teardown(cleanup);
  const report = await runChurn({ dir, durationMs: 14_000, killEveryMs: 2000 });
  t.log(JSON.stringify(report));
  const ours = report.mmstats;
  t.true(ours.kills >= 5, `${ours.kills} kills`);
  t.true(ours.received > 0);
  // The workers count a request before answering it: a kill can lose the answer, not the count.
  t.true(ours.final >= ours.received && ours.final <= ours.received + ours.failed, `final ${ours.final}, received ${ours.received}, failed ${ours.failed}`);
  t.is(ours.resets, 0, 'resets() of the merged counter');
  t.is(ours.largestDrop, 0, 'never lower than at the scrape before');
  t.is(ours.series, 1, 'one series for the whole run');
  t.true(ours.maxFiles <= 12, `at most ${ours.maxFiles} files`);
  t.is(ours.filesAtEnd, 5, '4 live workers and the archive');
  const theirs = report.promClient;
  t.true(theirs.final < theirs.received, `prom-client's cluster sum lost the dead workers' counts: ${theirs.final} of ${theirs.received}`);
});
