import test from 'ava';
test('smoke', (t) => { t.is(1 + 1, 2); });
test.skip('skipped', (t) => { t.pass(); });
