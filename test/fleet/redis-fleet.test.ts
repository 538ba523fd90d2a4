// K instances of one service coordinated through a real redis-server, with real node-redis and AWS SDK clients
// against the AWS emulator: backend calls per interval as the emulator counts them, exactly-once rotations, late
// joiners, Redis outages and lease hand-over.
import test from 'ava';
import { firstValueFrom, type Subscription } from 'rxjs';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { redisFleet } from '../../src/fleet/redis/index.js';
import { createSecrets, ValidationError } from '../../src/index.js';
import { type Instance, instance, leaderOf, nextEvent, rounds, until } from '../support/fleet-fixture.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';

const M = 25; // three GetParameters batches of ten
const BATCHES = Math.ceil(M / 10);

let emulator: AwsEmulator;
let redis: RedisServer;
let namespaceCount = 0;

test.before(async () => {
  [emulator, redis] = await Promise.all([startAwsEmulator(), startRedisServer()]);
});
test.after.always(async () => {
  await Promise.all([emulator?.stop(), redis?.dispose()]);
});

/** A fresh service: its own namespace and parameters, so tests do not share state. */
function service(): { namespace: string; names: string[] } {
  namespaceCount += 1;
  const namespace = `svc-${namespaceCount}`;
  const names = Array.from({ length: M }, (_, i) => `/${namespace}/p${i}`);
  for (const name of names) emulator.store.parameters.putParameter({ Name: name, Value: 'v1', Type: 'String' });
  return { namespace, names };
}

function rotate(names: readonly string[], value: string): void {
  for (const name of names) {
    emulator.store.parameters.putParameter({ Name: name, Value: value, Type: 'String', Overwrite: true });
  }
}

/** Starts `count` instances watching `names`; resolves once every one has every first value and a leader exists. */
async function fleet(count: number, namespace: string, names: readonly string[]) {
  const instances: Instance[] = [];
  const subscriptions: Subscription[] = [];
  for (let i = 0; i < count; i += 1) {
    const one = instance(`i${i}`, emulator, redis.url, namespace);
    instances.push(one);
    for (const name of names) subscriptions.push(one.secrets.watch(`aws-ssm:${name}`).subscribe());
  }
  await until(instances, () => leaderOf(instances) !== undefined && instances.every((one) => one.changes.size === M));
  return {
    instances,
    close: async () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      await Promise.all(instances.map((one) => one.secrets.close()));
    },
  };
}

/** GetParameters calls over `n` rounds of `leader`, counted from one round's start to the start of the n-th next. */
async function callsOverRounds(leader: Instance, n: number): Promise<number> {
  await rounds(leader.secrets, 1);
  const before = emulator.stats.count('ssm.GetParameters');
  await rounds(leader.secrets, n);
  return emulator.stats.count('ssm.GetParameters') - before;
}

function versionsSeen(one: Instance, names: readonly string[]): number[] {
  return names.map((name) => one.changes.get(`aws-ssm:${name}`)?.length ?? 0);
}

test.serial(
  'K instances × M refs: one batched probe per interval for the fleet, every rotation seen once',
  async (t) => {
    const { namespace, names } = service();
    const { instances, close } = await fleet(4, namespace, names);
    const leader = leaderOf(instances) as Instance;
    // Let every follower see a heartbeat, then count: only the leader's batches reach the backend.
    await rounds(leader.secrets, 2);
    t.is(await callsOverRounds(leader, 3), 3 * BATCHES);

    rotate(names, 'v2');
    await until(instances, () => instances.every((one) => versionsSeen(one, names).every((n) => n === 2)));
    // A few more rounds: nothing is emitted twice, and the probes are back to the leader's batches.
    t.is(await callsOverRounds(leader, 3), 3 * BATCHES);
    for (const one of instances) t.deepEqual(versionsSeen(one, names), Array(M).fill(2), one.name);
    t.is(instances.filter((one) => one.events.some((e) => e.type === 'lease-acquired')).length, 1);
    await close();
  },
);
