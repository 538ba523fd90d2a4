import test from 'ava';
import { firstValueFrom } from 'rxjs';
import {
  ClosedError,
  createSecrets,
  isProviderError,
  isTimeoutError,
  ProviderUnavailableError,
  parseSecretRef,
  Secret,
  SecretNotFoundError,
  type SecretProvider,
  type SecretRef,
  type SecretsEvent,
} from '../../src/index.js';
import { installFakeClock } from '../support/fake-clock.js';

/** What one attempt of the scripted `get` does. */
type Step = 'hang' | 'transient' | 'not-found' | 'throw' | 'ok';

/** A provider whose `get` follows a script, one step per attempt, and records each attempt's AbortSignal. */
function scriptedProvider(steps: Step[]): SecretProvider & { readonly signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  const unsupported = () => Promise.reject(new Error('not scripted'));
  return {
    scheme: 'scripted',
    capabilities: { maxBatchProbe: 1, changeDetection: 'poll' },
    signals,
    validateRef() {},
    get(ref: SecretRef, ctx) {
      signals.push(ctx.signal);
      const step = steps.length > 1 ? steps.shift() : steps[0];
      if (step === 'throw') throw new TypeError('synchronous failure');
      if (step === 'hang') return new Promise<Secret>(() => {});
      if (step === 'transient') return Promise.reject(new ProviderUnavailableError('down'));
      if (step === 'not-found') return Promise.reject(new SecretNotFoundError('gone'));
      return Promise.resolve(new Secret({ ref, name: ref.name, version: String(signals.length) }, 'value'));
    },
    listPage: unsupported,
    set: unsupported,
    delete: unsupported,
    probe: unsupported,
  };
}

const FAST = { minDelay: 1, maxDelay: 5, jitter: false } as const;

/** A promise's outcome, readable at any time without awaiting it. */
function settled<T>(promise: Promise<T>): { state: 'pending' | 'fulfilled' | 'rejected'; reason?: unknown } {
  const outcome: { state: 'pending' | 'fulfilled' | 'rejected'; reason?: unknown } = { state: 'pending' };
  promise.then(
    () => {
      outcome.state = 'fulfilled';
    },
    (reason: unknown) => {
      outcome.state = 'rejected';
      outcome.reason = reason;
    },
  );
  return outcome;
}

test('a first attempt that hangs is aborted with a TimeoutError at the attempt timeout, then retried', async (t) => {
  const provider = scriptedProvider(['hang', 'ok']);
  const secrets = createSecrets({
    providers: [provider],
    cache: false,
    retry: { ...FAST, retries: 2, attemptTimeout: 30 },
  });
  const events: SecretsEvent[] = [];
  secrets.events.subscribe((event) => events.push(event));
  const secret = await firstValueFrom(secrets.get('scripted:a'));
  t.is(secret.version, '2');
  t.is(provider.signals.length, 2);
  t.true(provider.signals[0]?.aborted);
  t.true(isTimeoutError(provider.signals[0]?.reason));
  t.false(provider.signals[1]?.aborted);
  const retries = events.filter((event) => event.type === 'retry');
  t.is(retries.length, 1);
  t.like(retries[0], { provider: 'scripted', operation: 'get', ref: 'scripted:a', attempt: 1 });
  await secrets.close();
});

test.serial('the overall deadline cuts the first attempt short', async (t) => {
  const clock = installFakeClock(t);
  const provider = scriptedProvider(['hang']);
  const secrets = createSecrets({
    providers: [provider],
    cache: false,
    retry: { ...FAST, retries: 0, attemptTimeout: '10s', deadline: 30 },
  });
  const outcome = settled(firstValueFrom(secrets.get('scripted:a')));
  await clock.tickAsync(29);
  t.is(outcome.state, 'pending', 'still running 1 ms before the deadline');
  await clock.tickAsync(1);
  t.is(outcome.state, 'rejected', 'ended at the 30 ms deadline, not the 10 s attempt timeout');
  t.true(isTimeoutError(outcome.reason));
  t.true(provider.signals[0]?.aborted);
  await secrets.close();
});

test('transient failures are retried; permanent ones and synchronous throws are not', async (t) => {
  const flaky = scriptedProvider(['transient', 'transient', 'ok']);
  const secrets = createSecrets({ providers: [flaky], cache: false, retry: { ...FAST, retries: 3 } });
  t.is((await firstValueFrom(secrets.get('scripted:a'))).version, '3');
  await secrets.close();

  const gone = scriptedProvider(['not-found']);
  const second = createSecrets({ providers: [gone], cache: false, retry: { ...FAST, retries: 3 } });
  await t.throwsAsync(firstValueFrom(second.get('scripted:a')), { instanceOf: SecretNotFoundError });
  t.is(gone.signals.length, 1);
  await second.close();

  const broken = scriptedProvider(['throw']);
  const third = createSecrets({ providers: [broken], cache: false, retry: { ...FAST, retries: 3 } });
  const error = await t.throwsAsync(firstValueFrom(third.get('scripted:a')));
  t.true(isProviderError(error));
  t.false(String(error?.message).includes('synchronous failure'), 'the native message is not quoted');
  t.is(broken.signals.length, 1);
  await third.close();
});

test.serial('unsubscribing aborts the attempt in flight, and the subscriber hears nothing more', async (t) => {
  const clock = installFakeClock(t);
  const provider = scriptedProvider(['hang']);
  const secrets = createSecrets({ providers: [provider], retry: { ...FAST, attemptTimeout: 50 } });
  const heard: string[] = [];
  const subscription = secrets.get('scripted:a').subscribe({
    next: () => heard.push('next'),
    error: () => heard.push('error'),
    complete: () => heard.push('complete'),
  });
  t.is(provider.signals.length, 1);
  subscription.unsubscribe();
  t.true(provider.signals[0]?.aborted);
  t.is((provider.signals[0]?.reason as Error | undefined)?.name, 'AbortError');
  await clock.tickAsync(1000); // far past the 50 ms attempt timeout: no retry starts
  t.is(provider.signals.length, 1);
  t.is(clock.countTimers(), 0, 'no timer is left behind');
  t.deepEqual(heard, []);
  await secrets.close();
});

test.serial('unsubscribing during the backoff before a retry stops the retry', async (t) => {
  const clock = installFakeClock(t);
  const retry = { minDelay: 50, jitter: false, retries: 2 } as const;

  // without the unsubscribe, the retry starts when the 50 ms backoff ends
  const control = scriptedProvider(['transient', 'ok']);
  const controlSecrets = createSecrets({ providers: [control], cache: false, retry });
  const controlled = firstValueFrom(controlSecrets.get('scripted:a'));
  await clock.tickAsync(49);
  t.is(control.signals.length, 1);
  await clock.tickAsync(1);
  t.is(control.signals.length, 2);
  t.is((await controlled).version, '2');
  await controlSecrets.close();

  const provider = scriptedProvider(['transient', 'ok']);
  const secrets = createSecrets({ providers: [provider], cache: false, retry });
  const retries: SecretsEvent[] = [];
  secrets.events.subscribe((event) => event.type === 'retry' && retries.push(event));
  const subscription = secrets.get('scripted:a').subscribe();
  await clock.tickAsync(10);
  // inside the backoff: the retry was announced with its delay, and the second attempt has not started
  t.like(retries, [{ attempt: 1, delayMs: 50 }]);
  t.is(provider.signals.length, 1);
  subscription.unsubscribe();
  await clock.tickAsync(10_000);
  t.is(provider.signals.length, 1, 'the retry never starts');
  t.is(clock.countTimers(), 0, 'the backoff timer is cleared');
  await secrets.close();
});

test('closing the client fails the calls in flight at once with a ClosedError and aborts them', async (t) => {
  const provider = scriptedProvider(['hang']);
  const secrets = createSecrets({ providers: [provider], retry: { ...FAST, attemptTimeout: '10s' } });
  const pending = firstValueFrom(secrets.get(parseSecretRef('scripted:a')));
  const closing = secrets.close();
  await t.throwsAsync(pending, { instanceOf: ClosedError });
  t.true(provider.signals[0]?.aborted);
  await closing;
});
