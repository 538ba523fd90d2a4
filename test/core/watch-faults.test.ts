import test from 'ava';
import type { SecretProvider } from '../../src/core/provider.js';
import { WatchEngine, type WatchEvent } from '../../src/core/watch/index.js';
import { memoryProvider } from '../../src/providers/memory/index.js';
import { type FakeClock, installFakeClock } from '../support/fake-clock.js';
import { collect, makeCall, ref, seededRandom, spyProvider, versions } from '../support/watch-helpers.js';

/**
 * 100 secrets in batches of 20 (5 probe calls per healthy interval), whose backend is down while `backend.down`,
 * or for the next `backend.failNext` calls.
 */
function flakyBackend(count = 100) {
  const secrets: Record<string, string> = {};
  for (let i = 0; i < count; i++) secrets[`s${i}`] = 'v';
  const backend = { down: false, failNext: 0 };
  const memory = memoryProvider({
    secrets,
    batchSize: 20,
    failureRate: 0.5,
    random: () => {
      if (backend.failNext > 0) {
        backend.failNext -= 1;
        return 0;
      }
      return backend.down ? 0 : 1;
    },
  });
  const probeTimes: number[] = [];
  const spied = spyProvider(memory);
  const provider: SecretProvider = {
    ...spied,
    probe: (refs, ctx) => {
      probeTimes.push(Date.now());
      return spied.probe(refs, ctx);
    },
  };
  return { memory, spied, provider, backend, probeTimes };
}

/** Every backend call the memory provider served (failed ones included). */
const calls = (memory: ReturnType<typeof memoryProvider>) =>
  memory.stats.probe + memory.stats.get + memory.stats.getMany;

/** Backend calls in each of `intervals` intervals of `ms`. */
async function callsPerInterval(
  clock: FakeClock,
  memory: ReturnType<typeof memoryProvider>,
  intervals: number,
  ms = 1000,
) {
  const counts: number[] = [];
  for (let i = 0; i < intervals; i++) {
    const before = calls(memory);
    await clock.tickAsync(ms);
    counts.push(calls(memory) - before);
  }
  return counts;
}

test.serial(
  'after an outage, refs that failed or joined late are back in one batched probe per interval',
  async (t) => {
    const clock = installFakeClock(t);
    const { memory, provider, backend } = flakyBackend();
    const probes: WatchEvent[] = [];
    const engine = new WatchEngine({
      provider,
      call: makeCall(provider, { retries: 0 }),
      defaultInterval: '1s',
      random: seededRandom(11),
      onEvent: (e) => e.type === 'watch-probe' && probes.push(e),
    });
    const seen = [];
    for (let i = 0; i < 60; i++) seen.push(collect(engine.watch(ref(`s${i}`))));
    await clock.tickAsync(300);
    for (let i = 60; i < 80; i++) seen.push(collect(engine.watch(ref(`s${i}`))));
    await clock.tickAsync(400);
    for (let i = 80; i < 100; i++) seen.push(collect(engine.watch(ref(`s${i}`))));
    await clock.tickAsync(2300);
    t.deepEqual(await callsPerInterval(clock, memory, 2), [5, 5], 'late joiners probed with the others');

    backend.down = true;
    const down = await callsPerInterval(clock, memory, 15);
    t.true(
      down.every((n) => n <= 5),
      `a down backend gets no more calls than a healthy one: ${down}`,
    );
    t.true(
      down.slice(1).every((n) => n <= 1),
      `after the first failed round, one call per round: ${down}`,
    );
    backend.down = false;
    await clock.tickAsync(3000); // within a few intervals
    probes.length = 0;
    t.deepEqual(await callsPerInterval(clock, memory, 5), [5, 5, 5, 5, 5]);
    t.deepEqual(
      probes,
      Array.from({ length: 5 }, () => ({ type: 'watch-probe', provider: 'memory', refs: 100, calls: 5 })),
      'one round a second, every ref in it',
    );
    t.true(seen.every((s) => s.error === undefined && s.values.length === 1));
  },
);

test.serial(
  'a down provider backs off as one: doubling up to the interval, then resumes on the first success',
  async (t) => {
    const clock = installFakeClock(t);
    const { provider, backend, probeTimes } = flakyBackend();
    const events: WatchEvent[] = [];
    const engine = new WatchEngine({
      provider,
      call: makeCall(provider, { retries: 0 }),
      defaultInterval: '10s',
      minBackoff: '1s',
      random: () => 0,
      onEvent: (e) => events.push(e),
    });
    for (let i = 0; i < 100; i++) collect(engine.watch(ref(`s${i}`)));
    const status = collect(engine.status(ref('s42')));
    await clock.tickAsync(9000);
    backend.down = true;
    await clock.tickAsync(41_000); // t = 50 s
    t.deepEqual(
      probeTimes,
      [10_000, 10_000, 10_000, 10_000, 10_000, 11_000, 13_000, 17_000, 25_000, 35_000, 45_000],
      'the grid round fails (5 calls), then one call per round at 1, 2, 4, 8 s, capped at the 10 s interval',
    );
    const retries = events.filter((e) => e.type === 'watch-error' && e.ref === 'memory:s42');
    t.deepEqual(
      retries.map((e) => e.type === 'watch-error' && [e.consecutiveFailures, e.retryInMs]),
      [
        [1, 1000],
        [2, 2000],
        [3, 4000],
        [4, 8000],
        [5, 10_000],
        [6, 10_000],
        [7, 10_000],
      ],
    );
    t.like(status.values.at(-1), { state: 'degraded', consecutiveFailures: 7 });
    backend.down = false;
    probeTimes.length = 0;
    await clock.tickAsync(20_000);
    t.deepEqual(
      probeTimes,
      [
        55_000, 55_000, 55_000, 55_000, 55_000, 60_000, 60_000, 60_000, 60_000, 60_000, 70_000, 70_000, 70_000, 70_000,
        70_000,
      ],
      'the round at 55 s succeeds (its first call, then the other four), then back on the 10 s grid',
    );
    t.like(status.values.at(-1), { state: 'ok', consecutiveFailures: 0 });
  },
);

test.serial('a throttling answer sets the whole provider back by its retry-after hint', async (t) => {
  const clock = installFakeClock(t);
  const { ThrottledError } = await import('../../src/core/errors/index.js');
  const { spied, probeTimes } = flakyBackend(40);
  let throttled = false;
  const provider: SecretProvider = {
    ...spied,
    probe: async (refs, ctx) => {
      probeTimes.push(Date.now());
      if (throttled) throw new ThrottledError('slow down', { retryAfterMs: 7000 });
      return spied.probe(refs, ctx);
    },
  };
  const engine = new WatchEngine({ provider, call: makeCall(provider, { retries: 0 }), random: () => 0 });
  for (let i = 0; i < 40; i++) collect(engine.watch(ref(`s${i}`), { interval: '1s' }));
  await clock.tickAsync(0);
  throttled = true;
  await clock.tickAsync(1000);
  t.deepEqual(probeTimes, [1000, 1000]);
  throttled = false;
  await clock.tickAsync(6999);
  t.is(probeTimes.length, 2, 'nothing before the hinted time');
  await clock.tickAsync(1);
  t.deepEqual(probeTimes.slice(2), [8000, 8000]);
});

test.serial(
  'refs that fail in a round that otherwise succeeded are retried alone, then rejoin the batch',
  async (t) => {
    const clock = installFakeClock(t);
    const { memory, spied, provider, backend, probeTimes } = flakyBackend(40);
    const engine = new WatchEngine({
      provider,
      call: makeCall(provider, { retries: 0 }),
      defaultInterval: '10s',
      random: () => 0,
    });
    for (let i = 0; i < 40; i++) collect(engine.watch(ref(`s${i}`)));
    await clock.tickAsync(0);
    spied.log.probeCalls.length = 0;
    backend.failNext = 1; // the first of the two probe calls at 10 s
    await clock.tickAsync(30_000);
    t.deepEqual(probeTimes, [10_000, 10_000, 11_000, 20_000, 20_000, 30_000, 30_000]);
    t.deepEqual(
      spied.log.probeCalls.map((refs) => refs.length),
      [20, 20, 20, 20, 20, 20, 20],
    );
    t.is(memory.stats.probe, 7);
  },
);

test.serial('refs joining during a backoff wait for its next round; refs leaving it are not retried', async (t) => {
  const clock = installFakeClock(t);
  const { memory, spied, provider, backend } = flakyBackend(4);
  const engine = new WatchEngine({
    provider,
    call: makeCall(provider, { retries: 0 }),
    defaultInterval: '10s',
    minBackoff: '2s',
    random: () => 0,
  });
  const [a, b, c] = ['s0', 's1', 's2'].map((name) => collect(engine.watch(ref(name))));
  await clock.tickAsync(0);
  backend.down = true;
  await clock.tickAsync(10_000); // the round at 10 s fails: next round at 12 s
  const before = calls(memory);
  const late = collect(engine.watch(ref('s3')));
  await clock.tickAsync(1999);
  t.is(calls(memory), before, 'the new ref waits for the provider');
  await clock.tickAsync(1); // 12 s: the probe goes first and fails; the read of s3 is not sent
  t.is(calls(memory), before + 1);
  t.is(memory.stats.get + memory.stats.getMany, 1, 'only the first reads, at 0 s');
  c?.subscription.unsubscribe();
  backend.down = false;
  spied.log.probeCalls.length = 0;
  await clock.tickAsync(3999);
  t.deepEqual(late.values, []);
  await clock.tickAsync(1); // 16 s
  t.deepEqual(spied.log.probeCalls, [['s0', 's1']], 'the ref that left is not probed');
  t.deepEqual(versions(late.values), ['1'], 'the ref that joined is read in the same round');
  t.deepEqual(spied.log.getCalls, ['s3']);
  for (const seen of [a, b, late]) t.is(seen?.error, undefined);
});

test.serial('close() during a poll in flight completes every watch', async (t) => {
  const clock = installFakeClock(t);
  const memory = memoryProvider({ secrets: { a: '1', b: '1' }, latency: 100 });
  const engine = new WatchEngine({ provider: memory, call: makeCall(memory), defaultInterval: '1s' });
  const seen = ['a', 'b'].map((name) => collect(engine.watch(ref(name))));
  await clock.tickAsync(1050);
  t.is(memory.stats.probe, 1, 'a probe is in flight');
  engine.close();
  await clock.tickAsync(1000);
  for (const s of seen) {
    t.true(s.completed);
    t.is(s.error, undefined);
  }
});
