// The provider's item cache (search results and item properties, invalidated by signals): what a repeated read
// costs, and that no change made by another client (or a service restart) is ever served stale.
import test, { type ExecutionContext } from 'ava';
import { firstValueFrom } from 'rxjs';
import { isSecretNotFoundError, makeRef, type Secret, type Secrets } from '../../src/index.js';
import type { SecretServiceClient, SecretServiceProvider } from '../../src/providers/secret-service/index.js';
import { countCalls } from '../support/secret-service-call-counter.js';
import { startSecretServiceDaemon } from '../support/secret-service-daemon.js';
import { LOGIN_COLLECTION, run, uniqueAttributes, useSecretServiceDaemon } from '../support/secret-service-fixture.js';
import { refFor, secretsOn } from '../support/secret-service-provider-fixture.js';

const fixture = useSecretServiceDaemon(test);

async function itemOf(client: SecretServiceClient, attributes: Record<string, string>) {
  const [item] = await client.collection(LOGIN_COLLECTION).searchItems(attributes);
  if (!item) throw new Error('no such item');
  return item;
}

const read = (secrets: Secrets, ref: string) => firstValueFrom(secrets.get(ref));

// call counts: serial, since another test's write into the same collection drops its cached searches
test.serial('a repeated getMany costs one GetSecrets and an alias read, no search or property read', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const group = uniqueAttributes();
  const refs = Array.from({ length: 20 }, (_, i) => refFor({ ...group, n: String(i) }));
  for (const [i, ref] of refs.entries()) await firstValueFrom(secrets.set(ref, `value-${i}`));
  await firstValueFrom(secrets.getMany(refs));
  const calls = await countCalls(secrets);
  const results = await firstValueFrom(secrets.getMany(refs));
  t.deepEqual(
    results.map((r) => (r.ok ? r.secret.value : r.error.message)),
    refs.map((_, i) => `value-${i}`),
  );
  t.true(results.every((r) => r.ok && r.secret.tags.n !== undefined && r.secret.updatedAt instanceof Date));
  t.deepEqual(calls(), { ReadAlias: 1, GetSecrets: 1 });
});

test.serial('a ref naming its collection by path: a ping instead of the alias read', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const ref = refFor(uniqueAttributes(), LOGIN_COLLECTION);
  await firstValueFrom(secrets.set(ref, 'by path'));
  await read(secrets, ref);
  const calls = await countCalls(secrets);
  t.is((await read(secrets, ref)).value, 'by path');
  t.deepEqual(calls(), { Ping: 1, GetSecrets: 1 });
});

test('cacheItems: false reads searches and properties every time', async (t) => {
  const secrets = secretsOn(t, fixture.daemon, { cacheItems: false });
  const ref = refFor(uniqueAttributes());
  await firstValueFrom(secrets.set(ref, 'v'));
  await read(secrets, ref);
  const calls = await countCalls(secrets);
  t.is((await read(secrets, ref)).value, 'v');
  t.deepEqual(calls(), { ReadAlias: 1, SearchItems: 1, GetAll: 1, GetSecrets: 1 });
});

test('label and attribute changes by another client are seen by the next read', async (t) => {
  const other = await fixture.client();
  const secrets = secretsOn(t, fixture.daemon);
  const attributes = uniqueAttributes({ app: 'cache' });
  const ref = refFor(attributes);
  await firstValueFrom(secrets.set(ref, 'v', { label: 'first' }));
  t.is((await read(secrets, ref)).metadata.label, 'first');
  const item = await itemOf(other, attributes);
  await item.setLabel('second');
  t.is((await read(secrets, ref)).metadata.label, 'second');
  const moved = { ...attributes, app: 'moved' };
  await item.setAttributes(moved);
  t.true(isSecretNotFoundError(await t.throwsAsync(read(secrets, ref))));
  const secret = await read(secrets, refFor(moved));
  t.is(secret.value, 'v');
  t.is(secret.tags.app, 'moved');
});

test('a newer match stored by secret-tool, then its deletion, are seen by the next reads', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const attributes = uniqueAttributes();
  const ref = refFor(attributes);
  await firstValueFrom(secrets.set(ref, 'ours'));
  t.is((await read(secrets, ref)).value, 'ours');
  // an extra attribute makes it a second match; it is the newer one (or, in the same second, the higher id)
  const extra = [...Object.entries(attributes).flat(), 'extra', 'x'];
  await run(fixture.daemon, 'secret-tool', ['store', '--label=outside', ...extra], 'theirs');
  t.is((await read(secrets, ref)).value, 'theirs');
  await run(fixture.daemon, 'secret-tool', ['clear', ...extra]);
  t.is((await read(secrets, ref)).value, 'ours');
  await run(fixture.daemon, 'secret-tool', ['clear', ...Object.entries(attributes).flat()]);
  t.true(isSecretNotFoundError(await t.throwsAsync(read(secrets, ref))));
});

test('a SetSecret by another client (no signal) updates the value and, once seen, updatedAt', async (t) => {
  const other = await fixture.client();
  const secrets = secretsOn(t, fixture.daemon);
  const attributes = uniqueAttributes();
  const ref = refFor(attributes);
  await firstValueFrom(secrets.set(ref, 'before'));
  const first = await read(secrets, ref);
  // gnome-keyring's Modified counts whole seconds of the machine's real clock, which no fake timer reaches: wait
  // until that clock is into the next second after the first write (at most 1 s), so the change can show in it
  const nextSecond = (first.updatedAt?.getTime() ?? Date.now()) + 1000;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextSecond - Date.now()) + 1));
  await (await itemOf(other, attributes)).setSecret('after');
  const second = await read(secrets, ref);
  t.is(second.value, 'after');
  t.not(second.version, first.version);
  t.true((second.updatedAt?.getTime() ?? 0) > (first.updatedAt?.getTime() ?? 0));
});

test.serial('listing with values twice: the second page costs its GetSecrets only', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const group = uniqueAttributes();
  for (let i = 0; i < 5; i++) await firstValueFrom(secrets.set(refFor({ ...group, n: String(i) }), `v${i}`));
  const prefix = refFor(group);
  const list = async () => {
    const values: unknown[] = [];
    for await (const secret of secrets.list(prefix, { withValues: true })) values.push(secret.value);
    return values.sort();
  };
  t.deepEqual(await list(), ['v0', 'v1', 'v2', 'v3', 'v4']);
  const calls = await countCalls(secrets);
  t.deepEqual(await list(), ['v0', 'v1', 'v2', 'v3', 'v4']);
  t.deepEqual(calls(), { ReadAlias: 1, GetSecrets: 1 });
});

async function ownDaemon(t: ExecutionContext) {
  const daemon = await startSecretServiceDaemon();
  t.teardown(() => daemon.stop());
  return daemon;
}

test('after the service restarts nothing cached is served: the next read searches again', async (t) => {
  const daemon = await ownDaemon(t);
  const secrets = secretsOn(t, daemon);
  const attributes = uniqueAttributes();
  const ref = refFor(attributes);
  await firstValueFrom(secrets.set(ref, 'kept'));
  await read(secrets, ref);
  await daemon.restart();
  const calls = await countCalls(secrets);
  t.is((await read(secrets, ref)).value, 'kept');
  const seen = calls();
  t.is(seen.SearchItems, 1);
  t.is(seen.GetAll, 1);
});

test.serial('two concurrent cold reads of the same refs share each item property read', async (t) => {
  const secrets = secretsOn(t, fixture.daemon);
  const group = uniqueAttributes();
  const names = [0, 1, 2, 3].map((i) => refFor({ ...group, n: String(i) }));
  const other = await fixture.client();
  for (const i of [0, 1, 2, 3]) {
    await other
      .collection(LOGIN_COLLECTION)
      .createItem({ label: `item ${i}`, attributes: { ...group, n: String(i) }, secret: `value-${i}` });
  }
  const provider = secrets.provider<SecretServiceProvider>('secret-service');
  const refs = names.map((text) => makeRef('secret-service', text.slice('secret-service:'.length)));
  const calls = await countCalls(secrets);
  const ctx = { signal: new AbortController().signal };
  // straight to the provider: the facade would already fold the second read into the first
  const getMany = provider.getMany?.bind(provider);
  if (!getMany) throw new Error('the provider has no getMany');
  const [first, second] = await Promise.all([getMany(refs, ctx), getMany(refs, ctx)]);
  const values = (results: ReadonlyArray<unknown>) =>
    results.map((r) => (r instanceof Error ? r.message : (r as Secret).value));
  t.deepEqual(values(first), ['value-0', 'value-1', 'value-2', 'value-3']);
  t.deepEqual(values(second), values(first));
  t.is(calls().GetAll, 4);
});
