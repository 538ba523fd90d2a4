import test from 'ava';
import { Subject } from 'rxjs';
import { ClosedError, SecretNotFoundError } from '../../src/core/errors/index.js';
import type { CallContext, ChangeHint, SecretProvider } from '../../src/core/provider.js';
import { WatchEngine, type WatchEvent } from '../../src/core/watch/index.js';
import { memoryProvider } from '../../src/providers/memory/index.js';
import { installFakeClock } from '../support/fake-clock.js';
import { collect, makeCall, ref, spyProvider, versions } from '../support/watch-helpers.js';

test.serial('a trigger forces a prompt check; a burst is coalesced into one', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { db: 'v1' } });
  const engine = new WatchEngine({ provider, call: makeCall(provider) });
  const trigger = new Subject<void>();
  const seen = collect(engine.watch(ref('db'), { interval: '1h', trigger }));
  await clock.tickAsync(0);
  provider.store.put('db', 'v2');
  trigger.next();
  trigger.next();
  trigger.next();
  await clock.tickAsync(0);
  t.deepEqual(versions(seen.values), ['1', '2']);
  t.is(provider.stats.probe, 1, 'three trigger emissions, one probe');
  trigger.next();
  await clock.tickAsync(0);
  t.is(provider.stats.probe, 2);
  t.deepEqual(versions(seen.values), ['1', '2'], 'a check that finds nothing new emits nothing');
});

test.serial('a trigger during a check in flight causes exactly one more check after it', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { db: 'v1' }, latency: 100 });
  const engine = new WatchEngine({ provider, call: makeCall(provider) });
  const trigger = new Subject<void>();
  const seen = collect(engine.watch(ref('db'), { interval: '1h', trigger }));
  await clock.tickAsync(100);
  trigger.next();
  await clock.tickAsync(50); // the probe is in flight
  t.is(provider.stats.probe, 1);
  trigger.next();
  trigger.next();
  await clock.tickAsync(50); // the first probe settles
  await clock.tickAsync(1);
  t.is(provider.stats.probe, 2, 'the recheck started at once');
  provider.store.put('db', 'v2'); // seen by the recheck, which reads the store when its latency is over
  await clock.tickAsync(10_000);
  t.is(provider.stats.probe, 2, 'one recheck for the whole burst');
  t.deepEqual(versions(seen.values), ['1', '2']);
});

test.serial('an error of the trigger ends only that subscription', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { db: 'v1' } });
  const engine = new WatchEngine({ provider, call: makeCall(provider) });
  const trigger = new Subject<void>();
  const withTrigger = collect(engine.watch(ref('db'), { trigger }));
  const plain = collect(engine.watch(ref('db')));
  await clock.tickAsync(0);
  trigger.error(new Error('bridge down'));
  t.is((withTrigger.error as Error).message, 'bridge down');
  t.is(plain.error, undefined);
  t.is(engine.watchedCount, 1);
});

test.serial('a push provider is never probed: changes arrive through its feed', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { db: 'v1', other: 'x' }, pushChanges: true });
  const engine = new WatchEngine({ provider, call: makeCall(provider) });
  const seen = collect(engine.watch(ref('db'), { interval: '1s' }));
  await clock.tickAsync(0);
  for (let i = 2; i <= 4; i++) {
    provider.store.put('db', `v${i}`);
    await clock.tickAsync(10);
  }
  provider.store.put('other', 'y'); // another name: no read
  await clock.tickAsync(3_600_000);
  t.deepEqual(versions(seen.values), ['1', '2', '3', '4']);
  t.is(provider.stats.probe, 0);
  t.is(provider.stats.get, 4);
  provider.store.remove('db');
  await clock.tickAsync(0);
  t.true(seen.error instanceof SecretNotFoundError);
});

test.serial('a burst of change hints is read once', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { db: 'v1' }, pushChanges: true });
  const engine = new WatchEngine({ provider, call: makeCall(provider) });
  const seen = collect(engine.watch(ref('db')));
  await clock.tickAsync(0);
  for (let i = 2; i <= 6; i++) provider.store.put('db', `v${i}`);
  await clock.tickAsync(0);
  t.deepEqual(versions(seen.values), ['1', '6']);
  t.is(provider.stats.get, 2);
});

/** A memory provider with a hand-driven change feed and the given detection mode. */
function feedProvider(changeDetection: 'push' | 'push+poll') {
  const memory = memoryProvider({ secrets: { a: '1', b: '1' } });
  const feed = new Subject<ChangeHint>();
  const spied = spyProvider(memory, { capabilities: { changeDetection } });
  const provider: SecretProvider = { ...spied, changes: () => feed.asObservable() };
  return { memory, feed, provider, spied };
}

test.serial('push+poll polls at the interval and also checks hinted refs at once', async (t) => {
  const clock = installFakeClock(t);
  const { memory, feed, provider, spied } = feedProvider('push+poll');
  const engine = new WatchEngine({ provider, call: makeCall(provider), defaultInterval: '10s' });
  const a = collect(engine.watch(ref('a')));
  const b = collect(engine.watch(ref('b')));
  await clock.tickAsync(10_000);
  t.is(spied.log.probeCalls.length, 1, 'polled');
  memory.store.put('a', '2');
  feed.next({ names: ['a'] });
  await clock.tickAsync(0);
  t.is(spied.log.probeCalls.length, 1, 'a named hint is read without a probe');
  t.deepEqual(spied.log.getCalls.at(-1), 'a', 'the hinted ref alone');
  t.deepEqual(versions(a.values), ['1', '2']);
  memory.store.put('b', '2');
  feed.next({}); // anything may have changed
  await clock.tickAsync(0);
  t.deepEqual(spied.log.probeCalls.at(-1), ['a', 'b']);
  t.deepEqual(versions(b.values), ['1', '2']);
});

test.serial('a hint for an unchanged secret reads it but emits nothing', async (t) => {
  const clock = installFakeClock(t);
  const { feed, provider, spied } = feedProvider('push');
  const engine = new WatchEngine({ provider, call: makeCall(provider) });
  const a = collect(engine.watch(ref('a')));
  await clock.tickAsync(0);
  feed.next({ names: ['a'] }); // e.g. only a tag changed
  feed.next({ names: ['unwatched'] });
  await clock.tickAsync(0);
  t.deepEqual(spied.log.getCalls, ['a', 'a']);
  t.deepEqual(versions(a.values), ['1']);
});

test.serial('the change feed is held only while something is watched', async (t) => {
  const clock = installFakeClock(t);
  const { feed, provider } = feedProvider('push');
  const engine = new WatchEngine({ provider, call: makeCall(provider) });
  t.false(feed.observed);
  const a = collect(engine.watch(ref('a')));
  t.true(feed.observed, 'subscribed before the first read');
  await clock.tickAsync(0);
  a.subscription.unsubscribe();
  t.false(feed.observed);
});

test.serial('a lost change feed falls back to polling every ref', async (t) => {
  const clock = installFakeClock(t);
  const { memory, feed, provider, spied } = feedProvider('push');
  const events: WatchEvent[] = [];
  const engine = new WatchEngine({
    provider,
    call: makeCall(provider),
    defaultInterval: '5s',
    onEvent: (e) => events.push(e),
  });
  const a = collect(engine.watch(ref('a')));
  await clock.tickAsync(60_000);
  t.is(spied.log.probeCalls.length, 0);
  memory.store.put('a', '2'); // missed: no hint
  feed.error(new Error('bus gone'));
  t.like(events.at(-1), { type: 'watch-feed-lost', provider: 'memory' });
  await clock.tickAsync(0);
  t.deepEqual(versions(a.values), ['1', '2'], 'checked at once');
  await clock.tickAsync(10_000);
  t.is(spied.log.probeCalls.length, 3, 'then polled');
});

test.serial('unsubscribing aborts a read in flight', async (t) => {
  const clock = installFakeClock(t);
  const memory = memoryProvider({ secrets: { db: 'v1' }, latency: 1000 });
  const signals: AbortSignal[] = [];
  const provider: SecretProvider = {
    ...spyProvider(memory),
    get: (r, ctx: CallContext) => {
      signals.push(ctx.signal);
      return memory.get(r, ctx);
    },
  };
  const engine = new WatchEngine({ provider, call: makeCall(provider) });
  const seen = collect(engine.watch(ref('db')));
  await clock.tickAsync(10);
  t.is(signals.length, 1);
  seen.subscription.unsubscribe();
  t.true(signals[0]?.aborted);
  await clock.tickAsync(5000);
  t.is(seen.values.length, 0);
});

test.serial('close() completes every watch, stops timers and calls, and refuses new watches', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { a: '1', b: '1' } });
  const events: WatchEvent[] = [];
  const engine = new WatchEngine({ provider, call: makeCall(provider), onEvent: (e) => events.push(e) });
  const a = collect(engine.watch(ref('a')));
  const b = collect(engine.watch(ref('b')));
  const status = collect(engine.status(ref('a')));
  await clock.tickAsync(1500);
  engine.close();
  t.true(a.completed && b.completed);
  t.is(a.error, undefined);
  t.true(status.completed);
  t.is(engine.watchedCount, 0);
  t.is(clock.countTimers(), 0);
  t.is(events.filter((e) => e.type === 'watch-ended').length, 2);
  const probes = provider.stats.probe;
  await clock.tickAsync(60_000);
  t.is(provider.stats.probe, probes);
  const late = collect(engine.watch(ref('a')));
  t.true(late.error instanceof ClosedError);
});

test.serial('a bad interval errors the subscription with a ValidationError', (t) => {
  const provider = memoryProvider({ secrets: { a: '1' } });
  const engine = new WatchEngine({ provider, call: makeCall(provider) });
  const zero = collect(engine.watch(ref('a'), { interval: 0 }));
  const bad = collect(engine.watch(ref('a'), { interval: 'soon' }));
  t.is((zero.error as Error).name, 'ValidationError');
  t.is((bad.error as Error).name, 'ValidationError');
  t.is(engine.watchedCount, 0);
});
