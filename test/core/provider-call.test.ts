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

test('the overall deadline cuts the first attempt short', async (t) => {
  const provider = scriptedProvider(['hang']);
  const secrets = createSecrets({
    providers: [provider],
    cache: false,
    retry: { ...FAST, retries: 0, attemptTimeout: '10s', deadline: 30 },
  });
  const started = Date.now();
  const error = await t.throwsAsync(firstValueFrom(secrets.get('scripted:a')));
  t.true(isTimeoutError(error));
  t.true(Date.now() - started < 5000);
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

test('unsubscribing aborts the attempt in flight, and the subscriber hears nothing more', async (t) => {
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
  await new Promise((resolve) => setTimeout(resolve, 100)); // past the attempt timeout: no retry starts
  t.is(provider.signals.length, 1);
  t.deepEqual(heard, []);
  await secrets.close();
});

test('unsubscribing during the backoff before a retry stops the retry', async (t) => {
  const provider = scriptedProvider(['transient', 'ok']);
  const secrets = createSecrets({ providers: [provider], retry: { minDelay: 50, jitter: false, retries: 2 } });
  const subscription = secrets.get('scripted:a').subscribe();
  await new Promise((resolve) => setTimeout(resolve, 10)); // the first attempt failed; the backoff runs
  subscription.unsubscribe();
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.is(provider.signals.length, 1);
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
