import test from 'ava';
import {
  AccessDeniedError,
  isTransientError,
  SecretNotFoundError,
  ThrottledError,
} from '../../src/core/errors/index.js';
import type { SecretProvider } from '../../src/core/provider.js';
import type { Secret } from '../../src/core/secret.js';
import { WatchEngine, type WatchEvent, type WatchStatus } from '../../src/core/watch/index.js';
import { memoryProvider } from '../../src/providers/memory/index.js';
import { installFakeClock } from '../support/fake-clock.js';
import { collect, makeCall, ref, seededRandom, spyProvider, versions } from '../support/watch-helpers.js';

/** A memory provider whose calls fail (transiently) while `failing.on` is true. */
function flakyProvider(secrets: Record<string, string>) {
  const failing = { on: false };
  const provider = memoryProvider({ secrets, failureRate: 0.5, random: () => (failing.on ? 0 : 1) });
  return { provider, failing };
}

test.serial('with 30% injected transient failures the watch never errors and misses no version', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { db: 'v1' }, failureRate: 0.3, random: seededRandom(42) });
  const events: WatchEvent[] = [];
  const engine = new WatchEngine({
    provider,
    // no retries inside the call: every injected failure reaches the engine's own backoff
    call: makeCall(provider, { retries: 0 }),
    defaultInterval: '1s',
    maxBackoff: '8s',
    random: seededRandom(7),
    onEvent: (e) => events.push(e),
  });
  const seen = collect(engine.watch(ref('db')));
  const rotations = 30;
  for (let version = 1; version <= rotations; version++) {
    // wait until the current version was emitted, then rotate (so "no missed version" is well defined)
    for (let waited = 0; seen.values.length < version && waited < 120_000; waited += 250) {
      await clock.tickAsync(250);
    }
    t.is(seen.values.length, version, `version ${version} emitted`);
    if (version < rotations) provider.store.put('db', `v${version + 1}`);
  }
  t.deepEqual(
    versions(seen.values),
    Array.from({ length: rotations }, (_, i) => String(i + 1)),
  );
  t.is(seen.error, undefined);
  t.false(seen.completed);
  const errors = events.filter((e) => e.type === 'watch-error');
  t.true(errors.length >= 10, `transient failures reached the engine (${errors.length})`);
  t.true(errors.every((e) => e.type === 'watch-error' && isTransientError(e.error) && e.retryInMs <= 8000));
  t.true(events.some((e) => e.type === 'watch-recovered'));
  t.false(events.some((e) => e.type === 'watch-ended'));
});

test.serial('a deleted secret ends the stream with SecretNotFoundError', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { db: 'v1' } });
  const events: WatchEvent[] = [];
  const engine = new WatchEngine({ provider, call: makeCall(provider), onEvent: (e) => events.push(e) });
  const a = collect(engine.watch(ref('db'), { interval: '1s' }));
  const b = collect(engine.watch(ref('db')));
  const status = collect(engine.status(ref('db')));
  await clock.tickAsync(0);
  provider.store.remove('db');
  await clock.tickAsync(1000);
  for (const seen of [a, b]) {
    t.true(seen.error instanceof SecretNotFoundError);
    t.deepEqual(versions(seen.values), ['1']);
  }
  t.is(engine.watchedCount, 0);
  t.true(status.completed);
  t.like(status.values.at(-1), { state: 'ended', version: '1' });
  t.true(status.values.at(-1)?.lastError instanceof SecretNotFoundError);
  const ended = events.find((e) => e.type === 'watch-ended');
  t.true(ended?.type === 'watch-ended' && ended.error instanceof SecretNotFoundError);
  const probes = provider.stats.probe;
  await clock.tickAsync(10_000);
  t.is(provider.stats.probe, probes, 'an ended watch is not polled');
});

test.serial('a missing secret fails the first read with SecretNotFoundError', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider();
  const engine = new WatchEngine({ provider, call: makeCall(provider) });
  const seen = collect(engine.watch(ref('nope')));
  await clock.tickAsync(0);
  t.true(seen.error instanceof SecretNotFoundError);
  t.is(seen.values.length, 0);
});

test.serial('a permanent error in one probe slot ends that ref only', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { a: '1', b: '1', c: '1' } });
  const engine = new WatchEngine({ provider, call: makeCall(provider), defaultInterval: '1s' });
  const [a, b, c] = ['a', 'b', 'c'].map((name) => collect(engine.watch(ref(name))));
  await clock.tickAsync(0);
  provider.store.remove('b');
  provider.store.put('c', '2');
  await clock.tickAsync(1000);
  t.true(b?.error instanceof SecretNotFoundError);
  t.is(a?.error, undefined);
  t.is(c?.error, undefined);
  t.deepEqual(versions(c?.values ?? []), ['1', '2']);
  t.is(engine.watchedCount, 2);
  provider.store.put('a', '2');
  await clock.tickAsync(1000);
  t.deepEqual(versions(a?.values ?? []), ['1', '2']);
});

test.serial('access denied on a whole probe call ends the refs of that call', async (t) => {
  const clock = installFakeClock(t);
  const memory = memoryProvider({ secrets: { a: '1' } });
  let deny = false;
  const spied = spyProvider(memory);
  const provider: SecretProvider = {
    ...spied,
    probe: async (refs, ctx) => {
      if (deny) throw new AccessDeniedError('no permission to describe', { provider: 'memory' });
      return spied.probe(refs, ctx);
    },
  };
  const engine = new WatchEngine({ provider, call: makeCall(provider), defaultInterval: '1s' });
  const seen = collect(engine.watch(ref('a')));
  await clock.tickAsync(1000);
  t.is(seen.error, undefined);
  deny = true;
  await clock.tickAsync(1000);
  t.true(seen.error instanceof AccessDeniedError);
  t.deepEqual(versions(seen.values), ['1']);
});

test.serial('status goes degraded on transient failures and back to ok, keeping the last value', async (t) => {
  const clock = installFakeClock(t);
  const { provider, failing } = flakyProvider({ db: 'v1' });
  const events: WatchEvent[] = [];
  const engine = new WatchEngine({
    provider,
    call: makeCall(provider, { retries: 0 }),
    defaultInterval: '10s',
    minBackoff: '1s',
    maxBackoff: '4s',
    random: () => 0.5,
    onEvent: (e) => events.push(e),
  });
  const seen = collect(engine.watch(ref('db')));
  const status = collect(engine.status(ref('db')));
  await clock.tickAsync(0);
  failing.on = true;
  await clock.tickAsync(10_000); // the poll fails: retry in 1.1 s (1 s, stretched by 10 % at random 0.5)
  await clock.tickAsync(1100); // fails again: retry in 2.2 s
  await clock.tickAsync(2200); // 4 s (the cap is the 10 s interval; maxBackoff is for unpolled watches): 4.4 s
  t.deepEqual(
    events
      .filter((e) => e.type === 'watch-error')
      .map((e) => e.type === 'watch-error' && [e.consecutiveFailures, e.retryInMs]),
    [
      [1, 1100],
      [2, 2200],
      [3, 4400],
    ],
  );
  provider.store.put('db', 'v2');
  failing.on = false;
  await clock.tickAsync(4400);
  const states = status.values.map((s: WatchStatus) => [s.state, s.consecutiveFailures, s.version]);
  t.deepEqual(states, [
    ['starting', 0, undefined],
    ['ok', 0, '1'],
    ['degraded', 1, '1'],
    ['degraded', 2, '1'],
    ['degraded', 3, '1'],
    ['ok', 0, '2'],
  ]);
  t.true(status.values[2]?.lastError instanceof Error);
  t.deepEqual(versions(seen.values), ['1', '2']);
  t.is(seen.error, undefined);
  t.true(events.some((e) => e.type === 'watch-recovered' && e.ref === 'memory:db'));
});

test.serial('a failing first read is retried with backoff until a value comes', async (t) => {
  const clock = installFakeClock(t);
  const { provider, failing } = flakyProvider({ db: 'v1' });
  failing.on = true;
  const engine = new WatchEngine({ provider, call: makeCall(provider, { retries: 0 }), random: () => 0 });
  const seen = collect(engine.watch(ref('db')));
  const status = collect(engine.status(ref('db')));
  await clock.tickAsync(0);
  t.like(status.values.at(-1), { state: 'degraded', consecutiveFailures: 1, version: undefined });
  failing.on = false;
  await clock.tickAsync(999);
  t.deepEqual(versions(seen.values), [], 'no retry before the first backoff (1 s at random 0)');
  await clock.tickAsync(1);
  t.deepEqual(versions(seen.values), ['1']);
  t.like(status.values.at(-1), { state: 'ok' });
});

test.serial("a throttled backend's retry-after hint delays the retry", async (t) => {
  const clock = installFakeClock(t);
  const memory = memoryProvider({ secrets: { db: 'v1' } });
  let throttle = false;
  let probes = 0;
  const spied = spyProvider(memory);
  const provider: SecretProvider = {
    ...spied,
    probe: async (refs, ctx) => {
      probes += 1;
      if (throttle) throw new ThrottledError('slow down', { retryAfterMs: 20_000 });
      return spied.probe(refs, ctx);
    },
  };
  const events: WatchEvent[] = [];
  const engine = new WatchEngine({
    provider,
    call: makeCall(provider, { retries: 0 }),
    defaultInterval: '1s',
    random: () => 0,
    onEvent: (e) => events.push(e),
  });
  collect(engine.watch(ref('db')));
  await clock.tickAsync(0);
  throttle = true;
  await clock.tickAsync(1000);
  const error = events.find((e) => e.type === 'watch-error');
  t.true(error?.type === 'watch-error' && error.retryInMs === 20_000);
  t.is(probes, 1);
  await clock.tickAsync(19_999);
  t.is(probes, 1, 'no probe before the hinted time');
  await clock.tickAsync(1);
  t.is(probes, 2);
});

test.serial('a value is never part of an event', async (t) => {
  const clock = installFakeClock(t);
  const { provider, failing } = flakyProvider({ db: 'hunter2-secret' });
  const events: WatchEvent[] = [];
  const values: Secret[] = [];
  const engine = new WatchEngine({
    provider,
    call: makeCall(provider, { retries: 0 }),
    defaultInterval: '1s',
    onEvent: (e) => events.push(e),
    onValue: (s) => values.push(s),
  });
  const seen = collect(engine.watch(ref('db')));
  await clock.tickAsync(1000);
  failing.on = true;
  await clock.tickAsync(1000);
  failing.on = false;
  provider.store.remove('db');
  await clock.tickAsync(5000);
  t.true(seen.error instanceof SecretNotFoundError);
  t.is(values.length, 1, 'onValue got the value');
  const text = JSON.stringify(events, (_k, v) => (v instanceof Error ? { message: v.message, stack: v.stack } : v));
  t.true(events.length >= 4);
  t.false(text.includes('hunter2'));
});
