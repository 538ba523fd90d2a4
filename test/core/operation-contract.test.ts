import test from 'ava';
import { filter, firstValueFrom, lastValueFrom, type Observable } from 'rxjs';
import {
  createSecrets,
  isInvalidSecretRefError,
  isValidationError,
  memoryProvider,
  type SecretRef,
  type Secrets,
  type SecretsEvent,
} from '../../src/index.js';

/** The error a stream (or the call that builds it) fails with. */
async function failure(make: () => Observable<unknown> | PromiseLike<unknown>): Promise<Error> {
  try {
    const made = make();
    await ('subscribe' in made ? lastValueFrom(made) : made);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

function client(options: Parameters<typeof memoryProvider>[0] = {}) {
  const provider = memoryProvider({ secrets: { a: 'v1', json: '{"db":{"password":"x"}}' }, ...options });
  const secrets = createSecrets({ providers: [provider], retry: { minDelay: 1, maxDelay: 2, jitter: false } });
  return { provider, secrets };
}

test('a per-call signal aborted before subscribe fails with its reason and calls no backend', async (t) => {
  const { provider, secrets } = client();
  const controller = new AbortController();
  controller.abort(new Error('caller gave up'));
  const error = await failure(() => secrets.get('memory:a', { signal: controller.signal }));
  t.is(error.message, 'caller gave up');
  t.is(provider.stats.get, 0);
  await secrets.close();
});

test('aborting a per-call signal mid-read fails the read at once and aborts the backend call', async (t) => {
  const { secrets } = client({ latency: () => 60_000 });
  const controller = new AbortController();
  const pending = firstValueFrom(secrets.get('memory:a', { signal: controller.signal }));
  const before = Date.now();
  controller.abort();
  const error = await failure(() => pending);
  t.is(error.name, 'AbortError', 'fails with the signal reason');
  t.true(Date.now() - before < 30_000, 'does not wait for the 60 s backend call');
  await secrets.close();
});

test('every common operation takes a signal', async (t) => {
  const { provider, secrets } = client();
  const signal = AbortSignal.abort(new Error('stop'));
  const operations: Array<() => Observable<unknown>> = [
    () => secrets.getMany(['memory:a'], { signal }),
    () => secrets.set('memory:b', 'x', { signal }),
    () => secrets.delete('memory:a', { signal }),
    () => secrets.exists('memory:a', { signal }),
    () => secrets.watch('memory:a', { signal }),
  ];
  for (const operation of operations) t.is((await failure(operation)).message, 'stop');
  t.deepEqual(provider.stats, { get: 0, getMany: 0, listPage: 0, set: 0, delete: 0, probe: 0 });
  t.is(provider.store.read('b'), undefined, 'nothing written');
  t.truthy(provider.store.read('a'), 'nothing deleted');
  await secrets.close();
});

test('per-call retry overrides the client policy for that call alone', async (t) => {
  // Fails every attempt: the number of backend calls is the number of attempts.
  const { provider, secrets } = client({ failureRate: 1, random: () => 0 });
  await failure(() => secrets.get('memory:a', { retry: { retries: 0 } }));
  t.is(provider.stats.get, 1, 'no retry for this call');
  provider.resetStats();
  await failure(() => secrets.get('memory:a', { fresh: true }));
  t.is(provider.stats.get, 4, 'the client default (3 retries) for the next one');
  provider.resetStats();
  await failure(() => secrets.exists('memory:a', { retry: { retries: 1 } }));
  t.is(provider.stats.get, 2);
  await secrets.close();
});

test('retries of a per-call policy are reported on events like any other', async (t) => {
  const { secrets } = client({ failureRate: 1 });
  const events: SecretsEvent[] = [];
  const subscription = secrets.events.subscribe((event) => events.push(event));
  await failure(() => secrets.get('memory:a', { retry: { retries: 2 } }));
  t.is(events.filter((event) => event.type === 'retry').length, 2);
  subscription.unsubscribe();
  await secrets.close();
});

const unknownKeys: Array<[string, (s: Secrets) => Observable<unknown> | (() => unknown), RegExp]> = [
  [
    'retry.minTimeout (p-retry)',
    (s) => s.get('memory:a', { retry: { minTimeout: 1 } } as never),
    /unknown retry option 'minTimeout' — did you mean 'minDelay'\?/,
  ],
  [
    'get option typo',
    (s) => s.get('memory:a', { fersh: true } as never),
    /unknown get option 'fersh' — did you mean 'fresh'\?/,
  ],
  [
    'set option typo',
    (s) => s.set('memory:b', 'x', { contenType: 'text/plain' } as never),
    /did you mean 'contentType'/,
  ],
  [
    'delete option of another provider',
    (s) => s.delete('memory:a', { progressInterval: 1 } as never),
    /unknown delete option 'progressInterval'/,
  ],
  ['watch option', (s) => s.watch('memory:a', { intervall: '1s' } as never), /did you mean 'interval'/],
  ['exists option', (s) => s.exists('memory:a', { sigal: undefined } as never), /did you mean 'signal'/],
];

for (const [title, run, message] of unknownKeys) {
  test(`an unknown option is a ValidationError naming the closest key: ${title}`, async (t) => {
    const { provider, secrets } = client();
    const error = await failure(() => run(secrets) as Observable<unknown>);
    t.true(isValidationError(error), error.message);
    t.regex(error.message, message);
    t.is(provider.stats.set + provider.stats.delete + provider.stats.get, 0, 'no backend call');
    await secrets.close();
  });
}

const badClientOptions: Array<[string, unknown, RegExp]> = [
  ['retrys', { retrys: 3 }, /unknown createSecrets option 'retrys' — did you mean 'retry'\?/],
  ['cache typo', { cache: { tll: '5m' } }, /unknown cache option 'tll' — did you mean 'ttl'\?/],
  ['cache: yes', { cache: 'yes' }, /cache options must be an object/],
  ['retries -1', { retry: { retries: -1 } }, /'retry.retries' must be a whole number from 0 to 100/],
  ['factor 0', { retry: { factor: 0 } }, /'retry.factor' must be a number from 1/],
  ['duration object', { retry: { deadline: { seconds: 5 } } }, /'retry.deadline' must be a duration/],
  ['bad duration', { watch: { interval: 'soon' } }, /watch.interval must be milliseconds or a string/],
];

for (const [title, extra, message] of badClientOptions) {
  test(`createSecrets refuses bad options: ${title}`, (t) => {
    const error = t.throws(() => createSecrets({ providers: [memoryProvider()], ...(extra as object) }));
    t.true(isValidationError(error), error?.message);
    t.regex(error?.message ?? '', message);
  });
}

test('createSecrets refuses a provider list with a hole, before attaching any provider', (t) => {
  for (const providers of [[null], [{}], [{ scheme: 'x', capabilities: {} }]]) {
    const error = t.throws(() => createSecrets({ providers: providers as never }));
    t.true(isValidationError(error));
    t.regex(error?.message ?? '', /providers\[0\] is not a SecretProvider/);
  }
});

test('bad arguments are typed errors before any backend call, and the store is untouched', async (t) => {
  const { provider, secrets } = client();
  const cases: Array<[string, () => Observable<unknown>, (e: unknown) => boolean]> = [
    ["getMany('x')", () => secrets.getMany('x' as never), isValidationError],
    ['getMany(null)', () => secrets.getMany(null as never), isValidationError],
    [
      'a trigger that is not an Observable',
      () => secrets.watch('memory:a', { trigger: 'x' as never }),
      isValidationError,
    ],
    [
      'tags that are not a string map',
      () => secrets.set('memory:a', 'x', { tags: { n: 1 } as never }),
      isValidationError,
    ],
    [
      'a contentType that is not a string',
      () => secrets.set('memory:a', 'x', { contentType: 5 as never }),
      isValidationError,
    ],
    ["recoveryWindow: 'abc'", () => secrets.delete('memory:a', { recoveryWindow: 'abc' }), isValidationError],
    ['transform: bogus', () => secrets.get('memory:a', { transform: 'bogus' as never }), isValidationError],
    ['a number as a ref', () => secrets.get(42 as never), isInvalidSecretRefError],
  ];
  for (const [title, run, guard] of cases) {
    const error = await failure(run);
    t.true(guard(error), `${title}: ${error.message}`);
  }
  t.is(provider.store.read('a')?.value, 'v1', 'the secret is still there, unchanged');
  t.deepEqual(provider.stats, { get: 0, getMany: 0, listPage: 0, set: 0, delete: 0, probe: 0 });
  await secrets.close();
});

test('a listing refuses a bad pageSize and unknown keys at once', (t) => {
  const { secrets } = client();
  for (const pageSize of [0, 1.5, -3]) {
    t.true(isValidationError(t.throws(() => secrets.list('memory:', { pageSize }))));
  }
  t.regex(
    t.throws(() => secrets.list('memory:', { recursiv: true } as never))?.message ?? '',
    /did you mean 'recursive'/,
  );
});

test('a watch refused at subscribe leaves nothing running', async (t) => {
  const { provider, secrets } = client({ pollInterval: 1 });
  await failure(() => secrets.watch('memory:a', { trigger: {} as never }));
  await new Promise((resolve) => setImmediate(resolve));
  t.is(provider.stats.probe + provider.stats.get, 0);
  await secrets.close();
});

test("a hand-built SecretRef is rebuilt from its parts: its text cannot poison another ref's cache entry", async (t) => {
  const { provider, secrets } = client();
  provider.store.put('b', 'value-of-b');
  const lying = { scheme: 'memory', name: 'a', version: undefined, keyPath: undefined, text: 'memory:b' } as SecretRef;
  t.is((await firstValueFrom(secrets.get(lying))).value, 'v1');
  t.is((await firstValueFrom(secrets.get('memory:b'))).value, 'value-of-b');
  const broken = await failure(() => secrets.get({ scheme: 'memory', name: 7 } as never));
  t.true(isInvalidSecretRefError(broken));
  await secrets.close();
});

test('an overlong ref is quoted by a bounded prefix in messages', async (t) => {
  const { secrets } = client();
  const error = await failure(() => secrets.get(`nope${'x'.repeat(1_000_000)}`));
  t.true(isInvalidSecretRefError(error));
  t.true(error.message.length < 400, `message of ${error.message.length} characters`);
  t.regex(error.message, /1000004 characters/);
});

test('after close every operation fails with ClosedError', async (t) => {
  const { secrets } = client();
  await secrets.close();
  for (const run of [
    () => secrets.get('memory:a'),
    () => secrets.exists('memory:a'),
    () => secrets.watch('memory:a'),
  ]) {
    t.is((await failure(run)).name, 'ClosedError');
  }
  t.is(t.throws(() => secrets.list('memory:'))?.name, 'ClosedError');
});

test('a watch subscription ends with its signal; the shared watch goes on for others', async (t) => {
  const { provider, secrets } = client({ pollInterval: 5 });
  const controller = new AbortController();
  const ended = lastValueFrom(secrets.watch('memory:a', { signal: controller.signal })).catch(
    (error: unknown) => error as Error,
  );
  const theirs = firstValueFrom(secrets.watch<string>('memory:a').pipe(filter((s) => s.value === 'v2')));
  await firstValueFrom(secrets.watch('memory:a'));
  controller.abort(new Error('done with it'));
  t.is(((await ended) as Error).message, 'done with it');
  provider.store.put('a', 'v2');
  t.is((await theirs).value, 'v2', 'the other subscriber still sees the next version');
  await secrets.close();
});
