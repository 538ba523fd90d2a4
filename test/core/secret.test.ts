import { inspect } from 'node:util';
import test from 'ava';
import { parseSecretRef } from '../../src/core/ref.js';
import { Secret } from '../../src/core/secret.js';

const VALUE = 'hunter2-VERY-SECRET';

function makeSecret(value: string | Uint8Array = VALUE) {
  return new Secret(
    { ref: parseSecretRef('memory:db/password'), name: 'db/password', version: '3', tags: { team: 'core' } },
    value,
  );
}

test('the value is readable through .value only', (t) => {
  const secret = makeSecret();
  t.is(secret.value, VALUE);
  t.false(String(secret).includes(VALUE));
  t.false(`${secret}`.includes(VALUE));
  t.false(JSON.stringify(secret).includes(VALUE));
  t.false(inspect(secret, { depth: 10, showHidden: true }).includes(VALUE));
  t.false(JSON.stringify({ ...secret }).includes(VALUE));
  t.false(Object.keys(secret).includes('value'));
  t.is(String(secret), 'Secret(memory:db/password@3)');
  t.is(JSON.parse(JSON.stringify(secret)).value, '[redacted]');
});

test('bytes never leak either', (t) => {
  const bytes = new TextEncoder().encode(VALUE);
  const secret = makeSecret(bytes);
  t.false(inspect(secret, { depth: 10, showHidden: true }).includes('104, 117'));
  t.false(inspect([secret, { nested: secret }], { depth: 10 }).includes(VALUE));
});

test('a secret is immutable; withValue and withStale copy', (t) => {
  const secret = makeSecret();
  t.true(Object.isFrozen(secret));
  t.throws(() => {
    (secret as unknown as { name: string }).name = 'x';
  });
  const stale = secret.withStale(true);
  t.true(stale.stale);
  t.false(secret.stale);
  t.is(stale.value, VALUE);
  t.is(secret.withValue('other').value, 'other');
  t.deepEqual(secret.info().tags, { team: 'core' });
});
