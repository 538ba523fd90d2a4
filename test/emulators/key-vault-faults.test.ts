// Fault injection seen through the real SecretClient: throttling, server errors, latency, hung requests.
import { type RestError, SecretClient } from '@azure/keyvault-secrets';
import test from 'ava';
import {
  type KeyVaultEmulator,
  type RetryAfterHint,
  startKeyVaultEmulator,
} from '../../src/emulators/key-vault/index.js';
import { installFakeClock } from '../support/fake-clock.js';
import { staticCredential } from '../support/key-vault-client.js';

const GET_SECRET = 'GET /secrets/{name}/{version}';
let kv: KeyVaultEmulator;
let client: SecretClient;
test.before(async () => {
  kv = await startKeyVaultEmulator();
  client = new SecretClient(kv.vaultUrl, staticCredential, kv.clientOptions());
  kv.store.setSecret('target', 'value');
  await client.getSecret('target'); // the challenge handshake, out of the way of the counts below
});
test.after.always(async () => {
  await kv?.stop();
});
test.beforeEach(() => {
  kv.faults.clear();
  kv.stats.reset();
});

const retryHints: [string, RetryAfterHint][] = [
  ['Retry-After', { seconds: 0 }],
  ['retry-after-ms', { ms: 1 }],
  ['x-ms-retry-after-ms', { ms: 1, header: 'x-ms-retry-after-ms' }],
];
for (const [header, retryAfter] of retryHints) {
  test.serial(`429 with ${header} is retried by the SDK`, async (t) => {
    kv.faults.schedule({ kind: 'throttle', retryAfter });
    t.is((await client.getSecret('target')).value, 'value');
    t.is(kv.stats.calls[GET_SECRET], 2);
    t.is(kv.stats.statuses[429], 1);
    t.is(kv.stats.faultsInjected, 1);
  });
}

test.serial('429 without a retry hint fails at once with statusCode 429', async (t) => {
  kv.faults.schedule({ kind: 'throttle' });
  const error = await t.throwsAsync<RestError>(() => client.getSecret('target'));
  t.is(error?.statusCode, 429);
  t.is(error?.code, 'Throttled');
  t.is(kv.stats.calls[GET_SECRET], 1);
});

test.serial('server errors are retried with the short delays of clientOptions()', async (t) => {
  kv.faults.schedule({ kind: 'server-error', status: 503 }, { times: 2 });
  t.is((await client.getSecret('target')).value, 'value');
  t.is(kv.stats.calls[GET_SECRET], 3);
  t.is(kv.stats.statuses[503], 2);
});

test.serial('a non-retriable server error reaches the caller with its code', async (t) => {
  kv.faults.schedule({ kind: 'server-error', status: 501, code: 'NotImplemented' });
  const error = await t.throwsAsync<RestError>(() => client.getSecret('target'));
  t.is(error?.statusCode, 501);
  t.is(error?.code, 'NotImplemented');
});

test.serial('faults can be limited to one route or method', async (t) => {
  const scheduled = kv.faults.schedule({ kind: 'throttle' }, { route: 'GET /secrets' });
  t.is((await client.getSecret('target')).value, 'value');
  t.is(kv.faults.pending, 1);
  const error = await t.throwsAsync<RestError>(async () => {
    for await (const _ of client.listPropertiesOfSecrets());
  });
  t.is(error?.statusCode, 429);
  await scheduled.consumed;
  t.is(kv.faults.pending, 0);
  kv.faults.schedule({ kind: 'throttle' }, { method: 'PUT' });
  t.is((await client.getSecret('target')).value, 'value');
  t.is((await t.throwsAsync<RestError>(() => client.setSecret('target', 'value')))?.statusCode, 429);
});

test.serial('latency delays the answer, then the request is handled normally', async (t) => {
  const delayed = kv.faults.schedule({ kind: 'latency', ms: 40 });
  // the emulator's delay runs on a fake clock; the HTTP exchange stays real
  const clock = installFakeClock(t, { toFake: ['setTimeout', 'clearTimeout'] });
  let answered = false;
  const read = client.getSecret('target').then((secret) => {
    answered = true;
    return secret;
  });
  await delayed.consumed;
  await clock.tickAsync(39);
  await new Promise((resolve) => setImmediate(resolve));
  t.false(answered, 'no answer before the 40 ms latency');
  await clock.tickAsync(1);
  t.is((await read).value, 'value');
  t.is(kv.stats.calls[GET_SECRET], 1);
});

test.serial('a hung request ends when the client aborts, counted as client-aborted', async (t) => {
  const hang = kv.faults.schedule({ kind: 'hang' });
  const controller = new AbortController();
  const pending = client.getSecret('target', { abortSignal: controller.signal });
  await hang.consumed; // the request has reached the emulator and is being held
  controller.abort();
  const error = await t.throwsAsync(pending);
  t.is(error?.name, 'AbortError');
  await kv.idle(); // the emulator has seen the client go away
  t.is(kv.stats.clientAborted, 1);
  t.is(kv.stats.calls[GET_SECRET], 1, 'an abort is not retried');
});

test.serial('a seeded rate fails the same requests every run', async (t) => {
  const run = async () => {
    kv.faults.clear();
    kv.faults.atRate({ kind: 'throttle' }, { rate: 0.5, seed: 42, route: GET_SECRET });
    const outcomes: boolean[] = [];
    for (let i = 0; i < 16; i += 1) {
      outcomes.push(
        await client.getSecret('target').then(
          () => true,
          () => false,
        ),
      );
    }
    return outcomes;
  };
  const first = await run();
  const second = await run();
  t.deepEqual(first, second);
  const failures = first.filter((ok) => !ok).length;
  t.true(failures > 0 && failures < 16, `failures: ${failures}`);
});

test('stop() ends hung requests at once, without counting them as client aborts', async (t) => {
  const own = await startKeyVaultEmulator();
  const ownClient = new SecretClient(own.vaultUrl, staticCredential, {
    ...own.clientOptions(),
    retryOptions: { maxRetries: 0 },
  });
  own.store.setSecret('held', 'v');
  const hang = own.faults.schedule({ kind: 'hang' });
  const pending = ownClient.getSecret('held');
  await hang.consumed;
  // the hung request never ends by itself: stop() resolving at all shows it closed the connection, not waited
  await own.stop();
  await t.throwsAsync(pending);
  t.is(own.stats.clientAborted, 0);
  await t.notThrowsAsync(() => own.stop(), 'stop() twice is harmless');
});

test('fault options are validated', (t) => {
  t.throws(() => kv.faults.schedule({ kind: 'hang' }, { times: 0 }), { instanceOf: RangeError });
  t.throws(() => kv.faults.atRate({ kind: 'hang' }, { rate: 2 }), { instanceOf: RangeError });
});

test.serial(
  'reject reads the request and refuses it with a message quoting its value (or any part of it)',
  async (t) => {
    kv.faults.schedule({ kind: 'reject' }, { route: 'PUT /secrets/{name}' });
    const refused = await t.throwsAsync<RestError>(() => client.setSecret('echo', 'quoted-value'));
    t.is(refused?.statusCode, 400);
    t.is(refused?.code, 'BadParameter');
    t.regex(refused?.message ?? '', /The value 'quoted-value' is not valid/);
    kv.faults.schedule(
      {
        kind: 'reject',
        status: 500,
        code: 'InternalServerError',
        message: (body) => `tags: ${JSON.stringify((body as { tags?: unknown }).tags)}`,
      },
      { route: 'PUT /secrets/{name}' },
    );
    const custom = await t.throwsAsync<RestError>(() =>
      new SecretClient(kv.vaultUrl, staticCredential, {
        ...kv.clientOptions(),
        retryOptions: { maxRetries: 0 },
      }).setSecret('echo', 'v', {
        tags: { a: 'b' },
      }),
    );
    t.is(custom?.statusCode, 500);
    t.regex(custom?.message ?? '', /tags: \{"a":"b"\}/);
    await t.throwsAsync(() => client.getSecret('echo'), undefined, 'nothing was written');
  },
);
