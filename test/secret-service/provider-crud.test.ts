import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { isInvalidSecretRefError, isSecretNotFoundError } from '../../src/index.js';
import { LOGIN_COLLECTION, uniqueAttributes, useSecretServiceDaemon } from '../support/secret-service-fixture.js';
import { refFor, secretsOn } from '../support/secret-service-provider-fixture.js';

// Reads, writes and listings common to every service are in the contract (./contracts, run on gnome-keyring,
// KeePassXC and KWallet); these need gnome-keyring's own collection API (guilt-ridden create) or its item ids.
const fixture = useSecretServiceDaemon(test);

test('several matching items: get reads the most recently modified', async (t) => {
  const fixtureClient = await fixture.client();
  const attributes = uniqueAttributes({ dup: 'yes' });
  const login = fixtureClient.collection(LOGIN_COLLECTION);
  await login.createItem({ label: 'old', attributes: { ...attributes, extra: '1' }, secret: 'old' });
  const newer = await login.createItem({ label: 'new', attributes: { ...attributes, extra: '2' }, secret: 'new' });
  await newer.setLabel('touched'); // same-second ties fall to the higher item id, which is this one anyway
  const secrets = secretsOn(t, fixture.daemon);
  t.is((await firstValueFrom(secrets.get(refFor(attributes)))).value, 'new');
});

test('bad refs are refused before any call', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  for (const bad of [
    'secret-service:default',
    'secret-service:default?novalue',
    'secret-service:default?a=1&a=2',
    'secret-service:not/a/path?a=1',
    'secret-service:default?a=1@v2',
    'secret-service:default?a=%zz',
  ]) {
    t.true(isInvalidSecretRefError(await t.throwsAsync(firstValueFrom(secrets.get(bad)))), bad);
  }
});

test('a collection by path, and every collection at once', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const path = await fixture.daemon.createCollection('by-path');
  const attributes = uniqueAttributes();
  const byPath = refFor(attributes, path);
  await firstValueFrom(secrets.set(byPath, 'in its own collection'));
  const anywhere = `secret-service:?${new URLSearchParams(attributes).toString()}`;
  const secret = await firstValueFrom(secrets.get(anywhere));
  t.is(secret.value, 'in its own collection');
  t.is(secret.metadata.collection, path);
  t.true(isSecretNotFoundError(await t.throwsAsync(firstValueFrom(secrets.get(refFor(attributes))))));
});

test('listing every collection names items by collection path', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const path = await fixture.daemon.createCollection('listed-all');
  const attributes = uniqueAttributes();
  await firstValueFrom(secrets.set(refFor(attributes, path), 'x'));
  const names: string[] = [];
  for await (const info of secrets.list('secret-service:')) names.push(info.name);
  t.true(names.some((name) => name.startsWith(`${path}?`)));
  t.true(names.length >= 1);
});
