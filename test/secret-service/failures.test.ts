import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { isClosedError, isProviderUnavailableError, isTimeoutError } from '../../src/core/errors/index.js';
import { SecretServiceClient } from '../../src/providers/secret-service/index.js';
import { LOGIN_COLLECTION, monitorBus, uniqueAttributes } from '../support/secret-service-fixture.js';
import { daemonFor } from '../support/secret-service-test-daemon.js';
import { AT_ONCE_MS, LONG_TIMEOUT_MS, since } from '../support/timing.js';

/** A daemon for one test, stopped with it. */
async function clientFor(t: { teardown(fn: () => Promise<void>): void }, address: string, callTimeout?: number) {
  const client = await SecretServiceClient.connect({ address, ...(callTimeout === undefined ? {} : { callTimeout }) });
  t.teardown(() => client.close());
  return client;
}

test('a bus address whose socket does not exist fails fast with ProviderUnavailableError', async (t) => {
  const started = performance.now();
  const error = await t.throwsAsync(
    SecretServiceClient.connect({ address: 'unix:path=/tmp/rxss-no-such-dir/bus', connectTimeout: LONG_TIMEOUT_MS }),
  );
  t.true(isProviderUnavailableError(error), String(error));
  t.true(since(started) < AT_ONCE_MS, 'failed at once, not at the connect timeout');
});

test.serial(
  'no session bus at all (no DBUS_SESSION_BUS_ADDRESS, no DISPLAY) is ProviderUnavailableError',
  async (t) => {
    const saved = { address: process.env.DBUS_SESSION_BUS_ADDRESS, display: process.env.DISPLAY };
    delete process.env.DBUS_SESSION_BUS_ADDRESS;
    delete process.env.DISPLAY;
    try {
      const error = await t.throwsAsync(SecretServiceClient.connect());
      t.true(isProviderUnavailableError(error), String(error));
      t.false((error as { transient?: boolean }).transient);
    } finally {
      if (saved.address !== undefined) process.env.DBUS_SESSION_BUS_ADDRESS = saved.address;
      if (saved.display !== undefined) process.env.DISPLAY = saved.display;
    }
  },
);

test('a bus without a Secret Service: not available, and calls fail fast with ProviderUnavailableError', async (t) => {
  const daemon = await daemonFor(t, { busOnly: true });
  const client = await clientFor(t, daemon.address, LONG_TIMEOUT_MS);
  t.false(await client.isAvailable());
  t.true(isProviderUnavailableError(await t.throwsAsync(client.assertAvailable())));
  const started = performance.now();
  const error = await t.throwsAsync(client.searchItems({ any: 'thing' }));
  t.true(isProviderUnavailableError(error), String(error));
  t.true(since(started) < AT_ONCE_MS, 'failed at once, not at the call timeout');
});

test('a daemon that stops answering makes the call time out, and the client keeps working after', async (t) => {
  const daemon = await daemonFor(t);
  const client = await clientFor(t, daemon.address);
  await client.session();
  daemon.pauseKeyring();
  const started = performance.now();
  const error = await t.throwsAsync(client.readAlias('default', { timeout: 300 }));
  const elapsed = since(started);
  t.true(isTimeoutError(error), String(error));
  // a timer never fires early, so this lower bound cannot fail by chance; the paused daemon never answers, so the
  // test ending at all shows the timeout fired
  t.true(elapsed >= 290, `${elapsed} ms`);
  daemon.resumeKeyring();
  t.is((await client.readAlias('default'))?.path, LOGIN_COLLECTION);
});

test('an AbortSignal ends a call at once, before it is sent or while the daemon hangs on it', async (t) => {
  const daemon = await daemonFor(t);
  const client = await clientFor(t, daemon.address);
  await client.session();
  daemon.pauseKeyring();
  t.teardown(() => daemon.resumeKeyring());

  const early = new AbortController();
  const notSent = client.searchItems({ a: 'b' }, { signal: early.signal });
  early.abort();
  t.is((await t.throwsAsync(notSent)).name, 'AbortError');

  const monitor = await monitorBus(daemon.address, ["member='SearchItems'"]);
  t.teardown(() => monitor.stop());
  const late = new AbortController();
  const hanging = client.searchItems({ c: 'd' }, { signal: late.signal });
  await monitor.waitFor((message) => message.member === 'SearchItems' && message.body[0]?.c === 'd');
  late.abort();
  // the daemon is paused and the call timeout is 10 s away: only the abort can end the call, and it did
  t.is((await t.throwsAsync(hanging)).name, 'AbortError');
});

test('a daemon killed during a call ends the call with ProviderUnavailableError; a restarted one is used again', async (t) => {
  const daemon = await daemonFor(t);
  const client = await clientFor(t, daemon.address);
  const item = await client
    .collection(LOGIN_COLLECTION)
    .createItem({ label: 'k', attributes: uniqueAttributes(), secret: 'survives' });
  daemon.pauseKeyring();
  const pending = item.secret({ timeout: LONG_TIMEOUT_MS });
  await daemon.killKeyring('SIGKILL');
  const started = performance.now();
  const error = await t.throwsAsync(pending);
  t.true(isProviderUnavailableError(error), String(error));
  t.true(since(started) < AT_ONCE_MS, 'ended by the daemon going away, not by the call timeout');

  await daemon.restart();
  // the old session died with the daemon: the client must open a new one by itself
  t.is((await item.secret()).text(), 'survives');
});

test('a lost bus ends calls in flight, fires `lost`, and later calls fail fast', async (t) => {
  const daemon = await daemonFor(t);
  const client = await clientFor(t, daemon.address, LONG_TIMEOUT_MS);
  const lost = firstValueFrom(client.connection.lost);
  daemon.pauseKeyring();
  const pending = client.searchItems({ a: 'b' });
  const started = performance.now();
  await daemon.killBus();
  t.true(isProviderUnavailableError(await t.throwsAsync(pending)));
  t.true((await lost) instanceof Error);
  t.true(since(started) < AT_ONCE_MS, 'ended by the lost bus, not by the call timeout');
  t.true(client.connection.isClosed);
  t.true(isProviderUnavailableError(await t.throwsAsync(client.readAlias('default'))));
});

test('calls after close fail with ClosedError, calls in flight too', async (t) => {
  const daemon = await daemonFor(t);
  const client = await clientFor(t, daemon.address);
  daemon.pauseKeyring();
  t.teardown(() => daemon.resumeKeyring());
  const pending = client.readAlias('default');
  client.connection.close();
  t.true(isClosedError(await t.throwsAsync(pending)));
  t.true(isClosedError(await t.throwsAsync(client.readAlias('default'))));
});
