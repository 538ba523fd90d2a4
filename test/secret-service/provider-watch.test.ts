import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { isSecretNotFoundError } from '../../src/index.js';
import type { SecretServiceProvider } from '../../src/providers/secret-service/index.js';
import { LOGIN_COLLECTION, monitorBus, run, uniqueAttributes } from '../support/secret-service-fixture.js';
import { countEvents, holdWatch, refFor, secretsOn } from '../support/secret-service-provider-fixture.js';
import { daemonFor } from '../support/secret-service-test-daemon.js';

test('a secret-tool store is pushed by its signal: no probe, and the latency is printed', async (t) => {
  const daemon = await daemonFor(t);
  const secrets = secretsOn(t, daemon);
  const counts = countEvents(secrets);
  const attributes = uniqueAttributes({ service: 'watched' });
  const ref = refFor(attributes);
  await firstValueFrom(secrets.set(ref, 'v1'));
  const watch = holdWatch(t, secrets, ref, { interval: '1h' });
  await watch.until((value) => value === 'v1');
  const client = await secrets.provider<SecretServiceProvider>('secret-service').client();
  await client.connection.matchesReady();

  const monitor = await monitorBus(daemon.address, ["type='signal',member='ItemCreated'"]);
  t.teardown(() => monitor.stop());
  const signalled = monitor.waitFor((message) => message.member === 'ItemCreated').then(() => performance.now());
  const started = performance.now();
  await run(daemon, 'secret-tool', ['store', '--label=outside', ...Object.entries(attributes).flat()], 'v2');
  const { secret, at } = await watch.until((value) => value === 'v2');
  const signalledAt = await signalled;
  t.is(secret.value, 'v2');
  t.is(counts.probes(), 0, 'no probe for a signalled change');
  t.log(
    `secret-tool store → emission: ${(at - started).toFixed(1)} ms (process included); ` +
      `ItemCreated on the bus → emission: ${(at - signalledAt).toFixed(1)} ms`,
  );
  // the < 100 ms goal is measured by the benchmark on a quiet machine, not asserted here: the poll is an hour away
  // and no probe ran, so the emission was pushed by the signal
});

test('a SetSecret (no signal) is seen by the poll', async (t) => {
  const daemon = await daemonFor(t);
  const secrets = secretsOn(t, daemon);
  const counts = countEvents(secrets);
  const attributes = uniqueAttributes();
  const ref = refFor(attributes);
  await firstValueFrom(secrets.set(ref, 'before'));
  const watch = holdWatch(t, secrets, ref, { interval: 100 });
  await watch.until((value) => value === 'before');
  const client = await secrets.provider<SecretServiceProvider>('secret-service').client();
  const [item] = await client.collection(LOGIN_COLLECTION).searchItems(attributes);
  await item?.setSecret('after'); // same second as the write: a Modified-time probe could not tell
  await watch.until((value) => value === 'after');
  t.deepEqual(
    watch.values.map((s) => s.value),
    ['before', 'after'],
  );
  t.true(counts.probes() >= 1, JSON.stringify(counts.events.map((e) => e.type)));
});

test('a deleted item ends its watch with SecretNotFoundError', async (t) => {
  const daemon = await daemonFor(t);
  const secrets = secretsOn(t, daemon);
  const attributes = uniqueAttributes();
  const ref = refFor(attributes);
  await firstValueFrom(secrets.set(ref, 'doomed'));
  const watch = holdWatch(t, secrets, ref, { interval: '1h' });
  await watch.until(() => true);
  await (await secrets.provider<SecretServiceProvider>('secret-service').client()).connection.matchesReady();
  await run(daemon, 'secret-tool', ['clear', ...Object.entries(attributes).flat()]);
  t.true(isSecretNotFoundError(await watch.ended));
});

test('a watch survives a daemon restart and sees a later change', async (t) => {
  const daemon = await daemonFor(t);
  const secrets = secretsOn(t, daemon);
  const attributes = uniqueAttributes();
  const ref = refFor(attributes);
  await firstValueFrom(secrets.set(ref, 'before restart'));
  const watch = holdWatch(t, secrets, ref, { interval: '1h' });
  await watch.until((value) => value === 'before restart');
  await daemon.restart();
  await run(daemon, 'secret-tool', ['store', '--label=outside', ...Object.entries(attributes).flat()], 'after restart');
  await watch.until((value) => value === 'after restart');
  t.deepEqual(
    watch.values.map((s) => s.value),
    ['before restart', 'after restart'],
  );
});
