// Lock and prompt edge cases against libsecret's mock services (fetched before the tests, see secret-service-mock.ts):
// an independent implementation whose prompts can be accepted, which a headless gnome-keyring cannot do.
import { randomUUID } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { firstValueFrom } from 'rxjs';
import {
  isAccessDeniedError,
  isLockedError,
  isPromptDismissedError,
  isProviderUnavailableError,
  isSecretNotFoundError,
  makeRef,
} from '../../src/index.js';
import { SecretServiceClient, type SecretServiceProvider } from '../../src/providers/secret-service/index.js';
import { startSecretServiceDaemon } from '../support/secret-service-daemon.js';
import { monitorBus } from '../support/secret-service-fixture.js';
import { libsecretMocks, type MockPrompts, startMockService } from '../support/secret-service-mock.js';
import { countEvents, holdWatch, secretsOn } from '../support/secret-service-provider-fixture.js';
import { requiresEverySuite } from '../support/test-dependencies.js';

const COLLECTIONS = '/org/freedesktop/secrets/collection';
/** `secret-service:<collection path>?<query>` */
const ref = (collection: string, query: string) =>
  makeRef('secret-service', `${COLLECTIONS}/${collection}?${query}`).text;

const source = await libsecretMocks();
// on a contributor's machine a missing mock skips its tests; under CI they run, and fail saying why
const skipMocks = 'unavailable' in source && !requiresEverySuite();
if (skipMocks) console.warn(`skipping the libsecret mock tests: ${source.unavailable}`);
const mockTest = skipMocks ? test.skip : test;

/** A private bus with only the given mock service on it. */
async function mockOn(t: ExecutionContext, name: string, prompts: MockPrompts = 'accept') {
  if ('unavailable' in source) throw new Error(source.unavailable);
  const daemon = await startSecretServiceDaemon({ busOnly: true });
  t.teardown(() => daemon.stop());
  const mock = await startMockService(source, daemon.address, daemon.env, name, prompts);
  t.teardown(() => mock.stop());
  return daemon;
}

mockTest('interactive: the unlock prompt is accepted, and the locked item is read', async (t) => {
  const daemon = await mockOn(t, 'lock');
  const secrets = secretsOn(t, daemon);
  t.is((await firstValueFrom(secrets.get(ref('lockprompt', 'string=three')))).value, 'tres');
});

mockTest('interactive: a dismissed unlock prompt is PromptDismissedError', async (t) => {
  const daemon = await mockOn(t, 'lock', 'dismiss');
  const secrets = secretsOn(t, daemon);
  const error = await t.throwsAsync(firstValueFrom(secrets.get(ref('lockprompt', 'string=three'))));
  t.true(isPromptDismissedError(error), String(error));
});

mockTest('non-interactive: LockedError, and no prompt is ever called', async (t) => {
  const daemon = await mockOn(t, 'lock');
  const monitor = await monitorBus(daemon.address, ["member='Prompt'", "member='Unlock'"]);
  t.teardown(() => monitor.stop());
  const secrets = secretsOn(t, daemon, { nonInteractive: true });
  const results = await firstValueFrom(
    secrets.getMany([ref('lockprompt', 'string=three'), ref('lockone', 'string=one')]),
  );
  t.true(results[0] !== undefined && !results[0].ok && isLockedError(results[0].error));
  t.true(results[1]?.ok && results[1].secret.value === 'uno');
  t.deepEqual(
    monitor.messages.filter((m) => m.member === 'Prompt' || m.member === 'Unlock'),
    [],
  );
});

mockTest('a locked collection that needs no prompt is unlocked on the way', async (t) => {
  const daemon = await mockOn(t, 'normal');
  const secrets = secretsOn(t, daemon);
  t.is((await firstValueFrom(secrets.get(ref('spanish', 'string=uno')))).value, '111');
});

mockTest('a delete the service wants confirmed: run its prompt, or refuse when non-interactive', async (t) => {
  const daemon = await mockOn(t, 'lock');
  const strict = secretsOn(t, daemon, { nonInteractive: true });
  const confirm = ref('lockone', 'string=two');
  t.true(isAccessDeniedError(await t.throwsAsync(firstValueFrom(strict.delete(confirm)))));
  t.true(await firstValueFrom(strict.exists(confirm)));
  const secrets = secretsOn(t, daemon);
  await firstValueFrom(secrets.delete(confirm));
  t.false(await firstValueFrom(secrets.exists(confirm)));
});

mockTest(
  'the client: a Delete answered with a prompt runs it; a dismissed prompt is PromptDismissedError',
  async (t) => {
    for (const prompts of ['accept', 'dismiss'] as const) {
      const daemon = await mockOn(t, 'lock', prompts);
      const client = await SecretServiceClient.connect({ address: daemon.address });
      t.teardown(() => client.close());
      const collection = client.collection(`${COLLECTIONS}/lockone`);
      const [item] = await collection.searchItems({ string: 'two' });
      if (!item) throw new Error('the lock mock has no item string=two');
      const monitor = await monitorBus(daemon.address, ["member='Prompt'"]);
      t.teardown(() => monitor.stop());
      const deleted = item.delete();
      if (prompts === 'dismiss') {
        // (the mock runs its delete even when the prompt is dismissed: only the outcome we report is checked)
        t.true(isPromptDismissedError(await t.throwsAsync(deleted)), prompts);
      } else {
        await deleted;
        t.deepEqual(await collection.searchItems({ string: 'two' }), [], 'the confirmed delete removed the item');
      }
      await monitor.waitFor((message) => message.member === 'Prompt');
    }
  },
);

mockTest('a service without signals: the watch poll still sees a SetSecret', async (t) => {
  const daemon = await mockOn(t, 'normal');
  const secrets = secretsOn(t, daemon);
  const counts = countEvents(secrets);
  const watched = ref('english', 'string=two');
  const watch = holdWatch(t, secrets, watched, { interval: 100 });
  await watch.until((value) => value === '222');
  const client = await secrets.provider<SecretServiceProvider>('secret-service').client();
  await client.item(`${COLLECTIONS}/english/2`).setSecret('changed');
  await watch.until((value) => value === 'changed');
  t.true(counts.probes() >= 1);
});

mockTest('a service without signals gets no item cache: an item created behind its back is read', async (t) => {
  const daemon = await mockOn(t, 'normal');
  const secrets = secretsOn(t, daemon);
  const id = randomUUID();
  const read = () => firstValueFrom(secrets.get(ref('english', `rxsecrets=${id}`)));
  t.true(isSecretNotFoundError(await t.throwsAsync(read())));
  const client = await secrets.provider<SecretServiceProvider>('secret-service').client();
  await client
    .collection(`${COLLECTIONS}/english`)
    .createItem({ label: 'new', attributes: { rxsecrets: id }, secret: 'new' });
  t.is((await read()).value, 'new');
});

mockTest('a service offering only plain sessions: refused by default, used with allowPlain', async (t) => {
  const daemon = await mockOn(t, 'only-plain');
  const strict = secretsOn(t, daemon, { retries: 0 });
  const error = await t.throwsAsync(firstValueFrom(strict.get(ref('english', 'string=one'))));
  t.false(isProviderUnavailableError(error) && error.transient, String(error));
  t.regex(String(error), /NotSupported|not supported/i);
  const relaxed = secretsOn(t, daemon, { allowPlain: true });
  t.is((await firstValueFrom(relaxed.get(ref('english', 'string=one')))).value, '111');
});

mockTest('cacheItems: true on a service that is not gnome-keyring: watch probes still search every time', async (t) => {
  const daemon = await mockOn(t, 'normal');
  const secrets = secretsOn(t, daemon, { cacheItems: true });
  const provider = secrets.provider<SecretServiceProvider>('secret-service');
  const refs = ['string=one', 'string=two'].map((query) => ref('english', query));
  await firstValueFrom(secrets.getMany(refs));
  const client = await provider.client();
  const searches = await monitorBus(daemon.address, [
    `type='method_call',sender='${client.connection.uniqueName}',member='SearchItems'`,
  ]);
  t.teardown(() => searches.stop());
  const parsed = refs.map((text) => makeRef('secret-service', text.slice('secret-service:'.length)));
  for (let i = 0; i < 2; i++) {
    const results = await provider.probe(parsed, { signal: new AbortController().signal });
    t.true(results.every((result) => 'version' in result));
  }
  // (the monitor also records its own bus traffic: Hello's reply, NameAcquired)
  const sent = () => searches.messages.filter((message) => message.member === 'SearchItems').length;
  await searches.waitFor(() => sent() >= 4);
  t.is(sent(), 4);
});
