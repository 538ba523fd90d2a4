import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import test from 'ava';
import { firstValueFrom, lastValueFrom, type Subscription, toArray } from 'rxjs';
import {
  ClosedError,
  createSecrets,
  InvalidSecretRefError,
  KeyPathNotFoundError,
  memoryProvider,
  type Secret,
  SecretNotFoundError,
  type SecretProvider,
  type SecretsEvent,
  ValidationError,
} from '../../src/index.js';

const VALUE = 'pw-TOP-SECRET-42';

test('1000 concurrent cold gets with 50 ms latency make one backend call', async (t) => {
  const provider = memoryProvider({ secrets: { a: VALUE }, latency: 50 });
  const secrets = createSecrets({ providers: [provider] });
  const values = await Promise.all(Array.from({ length: 1000 }, () => firstValueFrom(secrets.get('memory:a'))));
  t.is(provider.stats.get, 1);
  t.true(values.every((secret) => secret.value === VALUE));
  await secrets.close();
});

test('breaking out of a 10,000-item listing after the first item fetches one page', async (t) => {
  const provider = memoryProvider({ pageSize: 100 });
  for (let i = 0; i < 10_000; i++) provider.store.put(`item/${String(i).padStart(5, '0')}`, 'v');
  const secrets = createSecrets({ providers: [provider] });
  const listing = secrets.list('memory:item/');
  t.is(provider.stats.listPage, 0, 'nothing is fetched before iterating');
  let first: string | undefined;
  for await (const info of listing) {
    first = info.name;
    break;
  }
  t.is(first, 'item/00000');
  t.is(provider.stats.listPage, 1);
  let count = 0;
  for await (const _ of listing) count += 1;
  t.is(count, 10_000);
  t.is(provider.stats.listPage, 1 + 100);
  await secrets.close();
});

test('a listing with values fetches them in batches per page, pulled, listing one page ahead', async (t) => {
  const provider = memoryProvider({ pageSize: 10, batchSize: 5 });
  for (let i = 0; i < 25; i++) provider.store.put(`k/${String(i).padStart(2, '0')}`, `v${i}`);
  const secrets = createSecrets({ providers: [provider] });
  const seen: string[] = [];
  for await (const secret of secrets.list('memory:k/', { withValues: true })) {
    seen.push(String(secret.value));
    if (seen.length === 10) break;
  }
  t.deepEqual(
    seen,
    Array.from({ length: 10 }, (_, i) => `v${i}`),
  );
  // The second page is listed while the first one's values are read; its values are never read.
  t.is(provider.stats.listPage, 2);
  t.is(provider.stats.getMany, 2);
  t.is(provider.stats.get, 0);
  await secrets.close();
});

test('unsubscribing from a slow get aborts it: the provider sees its AbortSignal fire', async (t) => {
  const inner = memoryProvider({ secrets: { slow: VALUE }, latency: '30s' });
  const signals: AbortSignal[] = [];
  const provider: SecretProvider = Object.create(inner, {
    get: {
      value: (ref: never, ctx: { signal: AbortSignal }) => {
        signals.push(ctx.signal);
        return inner.get(ref, ctx);
      },
    },
  });
  const secrets = createSecrets({ providers: [provider] });
  const subscription = secrets.get('memory:slow').subscribe();
  await new Promise((resolve) => setImmediate(resolve));
  t.is(signals.length, 1);
  t.false(signals[0]?.aborted);
  subscription.unsubscribe();
  t.true(signals[0]?.aborted);
  await secrets.close();
});

test('getMany reports failures per ref and batches reads', async (t) => {
  const provider = memoryProvider({ secrets: { a: '1', b: '2', c: '{"k":"v"}' }, batchSize: 2 });
  const secrets = createSecrets({ providers: [provider] });
  const results = await firstValueFrom(secrets.getMany(['memory:a', 'memory:missing', 'memory:b', 'memory:c#k']));
  t.deepEqual(
    results.map((r) => (r.ok ? r.secret.value : r.error.name)),
    ['1', 'SecretNotFoundError', '2', 'v'],
  );
  t.is(provider.stats.getMany, 2);
  t.is(provider.stats.get, 0);
  await secrets.close();
});

test('set writes a new version and invalidates the cache; delete too', async (t) => {
  const provider = memoryProvider({ secrets: { a: 'one' } });
  const secrets = createSecrets({ providers: [provider] });
  t.is((await firstValueFrom(secrets.get('memory:a'))).value, 'one');
  const written = await firstValueFrom(secrets.set('memory:a', { user: 'u' }));
  t.is(written.version, '2');
  t.is(written.contentType, 'application/json');
  t.deepEqual((await firstValueFrom(secrets.get('memory:a', { transform: 'json' }))).value, { user: 'u' });
  t.true(await firstValueFrom(secrets.exists('memory:a')));
  const states = await lastValueFrom(secrets.delete('memory:a').pipe(toArray()));
  t.deepEqual(states.at(-1), { status: 'deleted', done: true });
  t.false(await firstValueFrom(secrets.exists('memory:a')));
  await t.throwsAsync(firstValueFrom(secrets.get('memory:a')), { instanceOf: SecretNotFoundError });
  await secrets.close();
});

test('bad input is a typed error and nothing is written', async (t) => {
  const provider = memoryProvider();
  const secrets = createSecrets({ providers: [provider] });
  await t.throwsAsync(firstValueFrom(secrets.set('memory:a', undefined as never)), { instanceOf: ValidationError });
  await t.throwsAsync(firstValueFrom(secrets.set('memory:a', (() => 1) as never)), { instanceOf: ValidationError });
  await t.throwsAsync(firstValueFrom(secrets.set('memory:a@2', 'x')), { instanceOf: ValidationError });
  await t.throwsAsync(firstValueFrom(secrets.set('memory:a#k', 'x')), { instanceOf: ValidationError });
  await t.throwsAsync(firstValueFrom(secrets.get('nope:a')), { instanceOf: InvalidSecretRefError });
  await t.throwsAsync(firstValueFrom(secrets.get('not a ref')), { instanceOf: InvalidSecretRefError });
  t.is(provider.stats.set, 0);
  t.is(provider.store.size, 0);
  t.throws(() => createSecrets({ providers: [] }), { instanceOf: ValidationError });
  t.throws(() => createSecrets({ providers: [memoryProvider(), memoryProvider()] }), { instanceOf: ValidationError });
  await secrets.close();
});

test('values never appear in String, JSON, inspect, error messages or events', async (t) => {
  const provider = memoryProvider({ secrets: { a: VALUE, doc: JSON.stringify({ pw: VALUE }) } });
  const secrets = createSecrets({ providers: [provider] });
  const events: SecretsEvent[] = [];
  secrets.events.subscribe((event) => events.push(event));
  const secret = await firstValueFrom(secrets.get('memory:a'));
  const picked = await firstValueFrom(secrets.get('memory:doc#pw'));
  t.is(picked.value, VALUE);
  for (const text of [String(secret), JSON.stringify(secret), inspect(secret), inspect(picked, { depth: 9 })]) {
    t.false(text.includes(VALUE), text);
  }
  const errors = await Promise.all([
    t.throwsAsync(firstValueFrom(secrets.get('memory:doc#missing')), { instanceOf: KeyPathNotFoundError }),
    t.throwsAsync(firstValueFrom(secrets.get('memory:a', { transform: 'json' }))),
    t.throwsAsync(firstValueFrom(secrets.set('memory:big', VALUE.repeat(10_000)))),
  ]);
  for (const error of errors) {
    t.truthy(error);
    t.false(`${error?.message} ${inspect(error, { depth: 9 })}`.includes(VALUE));
  }
  t.true(events.length > 0);
  t.false(inspect(events, { depth: 9 }).includes(VALUE));
  await secrets.close();
});

test('after close, operations fail with ClosedError and watches end', async (t) => {
  const secrets = createSecrets({ providers: [memoryProvider({ secrets: { a: 'x' } })] });
  let completed = false;
  secrets.watch('memory:a').subscribe({ complete: () => (completed = true), error: () => (completed = true) });
  await secrets[Symbol.asyncDispose]();
  t.true(completed);
  await t.throwsAsync(firstValueFrom(secrets.get('memory:a')), { instanceOf: ClosedError });
  t.throws(() => secrets.list('memory:'), { instanceOf: ClosedError });
});

test('key paths and transforms apply per subscriber of a shared watch', async (t) => {
  const provider = memoryProvider({ secrets: { cfg: JSON.stringify({ user: 'u', port: 1 }) } });
  const secrets = createSecrets({ providers: [provider] });
  const subscriptions: Subscription[] = [];
  const user = new Promise<Secret>((resolve) =>
    subscriptions.push(secrets.watch('memory:cfg#user').subscribe(resolve)),
  );
  const port = new Promise<Secret>((resolve) =>
    subscriptions.push(secrets.watch('memory:cfg#port').subscribe(resolve)),
  );
  t.is((await user).value, 'u');
  t.is((await port).value, 1);
  t.is(provider.stats.get, 1, 'one source for both key paths');
  for (const s of subscriptions) s.unsubscribe();
  await secrets.close();
});

test('a persisted cache survives a restart: the second client reads without a backend call', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'rxsecrets-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const persist = { path: join(dir, 'cache.bin'), key: randomBytes(32) };
  const first = memoryProvider({ secrets: { a: VALUE } });
  const before = createSecrets({ providers: [first], cache: { persist } });
  t.is((await firstValueFrom(before.get('memory:a'))).value, VALUE);
  await before.close();
  t.is((await stat(persist.path)).mode & 0o777, 0o600);
  const second = memoryProvider({ secrets: { a: 'other' } });
  const after = createSecrets({ providers: [second], cache: { persist } });
  t.is((await firstValueFrom(after.get('memory:a'))).value, VALUE);
  t.is(second.stats.get, 0);
  await after.close();
});
