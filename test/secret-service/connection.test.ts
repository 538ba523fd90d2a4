import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { isClosedError, isProviderUnavailableError, isSecretNotFoundError } from '../../src/core/errors/index.js';
import {
  Interfaces,
  SERVICE_PATH,
  SecretServiceClient,
  SecretServiceConnection,
} from '../../src/providers/secret-service/index.js';
import { LOGIN_COLLECTION, monitorBus } from '../support/secret-service-fixture.js';
import { daemonFor } from '../support/secret-service-test-daemon.js';

const searchItems = (attributes: Record<string, string>) => ({
  path: SERVICE_PATH,
  interface: Interfaces.service,
  member: 'SearchItems',
  signature: 'a{ss}',
  body: [attributes],
});

test('calls beyond maxCallsInFlight wait their turn, and a waiting call can be aborted', async (t) => {
  const daemon = await daemonFor(t);
  const connection = await SecretServiceConnection.open({ address: daemon.address, maxCallsInFlight: 1 });
  t.teardown(() => connection.close());
  const monitor = await monitorBus(daemon.address, ["member='SearchItems'"]);
  t.teardown(() => monitor.stop());
  daemon.pauseKeyring();

  const first = connection.call(searchItems({ n: '1' }));
  const controller = new AbortController();
  const second = connection.call(searchItems({ n: '2' }), { signal: controller.signal });
  const third = connection.call(searchItems({ n: '3' }));
  const sent = () =>
    monitor.messages.filter((message) => message.member === 'SearchItems').map((message) => message.body[0]?.n);
  await monitor.waitFor((message) => message.body[0]?.n === '1');
  controller.abort();
  t.is((await t.throwsAsync(second)).name, 'AbortError');
  t.deepEqual(sent(), ['1'], 'only one call went out');

  daemon.resumeKeyring();
  t.deepEqual(await first, [[], []]);
  t.deepEqual(await third, [[], []]);
  // the monitor sees the bus in order: had call 2 been sent, it would show before call 3
  await monitor.waitFor((message) => message.body[0]?.n === '3');
  t.deepEqual(sent(), ['1', '3'], 'the aborted call was never sent');
});

test('a missing object maps to SecretNotFoundError, with the path and no body in the message', async (t) => {
  const daemon = await daemonFor(t);
  const connection = await SecretServiceConnection.open({ address: daemon.address });
  t.teardown(() => connection.close());
  const error = await t.throwsAsync(
    connection.call({
      path: `${LOGIN_COLLECTION}/424242`,
      interface: Interfaces.properties,
      member: 'Get',
      signature: 'ss',
      body: [Interfaces.item, 'Label'],
    }),
  );
  t.true(isSecretNotFoundError(error), String(error));
  t.true(error.message.includes(`${LOGIN_COLLECTION}/424242`));
});

test('signal streams error with ProviderUnavailableError when the bus goes away', async (t) => {
  const daemon = await daemonFor(t);
  const connection = await SecretServiceConnection.open({ address: daemon.address });
  t.teardown(() => connection.close());
  const signals = firstValueFrom(connection.signals({ interface: Interfaces.collection })).catch(
    (error: unknown) => error,
  );
  await connection.matchesReady();
  await daemon.killBus();
  t.true(isProviderUnavailableError(await signals));
  t.true(connection.isClosed);
});

test('await using closes a client: its session is closed on the service and its calls end', async (t) => {
  const daemon = await daemonFor(t);
  const monitor = await monitorBus(daemon.address, ["member='Close'"]);
  t.teardown(() => monitor.stop());
  let scoped: SecretServiceClient | undefined;
  {
    await using client = await SecretServiceClient.connect({ address: daemon.address });
    scoped = client;
    const session = await client.session();
    t.truthy(session.path);
  }
  await monitor.waitFor((message) => message.member === 'Close');
  const error = await t.throwsAsync(scoped.isAvailable());
  t.true(isClosedError(error));
});
