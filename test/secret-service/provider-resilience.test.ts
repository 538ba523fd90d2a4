import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { createSecrets, isProviderUnavailableError } from '../../src/index.js';
import { secretService } from '../../src/providers/secret-service/index.js';
import { modulesLoadedBy, runJsonScript } from '../support/child-process.js';
import { uniqueAttributes } from '../support/secret-service-fixture.js';
import { countEvents, holdWatch, refFor, secretsOn } from '../support/secret-service-provider-fixture.js';
import { daemonFor } from '../support/secret-service-test-daemon.js';
import { AT_ONCE_MS, LONG_TIMEOUT_MS, since } from '../support/timing.js';

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
  const secrets = secretsOn(t, daemon, { callTimeout: LONG_TIMEOUT_MS });
  const started = performance.now();
  const error = await t.throwsAsync(firstValueFrom(secrets.get(refFor(uniqueAttributes()))));
  t.true(isProviderUnavailableError(error), String(error));
  t.regex((error as Error).message, /not available|org\.freedesktop\.secrets/);
  t.true(since(started) < AT_ONCE_MS, 'the bus answered at once, not at the call timeout');
});

test('a bus address with nothing listening: ProviderUnavailableError, no hang', async (t) => {
  const secrets = createSecrets({
    providers: [secretService({ bus: 'unix:path=/tmp/rxss-no-such-dir/bus' })],
    retry: { retries: 1 },
  });
  t.teardown(() => secrets.close());
  const error = await t.throwsAsync(firstValueFrom(secrets.get(refFor(uniqueAttributes()))));
  t.true(isProviderUnavailableError(error), String(error));
  // no hang: it failed on the connect error itself, not on a connect or call timeout
  t.is((error?.cause as NodeJS.ErrnoException | undefined)?.code, 'ENOENT');
});

test('a lost bus: calls fail fast with a transient ProviderUnavailableError, and the watch stays alive', async (t) => {
  const daemon = await daemonFor(t);
  const secrets = secretsOn(t, daemon, { retries: 0, callTimeout: LONG_TIMEOUT_MS });
  const counts = countEvents(secrets);
  const ref = refFor(uniqueAttributes());
  await firstValueFrom(secrets.set(ref, 'kept'));
  const watch = holdWatch(t, secrets, ref, { interval: 50 });
  await watch.until((value) => value === 'kept');
  await daemon.killBus();
  const started = performance.now();
  const error = await t.throwsAsync(firstValueFrom(secrets.get(ref)));
  t.true(isProviderUnavailableError(error) && error.transient, String(error));
  t.true(since(started) < AT_ONCE_MS, 'failed at once on the lost bus, not at the call timeout');
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
