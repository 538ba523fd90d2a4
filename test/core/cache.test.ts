import anyTest, { type TestFn } from 'ava';
import { firstValueFrom } from 'rxjs';
import { fromAbortable } from '../../src/core/abortable.js';
import { SecretCache } from '../../src/core/cache/index.js';
import {
  ClosedError,
  isValidationError,
  ProviderUnavailableError,
  SecretNotFoundError,
} from '../../src/core/errors/index.js';
import { makeRef } from '../../src/core/ref.js';
import { memoryProvider } from '../../src/providers/memory/index.js';
import { countOf, probe, recordEvents, ScriptedFetch, secretOf, T0, typesOf } from '../support/cache-fixtures.js';
import { type FakeClock, installFakeClock } from '../support/fake-clock.js';

const test = anyTest as TestFn<{ clock: FakeClock }>;

test.beforeEach((t) => {
  t.context.clock = installFakeClock(undefined, { now: T0 });
});
test.afterEach.always((t) => {
  t.context.clock.uninstall();
});

const SECOND = 1000;

test.serial('a miss fetches and stores; the next read is a hit without a backend call', async (t) => {
  const cache = new SecretCache({ jitter: 0 });
  const events = recordEvents(cache);
  const backend = new ScriptedFetch('db', ['one']);
  const first = probe(cache.read('k', backend.fetch));
  t.deepEqual(first.values, []);
  await t.context.clock.tickAsync(100);
  t.is(first.values[0]?.value, 'one');
  const second = probe(cache.read('k', backend.fetch));
  t.is(second.values[0]?.value, 'one', 'a hit is served at once');
  t.true(second.done);
  t.is(backend.calls, 1);
  t.deepEqual(typesOf(events), ['miss', 'hit']);
  t.is(events[0]?.reason, 'absent');
  t.is(cache.size, 1);
});

test.serial('1000 concurrent readers of one key make one backend call', async (t) => {
  const provider = memoryProvider({ secrets: { 'db/password': 'pw' }, latency: 50 });
  const ref = makeRef('memory', 'db/password');
  const fetch = () => fromAbortable((signal) => provider.get(ref, { signal }));
  const cache = new SecretCache();
  const events = recordEvents(cache);
  const readers = Array.from({ length: 1000 }, () => firstValueFrom(cache.read(ref.text, fetch)));
  await t.context.clock.tickAsync(50);
  const secrets = await Promise.all(readers);
  t.is(provider.stats.get, 1);
  t.true(secrets.every((secret) => secret.value === 'pw'));
  t.is(countOf(events, 'miss'), 1);
  t.is(countOf(events, 'coalesced'), 999);
});

test.serial('the shared call survives one of two readers leaving, and is aborted when both leave', async (t) => {
  const cache = new SecretCache();
  const backend = new ScriptedFetch('db', ['v'], 100);
  const a = probe(cache.read('k', backend.fetch));
  const b = probe(cache.read('k', backend.fetch));
  a.subscription.unsubscribe();
  await t.context.clock.tickAsync(99);
  t.false(backend.signals[0]?.aborted);
  await t.context.clock.tickAsync(1);
  t.is(b.values[0]?.value, 'v');
  t.is(backend.calls, 1);

  const other = new ScriptedFetch('other', ['w'], 100);
  const c = probe(cache.read('other', other.fetch));
  const d = probe(cache.read('other', other.fetch));
  c.subscription.unsubscribe();
  t.false(other.signals[0]?.aborted);
  d.subscription.unsubscribe();
  t.true(other.signals[0]?.aborted, 'the last reader leaving aborts the backend call');
  await t.context.clock.tickAsync(100);
  t.is(cache.size, 1, 'nothing stored for the aborted call');
  probe(cache.read('other', other.fetch));
  t.is(other.calls, 2, 'a torn-down call is not joined by later readers');
});

test.serial('refresh-ahead serves the entry at once and refreshes it once in the background', async (t) => {
  const cache = new SecretCache({ ttl: '100s', jitter: 0, refreshAhead: 0.75 });
  const events = recordEvents(cache);
  const backend = new ScriptedFetch('db', ['old', 'new'], 5 * SECOND);
  probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(5 * SECOND);
  await t.context.clock.tickAsync(74 * SECOND);
  probe(cache.read('k', backend.fetch));
  t.is(backend.calls, 1, 'no refresh before 75% of the ttl');
  await t.context.clock.tickAsync(SECOND);
  const early = probe(cache.read('k', backend.fetch));
  t.is(early.values[0]?.value, 'old', 'served without waiting');
  t.true(early.done);
  t.is(backend.calls, 2, 'one background refresh started');
  const again = probe(cache.read('k', backend.fetch));
  t.is(again.values[0]?.value, 'old');
  t.is(backend.calls, 2, 'no second refresh while one runs');
  early.subscription.unsubscribe();
  t.false(backend.signals[1]?.aborted, 'the refresh is held by the cache, not by the reader');
  await t.context.clock.tickAsync(5 * SECOND);
  const after = probe(cache.read('k', backend.fetch));
  t.is(after.values[0]?.value, 'new');
  t.is(backend.calls, 2);
  t.deepEqual(typesOf(events), ['miss', 'hit', 'hit', 'refresh', 'hit', 'refreshed', 'hit']);
});

test.serial('a read after expiry is a miss that waits for the backend', async (t) => {
  const cache = new SecretCache({ ttl: '10s', jitter: 0, refreshAhead: 1 });
  const events = recordEvents(cache);
  const backend = new ScriptedFetch('db', ['one', 'two']);
  probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(100);
  await t.context.clock.tickAsync(10 * SECOND);
  const late = probe(cache.read('k', backend.fetch));
  t.deepEqual(late.values, [], 'an expired entry is not served');
  await t.context.clock.tickAsync(100);
  t.is(late.values[0]?.value, 'two');
  t.is(late.values[0]?.stale, false);
  t.deepEqual(typesOf(events), ['miss', 'expire', 'miss']);
  t.is(events[2]?.reason, 'expired');
});

test.serial('a concurrent miss after expiry joins the background refresh', async (t) => {
  const cache = new SecretCache({ ttl: '100s', jitter: 0, refreshAhead: 0.5 });
  const events = recordEvents(cache);
  const backend = new ScriptedFetch('db', ['old', 'new'], 30 * SECOND);
  probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(30 * SECOND);
  await t.context.clock.tickAsync(80 * SECOND); // refresh starts at 80 s of the entry's life, ends at 110 s
  probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(25 * SECOND);
  const joined = probe(cache.read('k', backend.fetch));
  t.is(backend.calls, 2);
  t.true(typesOf(events).includes('coalesced'));
  await t.context.clock.tickAsync(5 * SECOND);
  t.is(joined.values[0]?.value, 'new');
  t.is(backend.calls, 2);
});

test.serial('when a fetch fails after expiry, the last value is served marked stale', async (t) => {
  const cache = new SecretCache({ ttl: '10s', jitter: 0, refreshAhead: 1, staleIfError: '60s' });
  const events = recordEvents(cache);
  const outage = new ProviderUnavailableError('backend down');
  const backend = new ScriptedFetch('db', ['good', outage]);
  probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(100);
  await t.context.clock.tickAsync(20 * SECOND);
  const reader = probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(100);
  t.is(reader.error, undefined);
  t.is(reader.values[0]?.value, 'good');
  t.true(reader.values[0]?.stale);
  const stale = events.find((event) => event.type === 'stale');
  t.deepEqual(stale, { type: 'stale', key: 'k', reason: 'ProviderUnavailable' });
  t.is(cache.size, 1, 'the failure is not cached, the old entry kept');

  await t.context.clock.tickAsync(60 * SECOND); // past the stale window
  const tooLate = probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(100);
  t.is(tooLate.error, outage);
  t.deepEqual(tooLate.values, []);
});

test.serial('a failed fetch with nothing cached errors and caches nothing', async (t) => {
  const cache = new SecretCache();
  const outage = new ProviderUnavailableError('backend down');
  const backend = new ScriptedFetch('db', [outage, 'ok']);
  const reader = probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(100);
  t.is(reader.error, outage);
  t.is(cache.size, 0);
  const retry = probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(100);
  t.is(retry.values[0]?.value, 'ok');
  t.is(backend.calls, 2);
});

test.serial('a failed refresh-ahead keeps serving the entry and backs off', async (t) => {
  const cache = new SecretCache({ ttl: '100s', jitter: 0, refreshAhead: 0.5 });
  const events = recordEvents(cache);
  const backend = new ScriptedFetch('db', ['good', new ProviderUnavailableError('down')], 0);
  probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(0);
  await t.context.clock.tickAsync(60 * SECOND);
  t.is(probe(cache.read('k', backend.fetch)).values[0]?.value, 'good');
  await t.context.clock.tickAsync(0);
  t.is(countOf(events, 'refresh-failed'), 1);
  t.is(events.find((event) => event.type === 'refresh-failed')?.reason, 'ProviderUnavailable');
  const during = probe(cache.read('k', backend.fetch));
  t.is(during.values[0]?.value, 'good');
  t.false(during.values[0]?.stale, 'a refresh failing before expiry leaves a fresh entry');
  t.is(backend.calls, 2, 'no new refresh right after a failure');
  await t.context.clock.tickAsync(25 * SECOND); // past the backed-off refresh time (60 s + 40 s / 2)
  probe(cache.read('k', backend.fetch));
  t.is(backend.calls, 3);
});

test.serial('not found removes the entry instead of serving it stale', async (t) => {
  const cache = new SecretCache({ ttl: '10s', jitter: 0, refreshAhead: 1 });
  const events = recordEvents(cache);
  const gone = new SecretNotFoundError('memory:db does not exist');
  const backend = new ScriptedFetch('db', ['v', gone]);
  probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(100);
  await t.context.clock.tickAsync(11 * SECOND);
  const reader = probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(100);
  t.is(reader.error, gone);
  t.is(cache.size, 0);
  t.deepEqual(events.at(-1), { type: 'invalidate', key: 'k', reason: 'not-found' });
  t.is(countOf(events, 'stale'), 0);
});

test.serial('the least recently used entry is evicted beyond max', async (t) => {
  const cache = new SecretCache({ max: 3 });
  const events = recordEvents(cache);
  const read = async (key: string) => {
    const reader = probe(cache.read(key, new ScriptedFetch(key, [key], 0).fetch));
    await t.context.clock.tickAsync(0);
    return reader;
  };
  await read('a');
  await read('b');
  await read('c');
  await read('a'); // a is now the most recently used
  await read('d');
  t.is(cache.size, 3);
  t.deepEqual(
    events.filter((event) => event.type === 'evict'),
    [{ type: 'evict', key: 'b', reason: 'lru' }],
  );
  t.deepEqual(typesOf(events, 'a'), ['miss', 'hit']);
  await read('b');
  t.deepEqual(typesOf(events, 'b'), ['miss', 'evict', 'miss']);
});

for (const [random, freshUntil] of [
  [0, 100],
  [0.5, 95],
  [0.999, 90.01],
] as const) {
  test.serial(`jitter scales the ttl into [1 - jitter, 1] (random ${random})`, async (t) => {
    const cache = new SecretCache({ ttl: '100s', jitter: 0.1, refreshAhead: 1, random: () => random });
    const events = recordEvents(cache);
    const backend = new ScriptedFetch('db', ['v'], 0);
    probe(cache.read('k', backend.fetch));
    await t.context.clock.tickAsync(0);
    await t.context.clock.tickAsync(Math.floor(freshUntil * SECOND) - 1);
    probe(cache.read('k', backend.fetch));
    t.is(events.at(-1)?.type, 'hit', 'still fresh just before the jittered expiry');
    await t.context.clock.tickAsync(2);
    probe(cache.read('k', backend.fetch));
    t.is(events.at(-1)?.type, 'miss', 'expired just after it');
  });
}

test.serial('{ fresh: true } skips the entry, stores the result, and joins a call in flight', async (t) => {
  const cache = new SecretCache();
  const events = recordEvents(cache);
  const backend = new ScriptedFetch('db', ['one', 'two', 'three']);
  probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(100);
  const fresh = probe(cache.read('k', backend.fetch, { fresh: true }));
  t.deepEqual(fresh.values, []);
  const joining = probe(cache.read('k', backend.fetch, { fresh: true }));
  await t.context.clock.tickAsync(100);
  t.is(fresh.values[0]?.value, 'two');
  t.is(joining.values[0]?.value, 'two');
  t.is(backend.calls, 2);
  t.is(probe(cache.read('k', backend.fetch)).values[0]?.value, 'two', 'the fresh result is stored');
  t.deepEqual(typesOf(events), ['miss', 'miss', 'coalesced', 'hit']);
  t.is(events[1]?.reason, 'fresh');
});

test.serial('invalidate and invalidateWhere drop entries; an invalidated call in flight is not stored', async (t) => {
  const cache = new SecretCache();
  const events = recordEvents(cache);
  for (const key of ['memory:a', 'memory:a#x', 'memory:b']) {
    probe(cache.read(key, new ScriptedFetch(key, [key], 0).fetch));
  }
  await t.context.clock.tickAsync(0);
  t.is(cache.size, 3);
  cache.invalidateWhere((key) => key.startsWith('memory:a'));
  t.is(cache.size, 1);
  t.deepEqual(
    events
      .filter((event) => event.type === 'invalidate')
      .map((event) => event.key)
      .sort(),
    ['memory:a', 'memory:a#x'],
  );
  cache.invalidate('memory:b');
  t.is(cache.size, 0);

  const backend = new ScriptedFetch('c', ['before-write', 'after-write']);
  const reader = probe(cache.read('memory:c', backend.fetch));
  cache.invalidate('memory:c');
  await t.context.clock.tickAsync(100);
  t.is(reader.values[0]?.value, 'before-write', 'the reader still gets its answer');
  t.is(cache.size, 0, 'but it is not stored');
  const next = probe(cache.read('memory:c', backend.fetch));
  await t.context.clock.tickAsync(100);
  t.is(next.values[0]?.value, 'after-write');
});

test.serial('put stores a value that later reads hit', async (t) => {
  const cache = new SecretCache();
  const events = recordEvents(cache);
  const backend = new ScriptedFetch('db', ['fetched']);
  cache.put('k', secretOf('db', 'pushed', '7').withStale(true));
  const reader = probe(cache.read('k', backend.fetch));
  t.is(reader.values[0]?.value, 'pushed');
  t.is(reader.values[0]?.version, '7');
  t.false(reader.values[0]?.stale);
  t.is(backend.calls, 0);
  t.deepEqual(typesOf(events), ['set', 'hit']);
});

test.serial('disabled: nothing is stored, but concurrent reads still share one call', async (t) => {
  const cache = new SecretCache({ enabled: false });
  const events = recordEvents(cache);
  const backend = new ScriptedFetch('db', ['v']);
  const a = probe(cache.read('k', backend.fetch));
  const b = probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(100);
  t.is(a.values[0]?.value, 'v');
  t.is(b.values[0]?.value, 'v');
  t.is(backend.calls, 1);
  probe(cache.read('k', backend.fetch));
  t.is(backend.calls, 2);
  t.is(cache.size, 0);
  t.deepEqual(typesOf(events), ['miss', 'coalesced', 'miss']);
  t.is(events[0]?.reason, 'disabled');
});

test.serial('events never carry a value', async (t) => {
  const value = 'correct-horse-battery-staple';
  const cache = new SecretCache({ ttl: '10s', jitter: 0, max: 1, staleIfError: '1m' });
  const seen: unknown[] = [];
  cache.events.subscribe((event) => seen.push(event));
  const backend = new ScriptedFetch('db', [value, value, new ProviderUnavailableError(`echo ${value}`)]);
  probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(100);
  await t.context.clock.tickAsync(8 * SECOND);
  probe(cache.read('k', backend.fetch)); // refresh-ahead
  await t.context.clock.tickAsync(100);
  await t.context.clock.tickAsync(11 * SECOND);
  probe(cache.read('k', backend.fetch)); // expired, fails, served stale
  await t.context.clock.tickAsync(100);
  cache.put('j', secretOf('other', value)); // evicts k
  cache.invalidate('j');
  const types = new Set(seen.map((event) => (event as { type: string }).type));
  for (const type of ['miss', 'hit', 'refresh', 'refreshed', 'expire', 'stale', 'set', 'evict', 'invalidate']) {
    t.true(types.has(type), `saw a ${type} event`);
  }
  t.false(JSON.stringify(seen).includes(value));
  for (const event of seen)
    t.deepEqual(
      Object.keys(event as object).sort(),
      ['key', 'reason', 'type'].filter((k) => k in (event as object)),
    );
});

test.serial('close aborts a background refresh, completes events, and rejects later reads', async (t) => {
  const cache = new SecretCache({ ttl: '100s', jitter: 0 });
  let completed = false;
  cache.events.subscribe({ complete: () => (completed = true) });
  const backend = new ScriptedFetch('db', ['v'], SECOND);
  probe(cache.read('k', backend.fetch));
  await t.context.clock.tickAsync(SECOND);
  await t.context.clock.tickAsync(80 * SECOND);
  probe(cache.read('k', backend.fetch));
  t.is(backend.calls, 2);
  await cache.close();
  t.true(backend.signals[1]?.aborted);
  t.true(completed);
  const after = probe(cache.read('k', backend.fetch));
  t.true(after.error instanceof ClosedError);
});

test.serial('bad options are ValidationErrors', (t) => {
  for (const options of [{ max: 0 }, { jitter: 1 }, { refreshAhead: 0 }, { ttl: 'soon' }, { staleIfError: -1 }]) {
    t.true(isValidationError(t.throws(() => new SecretCache(options))), JSON.stringify(options));
  }
});
