// Watches held to the same contract on every Secret Service: pushed by signals where the service sends them, caught
// by the poll where it does not (gnome-keyring: SetSecret; KWallet: SetAttributes), one emission per change.
import { firstValueFrom } from 'rxjs';
import { isSecretNotFoundError, type Secrets } from '../../../src/index.js';
import { SecretServiceClient, type SecretServiceProvider } from '../../../src/providers/secret-service/index.js';
import type { SecretServiceWorld } from '../../support/secret-service-contract-fixture.js';
import { run, uniqueAttributes } from '../../support/secret-service-fixture.js';
import { countEvents, holdWatch, refFor } from '../../support/secret-service-provider-fixture.js';

/** Registers the watch scenarios for one service. */
export function watchContract(world: SecretServiceWorld): void {
  // KeePassXC re-sends item signals by the hundred per change (1170 for two changes in one run); once its database
  // holds a few dozen items, a pushed change was now and then never seen (open question, see the README): there the
  // poll is the backstop, elsewhere the poll is an hour away and the change must be pushed
  const pushed = world.kind !== 'keepassxc';
  const interval = pushed ? '1h' : 500;
  /**
   * Waits until the provider's signal matches are active on the bus: a change another connection makes before that
   * would not reach the watch as a signal (the poll would catch it later).
   */
  const feedReady = async (secrets: Secrets) =>
    (await secrets.provider<SecretServiceProvider>('secret-service').client()).connection.matchesReady();

  /** Another client on the service's bus (a second application), closed when the test ends. */
  const otherClient = async (t: { teardown(fn: () => Promise<void>): void }) => {
    const client = await SecretServiceClient.connect({ address: world.service.address });
    t.teardown(() => client.close());
    return client;
  };

  world.test("another application's changes are pushed by signals: one emission per change, no probe", async (t) => {
    const secrets = world.secrets(t);
    const counts = countEvents(secrets);
    const attributes = uniqueAttributes({ service: 'watched' });
    const ref = refFor(attributes);
    await firstValueFrom(secrets.set(ref, 'v1'));
    const watch = holdWatch(t, secrets, ref, { interval });
    await watch.until((value) => value === 'v1');
    await feedReady(secrets);
    // secret-tool stores over the item (CreateItem with replace). KeePassXC 2.7.4 asks the user before a client
    // overwrites another's item, so there the other application changes the value in place (SetSecret), which
    // KeePassXC signals (gnome-keyring does not). KWallet's replace has a window in which the item cannot be found
    // (about one run in six ended the watch with SecretNotFoundError: a known open problem, see the README), so
    // there too the change is made in place.
    const client = await otherClient(t);
    const [item] = await client.collection(world.service.defaultCollection).searchItems(attributes);
    const store = async (value: string) => {
      if (world.kind === 'keepassxc' || world.kind === 'kwallet') await item?.setSecret(value);
      else
        await run(
          world.service,
          'secret-tool',
          ['store', '--label=outside', ...Object.entries(attributes).flat()],
          value,
        );
    };
    await store('v2');
    await watch.until((value) => value === 'v2');
    await store('v3');
    await watch.until((value) => value === 'v3');
    t.deepEqual(
      watch.values.map((s) => s.value),
      ['v1', 'v2', 'v3'],
    );
    if (pushed) t.is(counts.probes(), 0, 'pushed, not polled');
  });

  world.test('a value changed in place (SetSecret) is seen, by its signal or by the poll', async (t) => {
    const secrets = world.secrets(t);
    const attributes = uniqueAttributes();
    const ref = refFor(attributes);
    await firstValueFrom(secrets.set(ref, 'before'));
    const watch = holdWatch(t, secrets, ref, { interval: 100 });
    await watch.until((value) => value === 'before');
    await feedReady(secrets);
    const client = await otherClient(t);
    const [item] = await client.collection(world.service.defaultCollection).searchItems(attributes);
    await item?.setSecret('after');
    await watch.until((value) => value === 'after');
    t.deepEqual(
      watch.values.map((s) => s.value),
      ['before', 'after'],
    );
  });

  world.test('changed attributes (SetAttributes) move a ref to another item, by signal or by the poll', async (t) => {
    const secrets = world.secrets(t);
    const counts = countEvents(secrets);
    const group = uniqueAttributes();
    await firstValueFrom(secrets.set(refFor({ ...group, role: 'primary', id: 'x' }), 'x'));
    await firstValueFrom(secrets.set(refFor({ ...group, role: 'standby', id: 'y' }), 'y'));
    const ref = refFor({ ...group, role: 'primary' });
    const watch = holdWatch(t, secrets, ref, { interval: world.kind === 'kwallet' ? 100 : interval });
    await watch.until((value) => value === 'x');
    await feedReady(secrets);
    const client = await otherClient(t);
    const collection = client.collection(world.service.defaultCollection);
    const [x] = await collection.searchItems({ ...group, id: 'x' });
    const [y] = await collection.searchItems({ ...group, id: 'y' });
    // y first: were x retired first, for a moment nothing would match and the watch would rightly end (not found)
    await y?.setAttributes({ ...group, role: 'primary', id: 'y' });
    await x?.setAttributes({ ...group, role: 'retired', id: 'x' });
    await watch.until((value) => value === 'y');
    t.deepEqual(
      watch.values.map((s) => s.value),
      ['x', 'y'],
    );
    // KWallet sends no signal for SetAttributes: only the poll can have seen it
    if (world.kind === 'kwallet') t.true(counts.probes() >= 1);
    else if (pushed) t.is(counts.probes(), 0, 'pushed by ItemChanged');
  });

  world.test('a deleted item ends its watch with SecretNotFoundError', async (t) => {
    const secrets = world.secrets(t);
    const attributes = uniqueAttributes();
    const ref = refFor(attributes);
    await firstValueFrom(secrets.set(ref, 'doomed'));
    const watch = holdWatch(t, secrets, ref, { interval: '1h' });
    await watch.until(() => true);
    await feedReady(secrets);
    await run(world.service, 'secret-tool', ['clear', ...Object.entries(attributes).flat()]);
    t.true(isSecretNotFoundError(await watch.ended));
  });
}
