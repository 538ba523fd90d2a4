import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { isLockedError, isSecretNotFoundError } from '../../src/core/errors/index.js';
import {
  LOGIN_COLLECTION,
  monitorBus,
  uniqueAttributes,
  useSecretServiceDaemon,
} from '../support/secret-service-fixture.js';

const fixture = useSecretServiceDaemon(test);

test('create, read, replace and delete an item', async (t) => {
  const client = await fixture.client();
  const login = client.collection(LOGIN_COLLECTION);
  const attributes = uniqueAttributes({ service: 'db', user: 'root' });
  const before = Math.floor(Date.now() / 1000);
  const item = await login.createItem({ label: 'db root', attributes, secret: 'first' });
  t.true(item.path.startsWith(`${LOGIN_COLLECTION}/`));
  t.is((await item.secret()).text(), 'first');
  const properties = await item.properties();
  t.is(properties.label, 'db root');
  t.like(properties.attributes, attributes);
  t.false(properties.locked);
  t.true(properties.created >= before && properties.created <= Math.ceil(Date.now() / 1000));
  t.is(typeof properties.modified, 'number');
  t.is(await item.created(), properties.created);

  const replaced = await login.createItem({ label: 'db root v2', attributes, secret: 'second', replace: true });
  t.is(replaced.path, item.path, 'replace=true updates the item with the same attributes');
  t.is((await item.secret()).text(), 'second');
  t.is(await item.label(), 'db root v2');

  const another = await login.createItem({ label: 'dup', attributes, secret: 'third' }); // replace: false by default
  t.not(another.path, item.path);
  t.is((await login.searchItems(attributes)).length, 2);

  await item.delete();
  await another.delete();
  t.deepEqual(await login.searchItems(attributes), []);
  t.true(isSecretNotFoundError(await t.throwsAsync(item.secret())));
  const notFound = await t.throwsAsync(client.itemByPath(item.path));
  t.true(isSecretNotFoundError(notFound));
  t.true(notFound.message.includes(item.path));
});

test('secret, label and attributes can be changed in place', async (t) => {
  const client = await fixture.client();
  const item = await client
    .collection(LOGIN_COLLECTION)
    .createItem({ label: 'before', attributes: uniqueAttributes(), secret: 'v1' });
  await item.setSecret('v2 ✓');
  t.is((await item.secret()).text(), 'v2 ✓');
  t.is(await item.contentType(), 'text/plain');
  await item.setLabel('after');
  t.is(await item.label(), 'after');
  const attributes = uniqueAttributes({ kind: 'changed' });
  await item.setAttributes(attributes);
  // gnome-keyring adds `xdg:schema` when the attributes have none
  t.like(await item.attributes(), attributes);
  t.is((await client.itemByPath(item.path)).path, item.path);
});

test('a secret value never shows in logs, JSON or inspection', async (t) => {
  const client = await fixture.client();
  const item = await client
    .collection(LOGIN_COLLECTION)
    .createItem({ label: 'hidden', attributes: uniqueAttributes(), secret: 'do-not-print-me' });
  const secret = await item.secret();
  const { inspect } = await import('node:util');
  for (const shown of [String(secret), JSON.stringify(secret), inspect(secret), inspect({ secret }, { depth: 5 })]) {
    t.false(shown.includes('do-not-print-me'), shown);
  }
  t.deepEqual(Object.keys(secret), ['contentType']);
  t.is(secret.text(), 'do-not-print-me');
});

test('collections, aliases and search across collections', async (t) => {
  const client = await fixture.client();
  const paths = (await client.collections()).map((collection) => collection.path);
  t.true(paths.includes(LOGIN_COLLECTION));
  t.is((await client.readAlias('default'))?.path, LOGIN_COLLECTION);
  t.is(await client.readAlias('no-such-alias'), undefined);
  t.is((await firstValueFrom(client.defaultCollection()))?.path, LOGIN_COLLECTION);
  t.is(await client.collection(LOGIN_COLLECTION).label(), 'Login');

  const attributes = uniqueAttributes({ app: 'search' });
  const other = client.collection(await fixture.daemon.createCollection('search-other'));
  const inLogin = await client.collection(LOGIN_COLLECTION).createItem({ label: 'a', attributes, secret: 'a' });
  const inOther = await other.createItem({ label: 'b', attributes, secret: 'b' });
  const found = await client.searchItems(attributes);
  t.deepEqual(found.unlocked.map((item) => item.path).sort(), [inLogin.path, inOther.path].sort());
  t.deepEqual(found.locked, []);

  await fixture.daemon.lock(other.path);
  const afterLock = await client.searchItems(attributes);
  t.deepEqual(
    afterLock.unlocked.map((item) => item.path),
    [inLogin.path],
  );
  t.deepEqual(
    afterLock.locked.map((item) => item.path),
    [inOther.path],
  );
});

test('GetSecrets reads many items in one call and reports locked and missing items', async (t) => {
  const client = await fixture.client();
  const attributes = uniqueAttributes({ app: 'batch' });
  const login = client.collection(LOGIN_COLLECTION);
  const lockedCollection = client.collection(await fixture.daemon.createCollection('batch-locked'));
  const open = await Promise.all(
    [0, 1, 2].map((index) =>
      login.createItem({
        label: `open ${index}`,
        attributes: { ...attributes, index: `${index}` },
        secret: `open-${index}`,
      }),
    ),
  );
  const closed = await lockedCollection.createItem({ label: 'closed', attributes, secret: 'closed' });
  const gone = await login.createItem({ label: 'gone', attributes: { ...attributes, gone: 'yes' }, secret: 'gone' });
  await gone.delete();
  await fixture.daemon.lock(lockedCollection.path);

  const result = await client.getSecrets([...open, closed, gone]);
  t.deepEqual(
    [...result.secrets.entries()].map(([path, secret]) => [path, secret.text()]).sort(),
    open.map((item, index) => [item.path, `open-${index}`]).sort(),
  );
  t.deepEqual(result.locked, [closed.path]);
  t.deepEqual(result.missing, [gone.path]);
});

test('lock and unlock: a locked collection refuses reads with LockedError until unlocked', async (t) => {
  const client = await fixture.client();
  const collection = client.collection(await fixture.daemon.createCollection('lockable'));
  const item = await collection.createItem({ label: 'l', attributes: uniqueAttributes(), secret: 'locked value' });

  t.deepEqual(await firstValueFrom(collection.lock()), [collection.path]);
  t.true(await collection.isLocked());
  t.true(await item.isLocked());
  const locked = await t.throwsAsync(item.secret());
  t.true(isLockedError(locked));
  t.false(locked.message.includes('locked value'));
  t.true(
    isLockedError(
      await t.throwsAsync(collection.createItem({ label: 'x', attributes: uniqueAttributes(), secret: 'x' })),
    ),
  );

  await fixture.daemon.unlock(collection.path);
  t.false(await collection.isLocked());
  t.is((await item.secret()).text(), 'locked value');
  // unlocking something already unlocked needs no prompt
  t.deepEqual(await firstValueFrom(client.unlock([collection])), [collection.path]);
});

test('collection label, item listing and delete', async (t) => {
  const client = await fixture.client();
  const collection = client.collection(await fixture.daemon.createCollection('to-delete'));
  t.is(await collection.label(), 'to-delete');
  await collection.setLabel('renamed');
  t.is(await collection.label(), 'renamed');
  t.is(typeof (await collection.created()), 'number');
  const item = await collection.createItem({ label: 'i', attributes: uniqueAttributes(), secret: 'i' });
  t.deepEqual(
    (await collection.items()).map((each) => each.path),
    [item.path],
  );
  await collection.delete();
  t.false((await client.collections()).some((each) => each.path === collection.path));
  t.true(isSecretNotFoundError(await t.throwsAsync(collection.label())));
});

test('500 items: one GetSecrets call against item-by-item reads', async (t) => {
  const client = await fixture.client();
  // the in-memory `session` collection: gnome-keyring rewrites a disk keyring's file on every item, which makes
  // creating 500 items there take seconds and says nothing about our side
  const collection = client.collection('/org/freedesktop/secrets/collection/session');
  const attributes = uniqueAttributes({ app: 'bulk' });
  const createStart = performance.now();
  const items = await Promise.all(
    Array.from({ length: 500 }, (_, index) =>
      collection.createItem({
        label: `bulk ${index}`,
        attributes: { ...attributes, index: `${index}` },
        secret: `value-${index}`,
      }),
    ),
  );
  const createMs = performance.now() - createStart;
  const monitor = await monitorBus(fixture.daemon.address, ["member='GetSecrets'", "member='GetSecret'"]);
  t.teardown(() => monitor.stop());

  const batchStart = performance.now();
  const batch = await client.getSecrets(items);
  const batchMs = performance.now() - batchStart;
  t.is(batch.secrets.size, 500);
  t.is(batch.secrets.get(items[499]!.path)?.text(), 'value-499');

  const pipelinedStart = performance.now();
  const one = await Promise.all(items.map((item) => item.secret()));
  const pipelinedMs = performance.now() - pipelinedStart;
  t.is(one[42]?.text(), 'value-42');
  // the bus hands the monitor every call in order: once it has seen the 500th GetSecret on these items, it has seen
  // every GetSecrets sent before them (other tests of this file share the daemon: only calls on these items count)
  const ours = new Set(items.map((item) => item.path));
  let reads = 0;
  await monitor.waitFor((message) => message.member === 'GetSecret' && ours.has(message.path ?? '') && ++reads === 500);
  const batchCalls = monitor.messages.filter(
    (message) => message.member === 'GetSecrets' && (message.body[0] as string[]).some((path) => ours.has(path)),
  );
  t.is(batchCalls.length, 1, 'one GetSecrets call for the 500 items');
  t.deepEqual(new Set(batchCalls[0]?.body[0] as string[]), ours);
  t.log(
    `create 500 (pipelined): ${createMs.toFixed(0)} ms; GetSecrets 500: ${batchMs.toFixed(1)} ms; GetSecret x500 pipelined: ${pipelinedMs.toFixed(1)} ms`,
  );
});
