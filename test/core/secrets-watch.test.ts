import test from 'ava';
import { firstValueFrom } from 'rxjs';
import {
  createSecrets,
  isSecret,
  memoryProvider,
  parseSecretRef,
  type Secret,
  type SecretsEvent,
} from '../../src/index.js';
import { installFakeClock } from '../support/fake-clock.js';
import { seededRandom } from '../support/seeded-random.js';

function record(source: { subscribe: (o: object) => unknown }) {
  const seen = { values: [] as Secret[], error: undefined as unknown, completed: false };
  source.subscribe({
    next: (value: Secret) => seen.values.push(value),
    error: (error: unknown) => {
      seen.error = error;
    },
    complete: () => {
      seen.completed = true;
    },
  });
  return seen;
}

test.serial('three subscribers across 5 rotations each see 6 values in order, sharing the probes', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { a: 'v0' } });
  const secrets = createSecrets({ providers: [provider] });
  const subscribers = [1, 2, 3].map(() => record(secrets.watch('memory:a', { interval: 1000 })));
  await clock.tickAsync(0);
  for (let rotation = 1; rotation <= 5; rotation++) {
    provider.store.put('a', `v${rotation}`);
    await clock.tickAsync(1000);
  }
  for (const seen of subscribers) {
    t.deepEqual(
      seen.values.map((s) => s.version),
      ['1', '2', '3', '4', '5', '6'],
    );
    t.deepEqual(
      seen.values.map((s) => s.value),
      ['v0', 'v1', 'v2', 'v3', 'v4', 'v5'],
    );
    t.is(seen.error, undefined);
  }
  t.true(provider.stats.probe >= 5 && provider.stats.probe <= 6, `probes: ${provider.stats.probe}`);
  t.is(provider.stats.get + provider.stats.getMany, 6, 'one read per version, shared');
  await secrets.close();
});

test.serial('with 30 % transient failures a watch never errors and misses no version', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { a: 'v0' }, failureRate: 0.3, random: seededRandom(42) });
  const secrets = createSecrets({ providers: [provider], retry: { retries: 1, minDelay: 10, jitter: false } });
  const events: SecretsEvent[] = [];
  secrets.events.subscribe((event) => events.push(event));
  const seen = record(secrets.watch('memory:a', { interval: 1000 }));
  const rotations = 10;
  for (let rotation = 1; rotation <= rotations; rotation++) {
    for (let ticks = 0; seen.values.length < rotation && ticks < 600; ticks++) await clock.tickAsync(1000);
    provider.store.put('a', `v${rotation}`);
  }
  for (let ticks = 0; seen.values.length < rotations + 1 && ticks < 600; ticks++) await clock.tickAsync(1000);
  t.is(seen.error, undefined);
  t.false(seen.completed);
  t.deepEqual(
    seen.values.map((s) => s.version),
    Array.from({ length: rotations + 1 }, (_, i) => String(i + 1)),
  );
  t.true(
    events.some((event) => event.type === 'watch-error'),
    'some failures got past the retries and were survived',
  );
  await secrets.close();
});

test.serial('a deleted secret ends the watch with SecretNotFoundError', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { a: 'v0' } });
  const secrets = createSecrets({ providers: [provider] });
  const seen = record(secrets.watch('memory:a', { interval: 1000 }));
  await clock.tickAsync(0);
  provider.store.remove('a');
  await clock.tickAsync(1000);
  t.is(seen.values.length, 1);
  t.is((seen.error as Error | undefined)?.name, 'SecretNotFoundError');
  await secrets.close();
});

test.serial('a watch keeps the cache fresh: reads after a rotation see the new version without a get', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { a: 'v0' } });
  const secrets = createSecrets({ providers: [provider] });
  const seen = record(secrets.watch('memory:a', { interval: 1000 }));
  await clock.tickAsync(0);
  provider.store.put('a', 'v1');
  await clock.tickAsync(1000);
  t.is(seen.values.length, 2);
  const reads = provider.stats.get + provider.stats.getMany;
  t.is((await firstValueFrom(secrets.get('memory:a'))).value, 'v1');
  t.is(provider.stats.get + provider.stats.getMany, reads);
  await secrets.close();
});

test.serial('close() while a watch poll is in flight completes the watch (no ClosedError)', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { a: 'v0', b: 'v0' }, latency: 100 });
  const secrets = createSecrets({ providers: [provider] });
  const seen = ['a', 'b'].map((name) => record(secrets.watch(`memory:${name}`, { interval: 1000 })));
  await clock.tickAsync(1050);
  t.is(provider.stats.probe, 1, 'the poll is in flight');
  const closed = secrets.close();
  await clock.tickAsync(200);
  await closed;
  for (const s of seen) {
    t.is(s.error, undefined);
    t.true(s.completed);
    t.is(s.values.length, 1);
  }
});

test.serial('while a watch cannot reach its backend, cached reads of its ref are marked stale', async (t) => {
  const clock = installFakeClock(t);
  const backend = { down: false };
  const provider = memoryProvider({
    secrets: { a: 'v0', other: 'x' },
    failureRate: 0.5,
    random: () => (backend.down ? 0 : 1),
  });
  const secrets = createSecrets({ providers: [provider] });
  const events: SecretsEvent[] = [];
  secrets.events.subscribe((event) => events.push(event));
  const watch = record(secrets.watch('memory:a', { interval: 1000 }));
  await clock.tickAsync(0);
  await firstValueFrom(secrets.get('memory:other'));
  t.false((await firstValueFrom(secrets.get('memory:a'))).stale);
  backend.down = true;
  await clock.tickAsync(1000); // the poll fails
  const during = await firstValueFrom(secrets.get('memory:a'));
  t.true(during.stale, 'served from the cache, marked stale');
  t.is(during.value, 'v0');
  t.true(events.some((e) => e.type === 'stale' && e.key === 'memory:a' && e.reason === 'unconfirmed'));
  t.false((await firstValueFrom(secrets.get('memory:other'))).stale, 'an unwatched ref keeps its ttl contract');
  const many = await firstValueFrom(secrets.getMany(['memory:a']));
  t.true(many[0]?.ok === true && many[0].secret.stale);
  backend.down = false;
  await clock.tickAsync(1200); // the next round succeeds (same version)
  t.false((await firstValueFrom(secrets.get('memory:a'))).stale);
  t.deepEqual(
    watch.values.map((s) => s.stale),
    [false],
  );
  await secrets.close();
});

test.serial('a watch hands out values under the watched ref even when the provider names them otherwise', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { a: 'v0' } });
  // A provider that answers with a ref of its own (here: the version's ref), as a third-party one might.
  const renamed = (secret: Secret) => secret.withValue(secret.value, parseSecretRef(`memory:a@${secret.version}`));
  const get = provider.get.bind(provider);
  const getMany = (provider.getMany as NonNullable<typeof provider.getMany>).bind(provider);
  provider.get = async (ref, ctx) => renamed(await get(ref, ctx));
  provider.getMany = async (refs, ctx) =>
    (await getMany(refs, ctx)).map((result) => (isSecret(result) ? renamed(result) : result));
  const secrets = createSecrets({ providers: [provider] });
  const plain = record(secrets.watch('memory:a', { interval: 1000 }));
  const viaObject = record(secrets.watch(parseSecretRef('memory:a'), { interval: 1000 }));
  await clock.tickAsync(0);
  provider.store.put('a', 'v1');
  await clock.tickAsync(1000);
  for (const seen of [plain, viaObject]) {
    t.deepEqual(
      seen.values.map((s) => [s.ref.text, s.value]),
      [
        ['memory:a', 'v0'],
        ['memory:a', 'v1'],
      ],
    );
  }
  // The watch keeps the cache entry of the watched ref current: a read gets the new value without a backend call.
  const reads = provider.stats.get + provider.stats.getMany;
  const read = await firstValueFrom(secrets.get('memory:a'));
  t.is(read.value, 'v1');
  t.is(provider.stats.get + provider.stats.getMany, reads);
  await secrets.close();
});
