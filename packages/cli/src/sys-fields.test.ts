import test from 'ava';
import { asPid, isSysLabel } from './sys-fields.js';

test('sys fields are found with or without a label prefix, at a dot', (t) => {
  t.true(isSysLabel('sys.pid', 'pid'));
  t.true(isSysLabel('web.stats.sys.pid', 'pid'));
  t.false(isSysLabel('websys.pid', 'pid'));
  t.false(isSysLabel('sys.pid.count', 'pid'));
  t.true(isSysLabel('app.sys.created', 'created'));
});

test('only a positive pid within pid_max is a pid: 0 and negatives would signal process groups', (t) => {
  t.is(asPid(4242), 4242);
  t.is(asPid(4242n), 4242);
  t.is(asPid(0), undefined);
  t.is(asPid(-1), undefined);
  t.is(asPid(2 ** 32), undefined);
  t.is(asPid(1.5), undefined);
  t.is(asPid('4242'), undefined);
});
