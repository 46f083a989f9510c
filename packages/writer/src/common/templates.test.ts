import test from 'ava';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readdirSync } from 'node:fs';
import { counter, defineModel, ErrorCodes } from '../index.js';
import { tempDir } from './test-support.test.util.js';
import { commandName, expandTemplate, filenameTemplate, siblingMatcher, statsLocation, templateValues } from './templates.js';

const values = { cmd: 'server.js', pid: 4242, tid: 4250 };

test('{CMD}, {PID} and {TID} are replaced; other text is kept', (t) => {
  t.is(expandTemplate('{CMD}-{PID}-{TID}.mmstats', values), 'server.js-4242-4250.mmstats');
  t.is(expandTemplate('/run/{CMD}/{OTHER}', values), '/run/server.js/{OTHER}');
});

test('{NAME} is the service’s name, and the program’s when none is given', (t) => {
  t.is(expandTemplate('{NAME}-{PID}.mmstats', { ...values, name: 'checkout' }), 'checkout-4242.mmstats');
  t.is(expandTemplate('{NAME}-{PID}.mmstats', values), 'server.js-4242.mmstats');
  t.like(templateValues('checkout', 7), { name: 'checkout', pid: process.pid, tid: 7 });
  t.is(templateValues(undefined, 7).name, commandName());
  for (const bad of ['', '.', '..', 'a/b', 'a\0b', 'x'.repeat(201)]) {
    t.throws(() => templateValues(bad, 7), { code: ErrorCodes.INVALID_FIELD }, JSON.stringify(bad));
  }
});

test('a model’s name goes into its file names; open({ name }) wins', (t) => {
  const dir = tempDir(t);
  const Checkout = defineModel({ orders: counter() }, { name: 'checkout', system: false });
  const mine = Checkout.open({ path: dir, filename: '{NAME}-{PID}-{TID}.mmstats' });
  const other = Checkout.open({ path: dir, filename: '{NAME}-{PID}-{TID}.mmstats', name: 'refunds', format: 1 });
  t.deepEqual(readdirSync(dir).sort(), [basename(mine.path), basename(other.path)].sort());
  t.true(basename(mine.path).startsWith(`checkout-${process.pid}-`));
  t.true(basename(other.path).startsWith(`refunds-${process.pid}-`));
  mine.remove();
  other.remove();
  t.throws(() => Checkout.open({ path: dir, name: 'a/b' }), { code: ErrorCodes.INVALID_FIELD });
});

test('{CMD} is the script’s base name, as Python uses basename(sys.argv[0])', (t) => {
  t.is(commandName(), basename(process.argv[1]!));
});

test.serial('options win over MMSTATS_PATH / MMSTATS_FILES, which win over the defaults', (t) => {
  const saved = { path: process.env['MMSTATS_PATH'], files: process.env['MMSTATS_FILES'] };
  t.teardown(() => {
    for (const [name, value] of [['MMSTATS_PATH', saved.path], ['MMSTATS_FILES', saved.files]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  delete process.env['MMSTATS_PATH'];
  delete process.env['MMSTATS_FILES'];
  // The default directory is this user's own (spec/files.md#default-directory).
  t.deepEqual(statsLocation(undefined, filenameTemplate(undefined), values), { path: join(tmpdir(), `mmstats-${process.geteuid!()}`, 'server.js-4242-4250.mmstats'), error: undefined });
  process.env['MMSTATS_PATH'] = '/var/stats';
  process.env['MMSTATS_FILES'] = '{PID}.mmstats';
  t.is(statsLocation(undefined, filenameTemplate(undefined), values).path, '/var/stats/4242.mmstats');
  t.is(statsLocation('/srv', filenameTemplate('x-{TID}'), values).path, '/srv/x-4250');
});

test('the leftover matcher recognises this process’s per-thread names, and only when the template has {PID} and {TID}', (t) => {
  const match = siblingMatcher('{CMD}-{PID}-{TID}.mmstats', values)!;
  t.is(match('server.js-4242-4251.mmstats'), 4251);
  t.is(match('server.js-4243-4251.mmstats'), undefined); // another process
  t.is(match('other.js-4242-4251.mmstats'), undefined);
  t.is(match('server.js-4242-4251.mmstats.bak'), undefined);
  t.is(siblingMatcher('{CMD}-{PID}.mmstats', values), undefined);
  t.is(siblingMatcher('{TID}.mmstats', values), undefined);
});

test('the leftover matcher takes {NAME} as written', (t) => {
  const match = siblingMatcher('{NAME}-{PID}-{TID}.mmstats', { ...values, name: 'a.b' })!;
  t.is(match('a.b-4242-4251.mmstats'), 4251);
  t.is(match('axb-4242-4251.mmstats'), undefined);
});
