import test from 'ava';
import type { SecretProvider } from '../../src/core/provider.js';
import { WatchEngine, type WatchEvent } from '../../src/core/watch/index.js';
import { memoryProvider } from '../../src/providers/memory/index.js';
import { installFakeClock } from '../support/fake-clock.js';
import { collect, makeCall, ref, spyProvider, versions } from '../support/watch-helpers.js';

function hundredSecrets(batchSize = 20) {
  const secrets: Record<string, string> = {};
  for (let i = 0; i < 100; i++) secrets[`s${i}`] = `value-${i}`;
  return memoryProvider({ secrets, batchSize });
}

function engineFor(provider: SecretProvider, events: WatchEvent[] = []) {
  return new WatchEngine({ provider, call: makeCall(provider), defaultInterval: '1s', onEvent: (e) => events.push(e) });
}

test.serial('100 refs at batch size 20: 5 probe calls per interval, 5 batched initial reads', async (t) => {
  const clock = installFakeClock(t);
  const memory = hundredSecrets();
  const provider = spyProvider(memory);
  const events: WatchEvent[] = [];
  const engine = engineFor(provider, events);
  const seen = Array.from({ length: 100 }, (_, i) => collect(engine.watch(ref(`s${i}`))));
  await clock.tickAsync(0);
  t.is(memory.stats.getMany, 5, 'initial values read in getMany chunks of 20');
  t.is(memory.stats.get, 0);
  t.true(seen.every((s) => s.values.length === 1));
  t.is(memory.stats.probe, 0);
  await clock.tickAsync(1000);
  t.is(memory.stats.probe, 5);
  t.true(provider.log.probeCalls.every((call) => call.length === 20));
  t.deepEqual(new Set(provider.log.probeCalls.flat()).size, 100);
  await clock.tickAsync(4000);
  t.is(memory.stats.probe, 25, '5 calls per interval');
  t.deepEqual(
    events.filter((e) => e.type === 'watch-probe'),
    Array.from({ length: 5 }, () => ({ type: 'watch-probe', provider: 'memory', refs: 100, calls: 5 })),
  );
  t.is(memory.stats.getMany, 5, 'nothing changed: nothing fetched');
});

test.serial('only the refs whose version changed are fetched, in one batch per probe chunk', async (t) => {
  const clock = installFakeClock(t);
  const memory = hundredSecrets();
  const provider = spyProvider(memory);
  const engine = engineFor(provider);
  const seen = Array.from({ length: 100 }, (_, i) => collect(engine.watch(ref(`s${i}`))));
  await clock.tickAsync(0);
  provider.log.getManyCalls.length = 0;
  memory.store.put('s3', 'new');
  memory.store.put('s7', 'new');
  memory.store.put('s45', 'new');
  await clock.tickAsync(1000);
  t.deepEqual(provider.log.getManyCalls, [['s3', 's7']], 's3 and s7 share a probe chunk: one getMany');
  t.deepEqual(provider.log.getCalls, ['s45'], 'a lone changed ref is read with get');
  for (const [i, s] of seen.entries()) {
    t.deepEqual(versions(s.values), [3, 7, 45].includes(i) ? ['1', '2'] : ['1'], `s${i}`);
  }
});

test.serial('maxBatchProbe Infinity probes every due ref in one call', async (t) => {
  const clock = installFakeClock(t);
  const memory = hundredSecrets();
  const provider = spyProvider(memory, { capabilities: { maxBatchProbe: Number.POSITIVE_INFINITY } });
  const engine = engineFor(provider);
  for (let i = 0; i < 100; i++) collect(engine.watch(ref(`s${i}`)));
  await clock.tickAsync(3000);
  t.deepEqual(
    provider.log.probeCalls.map((c) => c.length),
    [100, 100, 100],
  );
});

test.serial('a provider without getMany is read with one get per changed ref', async (t) => {
  const clock = installFakeClock(t);
  const memory = hundredSecrets();
  const provider = spyProvider(memory, { noGetMany: true });
  const engine = engineFor(provider);
  for (let i = 0; i < 5; i++) collect(engine.watch(ref(`s${i}`)));
  await clock.tickAsync(0);
  t.deepEqual(provider.log.getCalls, ['s0', 's1', 's2', 's3', 's4']);
  memory.store.put('s1', 'x');
  memory.store.put('s2', 'x');
  await clock.tickAsync(1000);
  t.deepEqual(provider.log.getCalls.slice(5), ['s1', 's2']);
  t.is(memory.stats.getMany, 0);
});

test.serial('a probe racing a rotation never emits one version twice', async (t) => {
  const clock = installFakeClock(t);
  const memory = memoryProvider({ secrets: { db: 'v1' } });
  let rotateAfterProbe = false;
  const provider = spyProvider(memory, {
    afterProbe: () => {
      if (rotateAfterProbe) {
        rotateAfterProbe = false;
        memory.store.put('db', 'v3'); // lands between the probe (which saw v2) and the fetch
      }
    },
  });
  const engine = engineFor(provider);
  const seen = collect(engine.watch(ref('db')));
  await clock.tickAsync(0);
  memory.store.put('db', 'v2');
  rotateAfterProbe = true;
  await clock.tickAsync(1000);
  t.deepEqual(versions(seen.values), ['1', '3'], 'the fetch returned v3: emitted once');
  await clock.tickAsync(5000);
  t.deepEqual(versions(seen.values), ['1', '3'], 'later probes see v3 again: not emitted again');
  t.is(memory.stats.get, 2, 'v3 is known from the fetch: not fetched again');
});

test.serial('a backend without versions: an unchanged value is not emitted again', async (t) => {
  const clock = installFakeClock(t);
  const memory = memoryProvider({ secrets: { db: 'same' }, pushChanges: true });
  const { Secret } = await import('../../src/core/secret.js');
  const provider = spyProvider(memory);
  const unversioned: SecretProvider = {
    ...provider,
    get: async (r, ctx) => {
      const secret = await provider.get(r, ctx);
      return new Secret({ ref: secret.ref, name: secret.name }, secret.value);
    },
  };
  const engine = engineFor(unversioned);
  const seen = collect(engine.watch(ref('db')));
  await clock.tickAsync(0);
  memory.store.put('db', 'same');
  await clock.tickAsync(0);
  memory.store.put('db', 'changed');
  await clock.tickAsync(0);
  t.deepEqual(
    seen.values.map((s) => s.value),
    ['same', 'changed'],
  );
  t.is(provider.log.getCalls.length, 3);
});

test.serial('refs due within a small window of each other join one probe call', async (t) => {
  const clock = installFakeClock(t);
  const memory = memoryProvider({ secrets: { a: '1', b: '1' } });
  const provider = spyProvider(memory);
  const engine = engineFor(provider);
  collect(engine.watch(ref('a')));
  await clock.tickAsync(50);
  collect(engine.watch(ref('b'))); // due 50 ms after a, within 10% of the 1 s interval
  await clock.tickAsync(10_000);
  t.is(provider.log.probeCalls.length, 10);
  t.true(provider.log.probeCalls.every((refs) => refs.length === 2));
});
