// Errors, throttling and aborts of the Key Vault provider: typed, with the RestError as cause, never a value in a
// message; retried once by the core (the SDK's own retries are off); aborted requests end at the emulator.
import test from 'ava';
import { filter, firstValueFrom } from 'rxjs';
import {
  isAccessDeniedError,
  isProviderUnavailableError,
  isThrottledError,
  isTimeoutError,
  isValidationError,
  type RetryEvent,
  type ThrottledError,
} from '../../src/index.js';
import {
  type AzureFixture,
  assertNoValue,
  FAST_RETRY,
  freshName,
  startAzureFixture,
  stopAzureFixture,
} from '../support/azure-provider-fixture.js';
import { installFakeClock } from '../support/fake-clock.js';

const GET = 'GET /secrets/{name}/{version}';
let f: AzureFixture;
const retries: RetryEvent[] = [];
test.before(async () => {
  // maxDelay 1 s: the retry hints below (up to 2 s) stay under the core's cap of 4 × maxDelay
  f = await startAzureFixture({
    secrets: { retry: { ...FAST_RETRY, maxDelay: 1000, retries: 3, attemptTimeout: 300 } },
  });
  f.secrets.events.subscribe((event) => {
    if (event.type === 'retry') retries.push(event);
  });
  f.kv.store.setSecret('target', 'value');
  await firstValueFrom(f.secrets.get('azure-kv:target')); // the challenge handshake, out of the counts below
});
test.after.always(() => stopAzureFixture(f));
test.beforeEach(() => {
  f.kv.faults.clear();
  f.kv.stats.reset();
  retries.length = 0;
});

// hints above the core's own backoff (5 ms) and under its cap (4 × maxDelay), so each delay can only be the hint's
const hints = [
  ['Retry-After', { seconds: 2 }, 2000],
  ['retry-after-ms', { ms: 600 }, 600],
  ['x-ms-retry-after-ms', { ms: 400, header: 'x-ms-retry-after-ms' as const }, 400],
] as const;
for (const [header, retryAfter, ms] of hints) {
  test.serial(`a 429 with ${header} is retried by the core after the hinted delay, not by the SDK`, async (t) => {
    f.kv.faults.schedule({ kind: 'throttle', retryAfter });
    const announced = firstValueFrom(f.secrets.events.pipe(filter((event) => event.type === 'retry')));
    // fake timers for the core's backoff; the HTTP exchange with the emulator stays real
    const clock = installFakeClock(t, { toFake: ['setTimeout', 'clearTimeout'] });
    const read = firstValueFrom(f.secrets.get('azure-kv:target'));
    t.like(await announced, { attempt: 1, delayMs: ms });
    await clock.tickAsync(ms - 1);
    t.is(f.kv.stats.calls[GET], 1, 'no second request before the hinted delay');
    await clock.tickAsync(1);
    t.is((await read).value, 'value');
    t.is(f.kv.stats.calls[GET], 2);
    t.is(f.kv.stats.statuses[429], 1);
    t.is(retries.length, 1);
    const error = retries[0]?.error as ThrottledError;
    t.true(isThrottledError(error));
    t.is(error.retryAfterMs, ms);
  });
}

test.serial('a 429 without a hint is a ThrottledError the core still retries with its own backoff', async (t) => {
  f.kv.faults.schedule({ kind: 'throttle' });
  t.is((await firstValueFrom(f.secrets.get('azure-kv:target'))).value, 'value');
  t.is(f.kv.stats.calls[GET], 2);
  const error = retries[0]?.error as ThrottledError;
  t.true(isThrottledError(error));
  t.is(error.retryAfterMs, undefined);
  t.is((error.cause as { statusCode?: number }).statusCode, 429);
});

test.serial(
  '5xx answers are transient ProviderUnavailableErrors: one attempt each, retried by the core only',
  async (t) => {
    f.kv.faults.schedule({ kind: 'server-error', status: 503 }, { times: 2 });
    t.is((await firstValueFrom(f.secrets.get('azure-kv:target'))).value, 'value');
    t.is(f.kv.stats.calls[GET], 3, 'no SDK retries on top of the core’s');
    t.true(retries.every((r) => isProviderUnavailableError(r.error)));
    f.kv.faults.schedule({ kind: 'server-error', status: 500 }, { times: 4 });
    const error = await t.throwsAsync(firstValueFrom(f.secrets.get('azure-kv:target')));
    t.true(isProviderUnavailableError(error));
    t.true((error as { transient?: boolean }).transient);
  },
);

test.serial('a 403 that is not about a disabled secret is an AccessDeniedError, not retried', async (t) => {
  f.kv.faults.schedule({ kind: 'server-error', status: 403, code: 'Forbidden' });
  const error = await t.throwsAsync(firstValueFrom(f.secrets.get('azure-kv:target')));
  t.true(isAccessDeniedError(error));
  t.regex(error?.message ?? '', /403 Forbidden/);
  t.is(f.kv.stats.calls[GET], 1);
});

test.serial('a rejected write is a ValidationError whose messages never contain the value', async (t) => {
  const value = `tooLarge-${'x'.repeat(26 * 1024)}`;
  const error = await t.throwsAsync(firstValueFrom(f.secrets.set(`azure-kv:${freshName('big')}`, value)));
  t.true(isValidationError(error));
  t.is((error?.cause as { statusCode?: number } | undefined)?.statusCode, 400);
  assertNoValue(t, error, value);
  assertNoValue(t, error, 'tooLarge-');
});

test.serial('a hung request is ended by the core’s attempt timeout and retried', async (t) => {
  const hang = f.kv.faults.schedule({ kind: 'hang' }, { route: GET });
  const pending = firstValueFrom(f.secrets.get('azure-kv:target'));
  await hang.consumed;
  t.is((await pending).value, 'value');
  await f.kv.idle();
  t.is(f.kv.stats.clientAborted, 1, 'the emulator saw the timed-out request go away');
  t.is(f.kv.stats.calls[GET], 2);
  t.true(isTimeoutError(retries[0]?.error));
});

test.serial('unsubscribing aborts the request: the emulator sees the client leave', async (t) => {
  const hang = f.kv.faults.schedule({ kind: 'hang' }, { route: GET });
  const subscription = f.secrets.get('azure-kv:target').subscribe();
  await hang.consumed;
  subscription.unsubscribe();
  await f.kv.idle();
  t.is(f.kv.stats.clientAborted, 1);
  t.is(f.kv.stats.calls[GET], 1);
  t.is(retries.length, 0);
});

test.serial('follow-up pages of a listing carry the abort signal too', async (t) => {
  for (let i = 0; i < 3; i++) f.kv.store.setSecret(`paged-${i}`, 'v');
  const controller = new AbortController();
  const listing = f.secrets.list('azure-kv:', { pageSize: 1, signal: controller.signal });
  const iterator = listing[Symbol.asyncIterator]();
  await iterator.next();
  const hang = f.kv.faults.schedule({ kind: 'hang' }, { route: 'GET /secrets' });
  const next = iterator.next();
  await hang.consumed;
  controller.abort();
  await t.throwsAsync(next);
  await f.kv.idle();
  t.is(f.kv.stats.clientAborted, 1);
});
