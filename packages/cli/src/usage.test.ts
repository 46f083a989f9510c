import test from 'ava';
import { commandLineProgram } from './usage.js';

interface UsageInternals {
  getInternalMethods(): { getUsageInstance(): { hasCachedHelpMessage(): boolean; cacheHelpMessage(): void } };
}

test('a command runs without yargs rendering the help text it would keep for later', async (t) => {
  let ran = 0;
  const program = commandLineProgram('demo', ['count', '--by', '2'], (argv) =>
    argv.command('count', 'count something', (y) => y.option('by', { type: 'number' }), (args) => {
      ran += args.by ?? 1;
    }),
  );
  await program.parseAsync();
  t.is(ran, 2);
  // The hook is yargs' own: if an upgrade renames it, this fails rather than the start-up cost coming back unnoticed.
  const usage = (program as unknown as UsageInternals).getInternalMethods().getUsageInstance();
  t.false(usage.hasCachedHelpMessage());
});

test('--help is still rendered by yargs when asked for', async (t) => {
  let output = '';
  await commandLineProgram('demo', ['count', '--help'], (argv) => argv.command('count', 'count something', (y) => y.option('by', { type: 'number', describe: 'step' }), () => {})).parseAsync(
    ['count', '--help'],
    {},
    (_error, _argv, text) => {
      output = text;
    },
  );
  t.regex(output, /^demo count\n\ncount something\n/);
  t.regex(output, /--by\s+step\s+\[number\]/);
});
