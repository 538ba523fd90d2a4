// What SecretStorage users expect, on a real gnome-keyring: CreateItem does not replace by default, error messages
// keep the service's own reason, anyCollection() as get_any_collection, and no value in the error of a failed write.
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { isLockedError, isProviderError, isSecretNotFoundError } from '../../src/index.js';
import { mapDBusError } from '../../src/providers/secret-service/index.js';
import { assertNoFragment, assertSameTexts, SHORT_VALUES } from '../support/leak-check.js';
import { LOGIN_COLLECTION, uniqueAttributes, useSecretServiceDaemon } from '../support/secret-service-fixture.js';
import { refFor, secretsOn } from '../support/secret-service-provider-fixture.js';

const fixture = useSecretServiceDaemon(test);

test('createItem adds a second item by default, and replaces only with replace: true', async (t) => {
  const client = await fixture.client();
  const login = client.collection(LOGIN_COLLECTION);
  const attributes = uniqueAttributes({ user: 'alice' });
  const first = await login.createItem({ label: 'one', attributes, secret: 'first' });
  const second = await login.createItem({ label: 'two', attributes, secret: 'second' });
  t.not(second.path, first.path);
  t.is((await login.searchItems(attributes)).length, 2, 'the first item was not overwritten');
  t.is((await first.secret()).text(), 'first');
  const replaced = await login.createItem({ label: 'three', attributes, secret: 'third', replace: true });
  t.true([first.path, second.path].includes(replaced.path));
  t.is((await login.searchItems(attributes)).length, 2);
});

test('the facade set still replaces its own item in place', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const ref = refFor(uniqueAttributes());
  const one = await firstValueFrom(secrets.set(ref, 'v1'));
  const two = await firstValueFrom(secrets.set(ref, 'v2'));
  t.is(two.metadata.path, one.metadata.path);
  t.is((await firstValueFrom(secrets.get(ref))).value, 'v2');
});

test.serial('anyCollection() is the default alias, else the session alias, else the first collection', async (t) => {
  const client = await fixture.client();
  t.is((await client.anyCollection()).path, LOGIN_COLLECTION);
  const session = await client.readAlias('session');
  t.truthy(session, 'gnome-keyring has a session collection');
  await client.setAlias('default', undefined);
  try {
    t.is((await client.anyCollection()).path, session?.path ?? 'none');
  } finally {
    await client.setAlias('default', client.collection(LOGIN_COLLECTION));
  }
  t.is((await client.anyCollection()).path, LOGIN_COLLECTION);
});

test("error messages keep the service's own reason text", async (t) => {
  const client = await fixture.client();
  const error = await t.throwsAsync(client.setAlias('not-default', client.collection(LOGIN_COLLECTION)));
  t.true(isProviderError(error), String(error));
  t.regex(error?.message ?? '', /Only the 'default' alias is supported/);
  t.regex(error?.message ?? '', /org\.freedesktop\.DBus\.Error\.NotSupported/);
  const missing = await t.throwsAsync(client.itemByPath('/org/freedesktop/secrets/collection/login/999999'));
  t.true(isSecretNotFoundError(missing), String(missing));
});

test('a write refused by the service reads the same whatever the 1–8 character value', async (t) => {
  const client = await fixture.client();
  const path = await fixture.daemon.createCollection('leak-locked');
  await fixture.daemon.lock(path);
  const errors: Error[] = [];
  for (const value of SHORT_VALUES) {
    const error = await t.throwsAsync(
      client.collection(path).createItem({ label: 'leak', attributes: uniqueAttributes(), secret: value }),
    );
    t.true(isLockedError(error), String(error));
    if (value.length >= 4) assertNoFragment(t, error, [value], `'${value}'`);
    errors.push(error as Error);
  }
  assertSameTexts(t, errors, 'CreateItem on a locked collection');
});

test('the reply text of a call that carries a value is never quoted; other calls keep it', (t) => {
  const value = 'Zq9#kLm2';
  const native = Object.assign(new Error(`invalid secret '${value}'`), {
    type: 'org.freedesktop.DBus.Error.InvalidArgs',
    text: `invalid secret '${value}'`,
  });
  for (const operation of ['Collection.CreateItem', 'Item.SetSecret']) {
    const error = mapDBusError(native, { operation, path: LOGIN_COLLECTION });
    t.regex(error.message, /org\.freedesktop\.DBus\.Error\.InvalidArgs/);
    assertNoFragment(t, error, [value], operation);
  }
  const other = mapDBusError(native, { operation: 'Service.SearchItems' });
  t.regex(other.message, /Service\.SearchItems failed \(org\.freedesktop\.DBus\.Error\.InvalidArgs: invalid secret/);
  t.false(JSON.stringify(other.cause).includes(value), 'the cause keeps the D-Bus name only');
  t.is((other.cause as { type?: string }).type, 'org.freedesktop.DBus.Error.InvalidArgs');
});

test('exists() honours the key path', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const ref = refFor(uniqueAttributes({ kind: 'keypath' }));
  await firstValueFrom(secrets.set(ref, { db: { password: 'p' } }));
  t.true(await firstValueFrom(secrets.exists(`${ref}#db.password`)));
  t.false(await firstValueFrom(secrets.exists(`${ref}#db.user`)));
  t.false(await firstValueFrom(secrets.exists(`${refFor(uniqueAttributes())}#db.password`)));
});

test("transform 'auto' decodes a JSON object stored as text/plain (gnome-keyring keeps no content type)", async (t) => {
  const client = await fixture.client();
  const attributes = uniqueAttributes({ kind: 'auto' });
  await client.collection(LOGIN_COLLECTION).createItem({ label: 'auto', attributes, secret: '{"user":"u"}' });
  const secrets = secretsOn(t, fixture.daemon);
  t.deepEqual((await firstValueFrom(secrets.get(refFor(attributes), { transform: 'auto' }))).value, { user: 'u' });
  const plain = uniqueAttributes({ kind: 'auto-plain' });
  await client.collection(LOGIN_COLLECTION).createItem({ label: 'plain', attributes: plain, secret: 'hunter2' });
  t.is((await firstValueFrom(secrets.get(refFor(plain), { transform: 'auto' }))).value, 'hunter2');
});

test('a listing whose signal is aborted yields nothing more', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const group = uniqueAttributes({ kind: 'ls' });
  for (let n = 0; n < 3; n++) await firstValueFrom(secrets.set(refFor({ ...group, n: String(n) }), 'v'));
  const controller = new AbortController();
  let seen = 0;
  const error = await t.throwsAsync(async () => {
    for await (const _ of secrets.list(refFor(group), { signal: controller.signal })) {
      seen += 1;
      controller.abort();
    }
  });
  t.is(error?.name, 'AbortError');
  t.is(seen, 1);
});
