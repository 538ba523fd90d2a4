// The fleet member's timing, as pure logic: a fake clock, a fleet store that can be switched off, a provider that
// counts probes. (The real thing, with redis-server and the AWS SDK, is redis-fleet.test.ts.)
import test from 'ava';
import type { Fleet, FleetGroup, FleetTable } from '../../src/core/fleet/fleet.js';
import { FleetMember } from '../../src/core/fleet/fleet-member.js';
import type { ProbeResult, SecretProvider } from '../../src/core/provider.js';
import { parseSecretRef, type SecretRef } from '../../src/core/ref.js';
import { type FakeClock, installFakeClock } from '../support/fake-clock.js';

const INTERVAL = 1_000;
const SPREAD = 200;

/** A store whose every call fails while `down` (as a stopped Redis does). */
class SwitchableGroup implements FleetGroup {
  down = false;
  holder: string | undefined;
  readonly tokens = new Map<string, string>();
  heartbeatAt: number | undefined;

  #check(): void {
    if (this.down) throw new Error('store unreachable');
  }
  async acquireLease(owner: string): Promise<boolean> {
    this.#check();
    this.holder ??= owner;
    return this.holder === owner;
  }
  async renewLease(owner: string): Promise<boolean> {
    this.#check();
    return this.holder === owner;
  }
  async releaseLease(owner: string): Promise<void> {
    if (this.holder === owner) this.holder = undefined;
  }
  async follow(refs: readonly string[]): Promise<FleetTable> {
    this.#check();
    return { tokens: refs.map((ref) => this.tokens.get(ref)), heartbeatAt: this.heartbeatAt };
  }
  async interest(): Promise<string[]> {
    this.#check();
    return [];
  }
  async publish(_owner: string, tokens: ReadonlyMap<string, string>): Promise<string[]> {
    this.#check();
    for (const [ref, token] of tokens) this.tokens.set(ref, token);
    return [...tokens.keys()];
  }
  async subscribe(): Promise<() => void> {
    this.#check();
    return () => undefined;
  }
}

function world(t: { teardown(fn: () => void): void }) {
  const clock: FakeClock = installFakeClock(t, { now: 1_000_000 });
  const group = new SwitchableGroup();
  group.holder = 'someone else'; // this member follows
  const fleet: Fleet = {
    kind: 'test',
    leaseTtlMs: 3_000,
    spreadMs: SPREAD,
    group: () => group,
    seal: (_identity, _ref, token) => token,
    close: async () => undefined,
  };
  const backendProbes: string[][] = [];
  const provider = {
    scheme: 'mem',
    probe: async (refs: readonly SecretRef[]): Promise<readonly ProbeResult[]> => {
      backendProbes.push(refs.map((ref) => ref.text));
      return refs.map(() => ({ version: 'v1' }));
    },
  } as unknown as SecretProvider;
  const events: string[] = [];
  const rechecks: Array<{ at: number; keys: string[] | undefined }> = [];
  const member = new FleetMember({
    fleet,
    provider,
    identity: 'test-backend',
    intervalMs: INTERVAL,
    emit: (event) => events.push(event.type),
    random: () => 0.5,
  });
  const refs = [parseSecretRef('mem:a'), parseSecretRef('mem:b')];
  member.start({
    watchedKeys: () => refs.map((ref) => ref.text),
    intervalOf: () => undefined,
    recheck: (keys) => rechecks.push({ at: Date.now(), keys: keys === undefined ? undefined : [...keys] }),
    track: () => undefined,
    setFleetIssue: () => undefined,
  });
  const probe = () => member.probe(refs, { signal: new AbortController().signal });
  t.teardown(() => void member.close());
  return { clock, group, member, backendProbes, events, rechecks, probe, refs };
}

test.serial('after the store is lost, the first local probe comes at a random point within one interval', async (t) => {
  const { clock, group, member, backendProbes, events, rechecks, probe, refs } = world(t);
  await clock.tickAsync(0);
  for (const ref of refs) member.learn(ref, 'v1');

  group.down = true;
  const lostAt = Date.now();
  // The probe that finds the store gone answers from the versions held (unchanged), with no backend call.
  t.deepEqual(await probe(), [{ version: 'v1' }, { version: 'v1' }]);
  t.deepEqual(events, ['fleet-lost']);
  t.is(member.role, 'local');
  t.deepEqual(backendProbes, []);
  await clock.tickAsync(INTERVAL * 0.5 - 1);
  t.deepEqual(await probe(), [{ version: 'v1' }, { version: 'v1' }]);
  t.deepEqual(backendProbes, [], 'still before the random first tick');

  await clock.tickAsync(1);
  t.deepEqual(
    rechecks.map((r) => ({ after: r.at - lostAt, keys: r.keys })),
    [{ after: INTERVAL * 0.5, keys: undefined }],
    'every watched ref is re-checked at the randomised first local tick',
  );
  await probe();
  t.deepEqual(backendProbes, [['mem:a', 'mem:b']], 'from then on the member polls the backend itself');
});

test.serial('a ref whose version is unknown is probed at once, even before the first local tick', async (t) => {
  const { clock, group, member, backendProbes, probe, refs } = world(t);
  await clock.tickAsync(0);
  member.learn(refs[0] as SecretRef, 'v0');
  group.down = true;
  t.deepEqual(await probe(), [{ version: 'v0' }, { version: 'v1' }]);
  t.deepEqual(backendProbes, [['mem:b']]);
});

test.serial('when the store returns, the reconcile waits a random point within the spread', async (t) => {
  const { clock, group, events, rechecks, probe } = world(t);
  await clock.tickAsync(0);
  group.down = true;
  await probe();
  const lostChecks = rechecks.length;
  await clock.tickAsync(INTERVAL);
  t.is(rechecks.length, lostChecks + 1);

  group.down = false;
  // The next lease round (every third of the lease TTL) reaches the store.
  await clock.tickAsync(1_000);
  t.deepEqual(events, ['fleet-lost', 'fleet-restored']);
  const restoredAt = Date.now();
  const before = rechecks.length;
  await clock.tickAsync(SPREAD * 0.5 - 1);
  t.is(rechecks.length, before, 'no reconcile in the same millisecond as every other instance');
  await clock.tickAsync(1);
  t.is(rechecks.length, before + 1);
  t.true((rechecks.at(-1)?.at ?? 0) - restoredAt <= SPREAD * 0.5);
});
