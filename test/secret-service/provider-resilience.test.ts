import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { createSecrets, isProviderUnavailableError } from '../../src/index.js';
import { secretService } from '../../src/providers/secret-service/index.js';
import { modulesLoadedBy, runJsonScript } from '../support/child-process.js';
import { startSecretServiceDaemon } from '../support/secret-service-daemon.js';
import { uniqueAttributes } from '../support/secret-service-fixture.js';
import { countEvents, holdWatch, refFor, secretsOn } from '../support/secret-service-provider-fixture.js';

async function daemonFor(
  t: { teardown(fn: () => Promise<void>): void },
  options?: Parameters<typeof startSecretServiceDaemon>[0],
) {
  const daemon = await startSecretServiceDaemon(options);
  t.teardown(() => daemon.stop());
  return daemon;
}

test('importing rxsecrets/secret-service and creating a provider loads no dbus-next', async (t) => {
  const urls = await modulesLoadedBy('test/support/secret-service-provider-lazy.ts');
  t.true(
    urls.some((url) => url.includes('/providers/secret-service/')),
    'the probe sees the provider load',
  );
  t.deepEqual(
    urls.filter((url) => url.includes('dbus-next')),
    [],
  );
});

test('a missing dbus-next is a permanent ProviderUnavailableError naming the package', async (t) => {
  const result = await runJsonScript<{ unavailable: boolean; transient: boolean; message: string }>(
    'test/support/secret-service-provider-without-sdk.ts',
  );
  t.true(result.unavailable);
  t.false(result.transient);
  t.regex(result.message, /npm install dbus-next/);
});

test('a bus without a Secret Service: a clear ProviderUnavailableError, fast, after the core retries', async (t) => {
  const daemon = await daemonFor(t, { busOnly: true });
  const secrets = secretsOn(t, daemon);
  const started = performance.now();
  const error = await t.throwsAsync(firstValueFrom(secrets.get(refFor(uniqueAttributes()))));
  const elapsed = performance.now() - started;
  t.true(isProviderUnavailableError(error), String(error));
  t.regex((error as Error).message, /not available|org\.freedesktop\.secrets/);
  t.true(elapsed < 3000, `${elapsed} ms`);
});

test('a bus address with nothing listening: ProviderUnavailableError, no hang', async (t) => {
  const secrets = createSecrets({
    providers: [secretService({ bus: 'unix:path=/tmp/rxss-no-such-dir/bus' })],
    retry: { retries: 1 },
  });
  t.teardown(() => secrets.close());
  const started = performance.now();
  const error = await t.throwsAsync(firstValueFrom(secrets.get(refFor(uniqueAttributes()))));
  t.true(isProviderUnavailableError(error), String(error));
  t.true(performance.now() - started < 2000);
});

test('a lost bus: calls fail fast with a transient ProviderUnavailableError, and the watch stays alive', async (t) => {
  const daemon = await daemonFor(t);
  const secrets = secretsOn(t, daemon, { retries: 0 });
  const counts = countEvents(secrets);
  const ref = refFor(uniqueAttributes());
  await firstValueFrom(secrets.set(ref, 'kept'));
  const watch = holdWatch(t, secrets, ref, { interval: 50 });
  await watch.until((value) => value === 'kept');
  await daemon.killBus();
  const started = performance.now();
  const error = await t.throwsAsync(firstValueFrom(secrets.get(ref)));
  t.true(isProviderUnavailableError(error) && error.transient, String(error));
  t.true(performance.now() - started < 1000);
  await new Promise<void>((resolve) => {
    const subscription = secrets.events.subscribe((event) => {
      if (event.type === 'watch-error') {
        subscription.unsubscribe();
        resolve();
      }
    });
  });
  t.false(
    counts.events.some((event) => event.type === 'watch-ended'),
    'a transient outage does not end the watch',
  );
  t.deepEqual(
    watch.values.map((s) => s.value),
    ['kept'],
  );
});
