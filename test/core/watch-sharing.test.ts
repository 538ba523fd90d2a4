import test from 'ava';
import { firstValueFrom, toArray } from 'rxjs';
import { WatchEngine, type WatchEvent, type WatchStatus } from '../../src/core/watch/index.js';
import { memoryProvider } from '../../src/providers/memory/index.js';
import { installFakeClock } from '../support/fake-clock.js';
import { collect, makeCall, ref, versions } from '../support/watch-helpers.js';

function setup(interval = '1s') {
  const provider = memoryProvider({ secrets: { db: 'v1' }, pollInterval: interval });
  const events: WatchEvent[] = [];
  const engine = new WatchEngine({ provider, call: makeCall(provider), onEvent: (e) => events.push(e) });
  return { provider, engine, events };
}

test.serial('three subscribers across 5 rotations each see 6 values in order, probes shared', async (t) => {
  const clock = installFakeClock(t);
  const { provider, engine } = setup();
  const subscribers = [1, 2, 3].map(() => collect(engine.watch(ref('db'))));
  await clock.tickAsync(0);
  for (let i = 2; i <= 6; i++) {
    provider.store.put('db', `v${i}`);
    await clock.tickAsync(1000);
  }
  for (const seen of subscribers) {
    t.deepEqual(versions(seen.values), ['1', '2', '3', '4', '5', '6']);
    t.deepEqual(
      seen.values.map((s) => s.value),
      ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'],
    );
    t.is(seen.error, undefined);
  }
  t.is(engine.watchedCount, 1);
  t.is(provider.stats.probe, 5, 'one probe per interval, not one per subscriber');
  t.is(provider.stats.get + provider.stats.getMany, 6, 'the initial read and one read per rotation');
  // all subscribers receive the very same Secret objects: one source
  t.is(subscribers[0]?.values[3], subscribers[2]?.values[3]);
});

test.serial('no value is emitted twice when nothing changed', async (t) => {
  const clock = installFakeClock(t);
  const { provider, engine } = setup();
  const seen = collect(engine.watch(ref('db')));
  await clock.tickAsync(10_000);
  t.deepEqual(versions(seen.values), ['1']);
  t.is(provider.stats.probe, 10);
  t.is(provider.stats.get, 1, 'unchanged versions are not fetched');
});

test.serial('a late subscriber gets the last value replayed at once, without a new read', async (t) => {
  const clock = installFakeClock(t);
  const { provider, engine } = setup();
  const early = collect(engine.watch(ref('db')));
  await clock.tickAsync(0);
  provider.store.put('db', 'v2');
  await clock.tickAsync(1000);
  const reads = provider.stats.get;
  const late = collect(engine.watch(ref('db')));
  t.deepEqual(versions(late.values), ['2'], 'replayed synchronously on subscribe');
  t.is(provider.stats.get, reads);
  provider.store.put('db', 'v3');
  await clock.tickAsync(1000);
  t.deepEqual(versions(late.values), ['2', '3']);
  t.deepEqual(versions(early.values), ['1', '2', '3']);
});

test.serial('the last unsubscribe tears the watch down: no more probes, status completes', async (t) => {
  const clock = installFakeClock(t);
  const { provider, engine, events } = setup();
  const a = collect(engine.watch(ref('db')));
  const b = collect(engine.watch(ref('db')));
  const statuses = collect(engine.status(ref('db')));
  await clock.tickAsync(2000);
  t.is(provider.stats.probe, 2);
  a.subscription.unsubscribe();
  await clock.tickAsync(2000);
  t.is(provider.stats.probe, 4, 'one subscriber left: still polling');
  b.subscription.unsubscribe();
  t.is(engine.watchedCount, 0);
  t.true(statuses.completed);
  t.is(statuses.values.at(-1)?.state, 'ended');
  t.deepEqual(events.at(-1), { type: 'watch-ended', ref: 'memory:db' });
  await clock.tickAsync(60_000);
  t.is(provider.stats.probe, 4, 'no probe after the last subscriber left');
  t.is(clock.countTimers(), 0, 'no timer left behind');
  // a new subscriber starts a fresh watch with a fresh read
  const c = collect(engine.watch(ref('db')));
  await clock.tickAsync(0);
  t.deepEqual(versions(c.values), ['1']);
  t.is(provider.stats.get, 2);
});

test.serial('a key path does not split the shared source', async (t) => {
  const clock = installFakeClock(t);
  const { provider, engine } = setup();
  const whole = collect(engine.watch(ref('db')));
  const keyed = collect(engine.watch(ref('db#password')));
  await clock.tickAsync(3000);
  t.is(engine.watchedCount, 1);
  t.is(provider.stats.get, 1);
  t.is(whole.values[0], keyed.values[0]);
});

test.serial('subscribers asking for different intervals share the shortest one', async (t) => {
  const clock = installFakeClock(t);
  const { provider, engine } = setup();
  const slow = collect(engine.watch(ref('db'), { interval: '10s' }));
  await clock.tickAsync(10_000);
  t.is(provider.stats.probe, 1);
  const fast = collect(engine.watch(ref('db'), { interval: '1s' }));
  await clock.tickAsync(10_000);
  t.is(provider.stats.probe, 11, 'polled every second while the fast subscriber stays');
  fast.subscription.unsubscribe();
  await clock.tickAsync(20_000);
  t.is(provider.stats.probe, 14, 'back to every ten seconds, on the ten-second grid (21 s, then 30 s and 40 s)');
  t.is(slow.values.length, 1);
});

test.serial('refs with different intervals coexist and are gathered into one probe when due together', async (t) => {
  const clock = installFakeClock(t);
  const provider = memoryProvider({ secrets: { a: '1', b: '1' } });
  const probes: Array<{ refs: number; calls: number }> = [];
  const engine = new WatchEngine({
    provider,
    call: makeCall(provider),
    onEvent: (e) => e.type === 'watch-probe' && probes.push({ refs: e.refs, calls: e.calls }),
  });
  collect(engine.watch(ref('a'), { interval: '1s' }));
  collect(engine.watch(ref('b'), { interval: '3s' }));
  await clock.tickAsync(0);
  await clock.tickAsync(3000);
  t.deepEqual(probes, [
    { refs: 1, calls: 1 },
    { refs: 1, calls: 1 },
    { refs: 2, calls: 1 },
  ]);
});

test.serial('status replays the current state and completes when the watch ends', async (t) => {
  const clock = installFakeClock(t);
  const { engine } = setup();
  const watching = collect(engine.watch(ref('db')));
  await clock.tickAsync(0);
  const replayed = await firstValueFrom(engine.status(ref('db')));
  t.like(replayed, { ref: 'memory:db', state: 'ok', version: '1', consecutiveFailures: 0 });
  t.true(replayed.lastCheckedAt instanceof Date);
  const all = firstValueFrom(engine.status(ref('db')).pipe(toArray()));
  watching.subscription.unsubscribe();
  t.deepEqual(
    (await all).map((s: WatchStatus) => s.state),
    ['ok', 'ended'],
  );
  t.deepEqual(await firstValueFrom(engine.status(ref('other')).pipe(toArray())), []);
});

test.serial('intervals beyond the range of setTimeout do not poll early', async (t) => {
  const clock = installFakeClock(t);
  const { provider, engine } = setup();
  collect(engine.watch(ref('db'), { interval: '40d' }));
  await clock.tickAsync(0);
  await clock.tickAsync(30 * 86_400_000);
  t.is(provider.stats.probe, 0);
  await clock.tickAsync(10 * 86_400_000);
  t.is(provider.stats.probe, 1);
});

test.serial('no timer is left once the last watch is gone', async (t) => {
  const clock = installFakeClock(t);
  const { engine } = setup();
  const seen = collect(engine.watch(ref('db')));
  await clock.tickAsync(0);
  t.is(clock.countTimers(), 1, 'the next poll');
  seen.subscription.unsubscribe();
  t.is(clock.countTimers(), 0, 'cleared at once, so an idle process can exit');
});
