// K instances of one service in this process (each its own createSecrets, Redis connections and SDK clients),
// coordinated through a real redis-server, watching parameters of the AWS emulator.

import type { ExecutionContext } from 'ava';
import type { AwsEmulator } from '../../src/emulators/aws/index.js';
import { redisFleet } from '../../src/fleet/redis/index.js';
import { createSecrets, type SecretProvider, type Secrets, type SecretsEvent } from '../../src/index.js';
import { parameterStore } from '../../src/providers/aws/index.js';
import { nextEvents } from './aws-provider-fixture.js';

/** One instance of the fleet, and what it saw. */
export interface Instance {
  readonly name: string;
  readonly secrets: Secrets;
  /** Values emitted per ref text (watch-changed events, first values included). */
  readonly changes: Map<string, string[]>;
  readonly events: SecretsEvent[];
}

/** Fleet timings short enough for tests, with room for a busy machine: a 400 ms interval, a 1.2 s lease. */
export const FLEET_TIMING = { interval: 400, leaseTtl: 1200, spread: 60 } as const;

/**
 * A new instance of the service `namespace`: watching Parameter Store on `emulator` (or `overrides.provider`),
 * through `redisUrl` (or an injected `overrides.client`).
 */
export function instance(
  name: string,
  emulator: AwsEmulator,
  redisUrl: string,
  namespace: string,
  overrides: {
    spread?: number;
    tokenKey?: string;
    provider?: SecretProvider;
    client?: unknown;
    interval?: number;
  } = {},
): Instance {
  const { endpoint, region, credentials } = emulator.clientConfig();
  const secrets = createSecrets({
    providers: [overrides.provider ?? parameterStore({ endpoint, region, credentials })],
    retry: { minDelay: 5, maxDelay: 20, jitter: false },
    watch: { interval: overrides.interval ?? FLEET_TIMING.interval, minBackoff: FLEET_TIMING.interval },
    fleet: redisFleet({
      ...(overrides.client === undefined ? { url: redisUrl } : { client: overrides.client }),
      namespace,
      leaseTtl: FLEET_TIMING.leaseTtl,
      spread: overrides.spread ?? FLEET_TIMING.spread,
      commandTimeout: 1500,
      ...(overrides.tokenKey === undefined ? {} : { tokenKey: overrides.tokenKey }),
    }),
  });
  const changes = new Map<string, string[]>();
  const events: SecretsEvent[] = [];
  secrets.events.subscribe((event) => {
    events.push(event);
    if (process.env.FLEET_DEBUG && !event.type.startsWith('cache') && event.type !== 'watch-changed') {
      console.error(Date.now() % 100000, name, event.type, 'error' in event ? String(event.error) : '');
    }
    if (event.type === 'watch-changed') {
      const seen = changes.get(event.ref) ?? [];
      seen.push(event.version ?? '');
      changes.set(event.ref, seen);
    }
  });
  return { name, secrets, changes, events };
}

/** The next `watch-probe` events of one instance: one per scheduler round. */
export function rounds(secrets: Secrets, count: number): Promise<unknown> {
  return nextEvents(secrets.events, 'watch-probe', count);
}

/**
 * Asserts that over `n` probe rounds of `leader` the backend saw exactly the probe calls the leader reported sending
 * (its `watch-probe` events: no other instance probed), and at most `batches` per round. Counted from one round's
 * start to the n-th next: a round's calls reach the backend after its event, so the window holds the n rounds that
 * start in it. Under load the leader may split a round's refs over two rounds (fewer calls per event); the sum of
 * what it reported still has to match what the backend saw.
 */
export async function onlyLeaderProbes(
  t: ExecutionContext,
  emulator: AwsEmulator,
  leader: Instance,
  n: number,
  batches: number,
  message = "only the leader's batches reach the backend",
): Promise<void> {
  const [first] = await nextEvents(leader.secrets.events, 'watch-probe', 1);
  const before = emulator.stats.count('ssm.GetParameters');
  const next = await nextEvents(leader.secrets.events, 'watch-probe', n);
  const seen = emulator.stats.count('ssm.GetParameters') - before;
  const sent = [first, ...next.slice(0, n - 1)].reduce((sum, event) => sum + (event?.calls ?? 0), 0);
  t.is(seen, sent, message);
  t.true(sent >= n && sent <= n * batches, `${message}: ${sent} calls in ${n} rounds of at most ${batches}`);
}

/** Resolves once `check()` holds, testing after each event of any instance (no sleeping). */
export function until(instances: readonly Instance[], check: () => boolean): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve) => {
    const subscriptions = instances.map((one) =>
      one.secrets.events.subscribe(() => {
        if (!check()) return;
        for (const subscription of subscriptions) subscription.unsubscribe();
        resolve();
      }),
    );
  });
}

/** Which instance holds the lease now (by its last lease event). */
export function leaderOf(instances: readonly Instance[]): Instance | undefined {
  return instances.find((one) => {
    const last = one.events.filter((e) => e.type === 'lease-acquired' || e.type === 'lease-lost').at(-1);
    return last?.type === 'lease-acquired';
  });
}
