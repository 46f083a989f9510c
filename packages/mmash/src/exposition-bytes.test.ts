// Labels are kept as pairs and written as text by one renderer, which both text formats use.
import test from 'ava';
import { labelText } from './exposition-bytes.js';

test('labelText writes pairs as the text formats have them between braces, values escaped', (t) => {
  t.is(labelText([]), '');
  t.is(labelText([['service', 'api']]), 'service="api"');
  t.is(labelText([['pid', '7'], ['file', 'C:\\s\\"a"\nb.mmstats']]), 'pid="7",file="C:\\\\s\\\\\\"a\\"\\nb.mmstats"');
});
