// getMany resolving refs together: refs sharing attributes cost one SearchItems in all (then each item's GetAll and
// one GetSecrets), with the same results as reading each ref alone; and the cases that must fall back to one search
// per ref (too many candidates, locked items, attributes gnome-keyring matches specially).
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { isLockedError, isSecretNotFoundError, makeRef, type Secret, type SecretResult } from '../../src/index.js';
import { formatItemQuery } from '../../src/providers/secret-service/index.js';
import { countCalls } from '../support/secret-service-call-counter.js';
import { LOGIN_COLLECTION, run, uniqueAttributes, useSecretServiceDaemon } from '../support/secret-service-fixture.js';
import { refFor, secretsOn } from '../support/secret-service-provider-fixture.js';
import { LONG_TIMEOUT_MS } from '../support/timing.js';

const fixture = useSecretServiceDaemon(test);

/**
 * Creates one item per attribute set in the login collection (through a separate client), in order. Seeding clients
 * get a long call timeout: gnome-keyring rewrites the login keyring's file for every item, and on a loaded machine
 * one CreateItem has taken more than the default 10 s (all 9 tests of this file failed so in 1 of 20 runs).
 */
async function store(items: Array<{ attributes: Record<string, string>; value: string; label?: string }>) {
  const client = await fixture.client({ callTimeout: LONG_TIMEOUT_MS });
  for (const { attributes, value, label } of items) {
    await client.collection(LOGIN_COLLECTION).createItem({ label: label ?? value, attributes, secret: value });
  }
}

/**
 * Stores items `v0`…`v<count - 1>` under a new attribute group (`n` = their index), then, through secret-tool, a
 * second match for n=3 (an extra attribute), stored later: the newer one, or in the same second the higher id. Its
 * value is `newer`. Returns the group.
 */
async function storeWithSecondMatch(count: number): Promise<Record<string, string>> {
  const group = uniqueAttributes();
  await store(Array.from({ length: count }, (_, n) => ({ attributes: { ...group, n: String(n) }, value: `v${n}` })));
  await run(
    fixture.daemon,
    'secret-tool',
    ['store', '--label=outside', ...Object.entries(group).flat(), 'n', '3', 'x', 'y'],
    'newer',
  );
  return group;
}

function outcome(result: SecretResult): unknown {
  if (result.ok) return result.secret.value;
  if (isSecretNotFoundError(result.error)) return 'not found';
  if (isLockedError(result.error)) return 'locked';
  return String(result.error);
}

/**
 * What a read says about an item. Left out: the version token (keyed per provider, not comparable across two) and an
 * `xdg:schema` tag, which gnome-keyring adds to items stored without one when it reloads the keyring file (another
 * test of this file may cause that between two reads; it signals ItemChanged).
 */
function described(secret: Secret) {
  const { name, contentType, createdAt, updatedAt, metadata } = secret;
  const { 'xdg:schema': _schema, ...tags } = secret.tags;
  return { value: secret.value, name, contentType, createdAt, updatedAt, tags, metadata };
}

test('refs sharing attributes: one search for all, and the same secrets as reading each ref alone', async (t) => {
  const group = uniqueAttributes();
  const items = Array.from({ length: 12 }, (_, n) => ({
    attributes: { ...group, n: String(n), ...(n === 5 ? { extra: 'kept in tags' } : {}) },
    value: `value-${n}`,
    label: `label ${n}`,
  }));
  await store(items);
  const refs = items.map((_, n) => refFor({ ...group, n: String(n) }));
  const secrets = secretsOn(t, fixture.daemon, { cacheItems: false });
  const calls = await countCalls(secrets);
  const together = await firstValueFrom(secrets.getMany(refs));
  t.deepEqual(calls(), { ReadAlias: 1, SearchItems: 1, GetAll: 12, GetSecrets: 1 });
  t.deepEqual(
    together.map(outcome),
    items.map((item) => item.value),
  );

  const alone = secretsOn(t, fixture.daemon, { cacheItems: false });
  for (const [n, ref] of refs.entries()) {
    const result = together[n] as SecretResult;
    if (!result.ok) throw result.error;
    const single = await firstValueFrom(alone.get(ref));
    t.deepEqual(described(result.secret), described(single));
  }
  const fifth = together[5] as SecretResult;
  t.true(fifth.ok && fifth.secret.tags.extra === 'kept in tags' && fifth.secret.metadata.label === 'label 5');
});

test('together: a ref that matches nothing is SecretNotFoundError in its slot; two matches give the newer', async (t) => {
  const group = await storeWithSecondMatch(6);
  const refs = [
    ...Array.from({ length: 6 }, (_, n) => refFor({ ...group, n: String(n) })),
    refFor({ ...group, n: '9' }),
  ];
  const secrets = secretsOn(t, fixture.daemon, { cacheItems: false });
  const calls = await countCalls(secrets);
  const results = await firstValueFrom(secrets.getMany(refs));
  t.deepEqual(results.map(outcome), ['v0', 'v1', 'v2', 'newer', 'v4', 'v5', 'not found']);
  const seen = calls();
  t.is(seen.SearchItems, 1);
  t.is(seen.Get, 3, "a fresh Modified of both matches of the ambiguous ref, the collection's Locked for the miss");
});

test('a shared search finding many more items than refs: each ref is searched alone', async (t) => {
  const group = uniqueAttributes();
  await store(Array.from({ length: 12 }, (_, n) => ({ attributes: { ...group, n: String(n) }, value: `v${n}` })));
  const refs = [0, 1, 2, 3].map((n) => refFor({ ...group, n: String(n) }));
  const secrets = secretsOn(t, fixture.daemon, { cacheItems: false });
  const calls = await countCalls(secrets);
  t.deepEqual((await firstValueFrom(secrets.getMany(refs))).map(outcome), ['v0', 'v1', 'v2', 'v3']);
  t.deepEqual(calls(), { ReadAlias: 1, SearchItems: 1 + 4, GetAll: 4, GetSecrets: 1 });
});

test('refs differing in xdg:schema (matched specially by gnome-keyring) are searched one by one', async (t) => {
  const group = uniqueAttributes();
  const items = Array.from({ length: 4 }, (_, n) => ({
    attributes: { ...group, 'xdg:schema': `org.example.Schema${n}` },
    value: `v${n}`,
  }));
  await store(items);
  const secrets = secretsOn(t, fixture.daemon, { cacheItems: false });
  const calls = await countCalls(secrets);
  const results = await firstValueFrom(secrets.getMany(items.map((item) => refFor(item.attributes))));
  t.deepEqual(results.map(outcome), ['v0', 'v1', 'v2', 'v3']);
  t.is(calls().SearchItems, 4);
});

test('a common xdg:schema is part of the shared search', async (t) => {
  const group = uniqueAttributes({ 'xdg:schema': 'org.example.Shared' });
  const items = Array.from({ length: 4 }, (_, n) => ({ attributes: { ...group, n: String(n) }, value: `v${n}` }));
  await store(items);
  const secrets = secretsOn(t, fixture.daemon, { cacheItems: false });
  const calls = await countCalls(secrets);
  const results = await firstValueFrom(secrets.getMany(items.map((item) => refFor(item.attributes))));
  t.deepEqual(results.map(outcome), ['v0', 'v1', 'v2', 'v3']);
  t.is(calls().SearchItems, 1);
});

test('refs of every collection (no alias) are resolved together too', async (t) => {
  const group = uniqueAttributes();
  const items = Array.from({ length: 5 }, (_, n) => ({ attributes: { ...group, n: String(n) }, value: `v${n}` }));
  await store(items);
  const secrets = secretsOn(t, fixture.daemon, { cacheItems: false });
  const calls = await countCalls(secrets);
  const refs = items.map((item) => makeRef('secret-service', formatItemQuery({ kind: 'all' }, item.attributes)).text);
  const results = await firstValueFrom(secrets.getMany(refs));
  t.deepEqual(results.map(outcome), ['v0', 'v1', 'v2', 'v3', 'v4']);
  t.deepEqual(calls(), { SearchItems: 1, GetAll: 5, GetSecrets: 1 });
  t.true(results.every((r) => r.ok && r.secret.metadata.collection === LOGIN_COLLECTION));
});

test('refs into a locked collection (non-interactive): locked per ref, not found per ref', async (t) => {
  const client = await fixture.client({ callTimeout: LONG_TIMEOUT_MS });
  const path = await fixture.daemon.createCollection('batch-locked');
  const group = uniqueAttributes();
  for (let n = 0; n < 5; n++) {
    await client
      .collection(path)
      .createItem({ label: `l${n}`, attributes: { ...group, n: String(n) }, secret: `l${n}` });
  }
  await fixture.daemon.lock(path);
  const refs = [0, 1, 2, 3, 4, 7].map((n) => refFor({ ...group, n: String(n) }, path));
  const secrets = secretsOn(t, fixture.daemon, { nonInteractive: true, cacheItems: false });
  const calls = await countCalls(secrets);
  const results = await firstValueFrom(secrets.getMany(refs));
  t.deepEqual(results.map(outcome), ['locked', 'locked', 'locked', 'locked', 'locked', 'not found']);
  t.is(calls().SearchItems, 1 + 6, 'the shared search found locked items: then one search per ref');
});

test('with the item cache: a change by another client is seen by the next read of the same refs', async (t) => {
  const group = uniqueAttributes();
  await store(Array.from({ length: 5 }, (_, n) => ({ attributes: { ...group, n: String(n) }, value: `v${n}` })));
  const refs = Array.from({ length: 5 }, (_, n) => refFor({ ...group, n: String(n) }));
  const secrets = secretsOn(t, fixture.daemon);
  t.deepEqual((await firstValueFrom(secrets.getMany(refs))).map(outcome), ['v0', 'v1', 'v2', 'v3', 'v4']);
  const other = await fixture.client({ callTimeout: LONG_TIMEOUT_MS });
  const [item] = await other.collection(LOGIN_COLLECTION).searchItems({ ...group, n: '2' });
  await item?.setAttributes({ ...group, n: '2', moved: 'yes' });
  await item?.setLabel('relabelled');
  const [fourth] = await other.collection(LOGIN_COLLECTION).searchItems({ ...group, n: '4' });
  await fourth?.delete();
  const again = await firstValueFrom(secrets.getMany(refs));
  t.deepEqual(again.map(outcome), ['v0', 'v1', 'v2', 'v3', 'not found']);
  const moved = again[2] as SecretResult;
  t.true(moved.ok && moved.secret.tags.moved === 'yes' && moved.secret.metadata.label === 'relabelled');
});

test('a getMany of 230 refs: one shared search, the values in 3 GetSecrets calls sent at once', async (t) => {
  const group = uniqueAttributes();
  const client = await fixture.client({ callTimeout: LONG_TIMEOUT_MS });
  await Promise.all(
    Array.from({ length: 230 }, (_, n) =>
      client
        .collection(LOGIN_COLLECTION)
        .createItem({ label: `n${n}`, attributes: { ...group, n: String(n) }, secret: `v${n}` }),
    ),
  );
  const refs = Array.from({ length: 230 }, (_, n) => refFor({ ...group, n: String(n) }));
  const secrets = secretsOn(t, fixture.daemon, { cacheItems: false });
  const calls = await countCalls(secrets);
  const results = await firstValueFrom(secrets.getMany(refs));
  t.deepEqual(
    results.map(outcome),
    refs.map((_, n) => `v${n}`),
  );
  t.deepEqual(calls(), { ReadAlias: 1, SearchItems: 1, GetAll: 230, GetSecrets: 3 });
});

test.serial('a shared search finding many items whose properties are cached: used, no search per ref', async (t) => {
  const group = uniqueAttributes();
  await store(Array.from({ length: 12 }, (_, n) => ({ attributes: { ...group, n: String(n) }, value: `v${n}` })));
  const secrets = secretsOn(t, fixture.daemon);
  await firstValueFrom(secrets.getMany(Array.from({ length: 12 }, (_, n) => refFor({ ...group, n: String(n) }))));
  const refs = [0, 1, 2, 3].map((n) => refFor({ ...group, n: String(n) }));
  const calls = await countCalls(secrets);
  t.deepEqual((await firstValueFrom(secrets.getMany(refs))).map(outcome), ['v0', 'v1', 'v2', 'v3']);
  t.deepEqual(calls(), { ReadAlias: 1, GetSecrets: 1 });
});

test('itemMetadata: false: a search per ref and the GetSecrets, no property read; no tags or times', async (t) => {
  const group = await storeWithSecondMatch(5);
  const refs = [...[0, 1, 2, 3, 4].map((n) => refFor({ ...group, n: String(n) })), refFor({ ...group, n: '9' })];
  const secrets = secretsOn(t, fixture.daemon, { itemMetadata: false, cacheItems: false });
  const calls = await countCalls(secrets);
  const results = await firstValueFrom(secrets.getMany(refs));
  t.deepEqual(results.map(outcome), ['v0', 'v1', 'v2', 'newer', 'v4', 'not found']);
  const seen = calls();
  t.is(seen.GetAll, undefined);
  t.is(seen.SearchItems, 6);
  t.is(seen.Get, 3, "a fresh Modified of both matches of the ambiguous ref, the collection's Locked for the miss");
  const [first] = results;
  if (!first?.ok) throw new Error('not read');
  t.deepEqual(first.secret.tags, {});
  t.is(first.secret.updatedAt, undefined);
  t.is(first.secret.createdAt, undefined);
  t.is(first.secret.metadata.collection, LOGIN_COLLECTION);
  t.regex(String(first.secret.metadata.path), /^\/org\/freedesktop\/secrets\/collection\/login\/\d+$/);
  t.is(first.secret.metadata.label, undefined);
  // the same item as a read with metadata (versions are keyed per provider: not comparable across two)
  const full = secretsOn(t, fixture.daemon);
  const again = await firstValueFrom(full.get(refs[0] as string));
  t.is(again.metadata.path, first.secret.metadata.path);
  t.is(typeof first.secret.version, 'string');
});
