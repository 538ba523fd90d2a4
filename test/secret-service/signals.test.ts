import test from 'ava';
import { firstValueFrom, type Observable, Subject, take, timeout, toArray } from 'rxjs';
import { isValidationError } from '../../src/core/errors/index.js';
import {
  type CollectionEvent,
  collectionEvents,
  dropEchoes,
  type EmittedEvent,
} from '../../src/providers/secret-service/index.js';
import { LOGIN_COLLECTION, run, uniqueAttributes, useSecretServiceDaemon } from '../support/secret-service-fixture.js';

const fixture = useSecretServiceDaemon(test);

/** Collects events until `count` arrived; fails (naming the test) when one does not come within 5 s. */
function next(events: Observable<CollectionEvent>, count: number): Promise<CollectionEvent[]> {
  return firstValueFrom(events.pipe(timeout({ each: 5000 }), take(count), toArray()));
}

test('store, label change and delete arrive as itemCreated, itemChanged and itemDeleted', async (t) => {
  const client = await fixture.client();
  const collection = client.collection(await fixture.daemon.createCollection('signals'));
  const events = collection.events();
  const received = next(events, 4);
  await client.connection.matchesReady();

  const item = await collection.createItem({ label: 'watched', attributes: uniqueAttributes(), secret: 'v1' });
  await item.setSecret('v2'); // gnome-keyring emits nothing for SetSecret
  await item.setLabel('renamed');
  await collection.createItem({ label: 'watched', attributes: await item.attributes(), secret: 'v3', replace: true });
  await item.delete();

  t.deepEqual(await received, [
    { type: 'itemCreated', collection: collection.path, item: item.path },
    { type: 'itemChanged', collection: collection.path, item: item.path },
    // storing over an existing item is announced as created again
    { type: 'itemCreated', collection: collection.path, item: item.path },
    { type: 'itemDeleted', collection: collection.path, item: item.path },
  ]);
});

// serial: other tests in this file also write to the login collection
test.serial('changes made by another client (secret-tool) arrive too', async (t) => {
  const client = await fixture.client();
  const received = next(client.collection(LOGIN_COLLECTION).events(), 1);
  await client.connection.matchesReady();
  const attributes = uniqueAttributes();
  await run(
    fixture.daemon,
    'secret-tool',
    ['store', '--label=from secret-tool', ...Object.entries(attributes).flat()],
    'x',
  );
  const [event] = await received;
  const [item] = await client.collection(LOGIN_COLLECTION).searchItems(attributes);
  t.deepEqual(event, { type: 'itemCreated', collection: LOGIN_COLLECTION, item: item?.path ?? 'missing' });
});

test('events of other collections are not delivered', async (t) => {
  const client = await fixture.client();
  const watched = client.collection(await fixture.daemon.createCollection('watched-only'));
  const other = client.collection(await fixture.daemon.createCollection('not-watched'));
  const received = next(watched.events(), 1);
  await client.connection.matchesReady();
  await other.createItem({ label: 'elsewhere', attributes: uniqueAttributes(), secret: 'x' });
  const mine = await watched.createItem({ label: 'here', attributes: uniqueAttributes(), secret: 'x' });
  t.deepEqual(await received, [{ type: 'itemCreated', collection: watched.path, item: mine.path }]);
});

test('lock state changes and collection deletion are reported', async (t) => {
  const client = await fixture.client();
  const collection = client.collection(await fixture.daemon.createCollection('doomed'));
  const received = next(collection.events(), 2);
  await client.connection.matchesReady();
  await fixture.daemon.lock(collection.path);
  await collection.delete();
  t.deepEqual(await received, [
    { type: 'collectionChanged', collection: collection.path },
    { type: 'collectionDeleted', collection: collection.path },
  ]);
});

test('an alias path is refused: services emit nothing there', (t) => {
  const error = t.throws(() => collectionEvents({} as never, '/org/freedesktop/secrets/aliases/default'));
  t.true(isValidationError(error));
});

test('the same change announced on two paths is delivered once; repeats on one path are all delivered', (t) => {
  const source = new Subject<EmittedEvent>();
  const delivered: CollectionEvent[] = [];
  source.pipe(dropEchoes(60_000)).subscribe((event) => delivered.push(event));
  const changed = { type: 'itemChanged', collection: '/c', item: '/c/1' } as const;
  const created = { type: 'itemCreated', collection: '/c', item: '/c/1' } as const;
  source.next({ event: changed, emittedOn: '/c' });
  source.next({ event: changed, emittedOn: '/aliases/default' }); // the KeePassXC echo
  source.next({ event: created, emittedOn: '/c' });
  source.next({ event: created, emittedOn: '/c' }); // a second store right after the first: a real change
  source.next({ event: changed, emittedOn: '/c' });
  t.deepEqual(delivered, [changed, created, created, changed]);
});

test.serial(
  'listening on an alias path as well maps its items to the real collection and drops the duplicates',
  async (t) => {
    // gnome-keyring emits only on the real path, so this proves the alias subscription is harmless: one event each
    const client = await fixture.client();
    const events = client
      .collection(LOGIN_COLLECTION)
      .events({ aliasPaths: ['/org/freedesktop/secrets/aliases/default'] });
    const received = next(events, 2);
    await client.connection.matchesReady();
    const item = await client
      .collection(LOGIN_COLLECTION)
      .createItem({ label: 'a', attributes: uniqueAttributes(), secret: 'a' });
    await item.delete();
    t.deepEqual(
      (await received).map((event) => event.type),
      ['itemCreated', 'itemDeleted'],
    );
  },
);
