import test from 'ava';
import { firstValueFrom } from 'rxjs';
import {
  isConflictError,
  isInvalidSecretRefError,
  isSecretNotFoundError,
  type Secret,
  type SecretInfo,
} from '../../src/index.js';
import { LOGIN_COLLECTION, uniqueAttributes, useSecretServiceDaemon } from '../support/secret-service-fixture.js';
import { refFor, secretsOn } from '../support/secret-service-provider-fixture.js';

const fixture = useSecretServiceDaemon(test);

test('set then get, exists and delete, through the facade', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const attributes = uniqueAttributes({ service: 'myapp', user: 'alice' });
  const ref = refFor(attributes);
  t.false(await firstValueFrom(secrets.exists(ref)));
  const written = await firstValueFrom(secrets.set(ref, 'p4ss wörd'));
  t.is(written.contentType, 'text/plain');
  t.like(written.tags, attributes);
  t.is(written.metadata.collection, LOGIN_COLLECTION);
  const secret = await firstValueFrom(secrets.get(ref));
  t.is(secret.value, 'p4ss wörd');
  t.is(secret.version, written.version);
  t.true(secret.updatedAt instanceof Date);
  t.true(await firstValueFrom(secrets.exists(ref)));
  await firstValueFrom(secrets.set(ref, 'second'));
  const second = await firstValueFrom(secrets.get(ref));
  t.is(second.value, 'second');
  t.not(second.version, secret.version);
  t.is(second.metadata.path, secret.metadata.path, 'replaced in place');
  await firstValueFrom(secrets.delete(ref));
  t.false(await firstValueFrom(secrets.exists(ref)));
  t.true(isSecretNotFoundError(await t.throwsAsync(firstValueFrom(secrets.get(ref)))));
  t.true(isSecretNotFoundError(await t.throwsAsync(firstValueFrom(secrets.delete(ref)))));
});

test('JSON values keep their content type, and key paths read inside them', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const ref = refFor(uniqueAttributes({ kind: 'json' }));
  await firstValueFrom(secrets.set(ref, { db: { user: 'app', password: 'hunter2' }, port: 5432 }));
  t.is((await firstValueFrom(secrets.get(`${ref}#db.password`))).value, 'hunter2');
  t.is((await firstValueFrom(secrets.get(`${ref}#port`))).value, 5432);
  // gnome-keyring keeps no content type: everything reads back as text/plain, and JSON transforms still apply
  const parsed = await firstValueFrom(secrets.get(ref, { transform: 'json' }));
  t.is((parsed.value as { port: number }).port, 5432);
});

test('bytes round-trip as bytes', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const ref = refFor(uniqueAttributes({ kind: 'bytes' }));
  const bytes = new Uint8Array([0, 255, 128, 1, 2]);
  await firstValueFrom(secrets.set(ref, bytes));
  const secret = await firstValueFrom(secrets.get(ref));
  t.deepEqual(secret.value, bytes, 'not UTF-8, so not turned into text');
});

test('attribute values with @, #, &, = and % round-trip through refs', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const attributes = uniqueAttributes({ user: 'alice@example.com', note: 'a&b=c#d 100%' });
  const ref = refFor(attributes);
  await firstValueFrom(secrets.set(ref, 'odd'));
  const secret = await firstValueFrom(secrets.get(ref));
  t.is(secret.value, 'odd');
  t.like(secret.tags, attributes);
});

test('getMany reads many refs in one batch and reports misses per ref', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const group = uniqueAttributes();
  const refs = Array.from({ length: 5 }, (_, i) => refFor({ ...group, n: String(i) }));
  for (const [i, ref] of refs.entries()) await firstValueFrom(secrets.set(ref, `value-${i}`));
  const missing = refFor(uniqueAttributes());
  const results = await firstValueFrom(secrets.getMany([...refs, missing]));
  t.deepEqual(
    results.slice(0, 5).map((r) => (r.ok ? r.secret.value : r.error.message)),
    refs.map((_, i) => `value-${i}`),
  );
  const last = results[5];
  t.true(last !== undefined && !last.ok && isSecretNotFoundError(last.error));
});

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

test('ifNotExists refuses to overwrite', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const ref = refFor(uniqueAttributes());
  await firstValueFrom(secrets.set(ref, 'first', { ifNotExists: true }));
  t.true(isConflictError(await t.throwsAsync(firstValueFrom(secrets.set(ref, 'second', { ifNotExists: true })))));
  t.is((await firstValueFrom(secrets.get(ref))).value, 'first');
});

test('labels: the provider option, then the per-write option', async (t) => {
  const secrets = secretsOn(t, fixture.daemon, { label: (_ref, attributes) => `app ${attributes.n}` });
  const group = uniqueAttributes();
  const a = await firstValueFrom(secrets.set(refFor({ ...group, n: '1' }), 'x'));
  const b = await firstValueFrom(secrets.set(refFor({ ...group, n: '2' }), 'y', { label: 'custom' }));
  t.is(a.metadata.label, 'app 1');
  t.is(b.metadata.label, 'custom');
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

test('listing a collection filtered by attributes, page by page, with and without values', async (t) => {
  const secrets = secretsOn(t, fixture.daemon, { pageSize: 3 });
  const group = uniqueAttributes({ listed: 'yes' });
  for (let i = 0; i < 7; i++) await firstValueFrom(secrets.set(refFor({ ...group, n: String(i) }), `v${i}`));
  const prefix = `secret-service:default?${new URLSearchParams(group).toString()}`;
  const pages: SecretInfo[][] = [];
  for await (const page of secrets.list(prefix).pages()) pages.push([...page]);
  t.deepEqual(
    pages.map((page) => page.length),
    [3, 3, 1],
  );
  const infos = pages.flat();
  t.deepEqual(infos.map((info) => info.tags.n).sort(), ['0', '1', '2', '3', '4', '5', '6']);
  // each listed name reads back the same item
  const again = await firstValueFrom(secrets.get(infos[0]!.ref));
  t.is(again.metadata.path, infos[0]!.metadata.path);
  const values: Secret[] = [];
  for await (const secret of secrets.list(prefix, { withValues: true })) values.push(secret);
  t.deepEqual(values.map((s) => s.value).sort(), ['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
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
