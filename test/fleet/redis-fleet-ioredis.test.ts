// The fleet through injected ioredis clients: a single redis-server, and a real three-node Redis Cluster (every key and
// the channel of a namespace share one hash tag, so one slot). Real AWS SDK clients against the AWS emulator.
import test from 'ava';
import { Cluster, Redis } from 'ioredis';
import type { Subscription } from 'rxjs';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { redisFleet } from '../../src/fleet/redis/index.js';
import { nextEvents } from '../support/aws-provider-fixture.js';
import { type Instance, instance, leaderOf, onlyLeaderProbes, rounds, until } from '../support/fleet-fixture.js';
import { type RedisCluster, type RedisServer, startRedisCluster, startRedisServer } from '../support/redis-server.js';

const M = 25;
const BATCHES = Math.ceil(M / 10);

let emulator: AwsEmulator;
let redis: RedisServer;
let cluster: RedisCluster;

test.before(async () => {
  [emulator, redis, cluster] = await Promise.all([startAwsEmulator(), startRedisServer(), startRedisCluster()]);
});
test.after.always(async () => {
  await Promise.all([emulator?.stop(), redis?.dispose(), cluster?.dispose()]);
});

function parameters(namespace: string): string[] {
  const names = Array.from({ length: M }, (_, i) => `/${namespace}/p${i}`);
  for (const name of names) emulator.store.parameters.putParameter({ Name: name, Value: 'v1', Type: 'String' });
  return names;
}

function versionsSeen(one: Instance, names: readonly string[]): number[] {
  return names.map((name) => one.changes.get(`aws-ssm:${name}`)?.length ?? 0);
}

/** Three instances on injected ioredis clients: one leader's batches per interval, a rotation seen once, hand-over. */
async function coordinates(
  t: import('ava').ExecutionContext,
  namespace: string,
  client: () => Redis | Cluster,
): Promise<void> {
  const names = parameters(namespace);
  const clients = [client(), client(), client()];
  t.teardown(() => {
    for (const one of clients) one.disconnect();
  });
  const instances = clients.map((one, i) => instance(`${namespace}-${i}`, emulator, '', namespace, { client: one }));
  const subscriptions: Subscription[] = instances.flatMap((one) =>
    names.map((name) => one.secrets.watch(`aws-ssm:${name}`).subscribe()),
  );
  t.teardown(() => Promise.all(instances.map((one) => one.secrets.close())).then(() => undefined));
  await until(instances, () => leaderOf(instances) !== undefined && instances.every((one) => one.changes.size === M));
  const leader = leaderOf(instances) as Instance;
  await rounds(leader.secrets, 2);
  await onlyLeaderProbes(t, emulator, leader, 3, BATCHES);

  for (const name of names) {
    emulator.store.parameters.putParameter({ Name: name, Value: 'v2', Type: 'String', Overwrite: true });
  }
  await until(instances, () => instances.every((one) => versionsSeen(one, names).every((n) => n === 2)));

  // The leader leaves: another takes over, and a rotation still reaches the others once.
  const others = instances.filter((one) => one !== leader);
  const taken = Promise.race(others.map((one) => nextEvents(one.secrets.events, 'lease-acquired')));
  await leader.secrets.close();
  await taken;
  for (const name of names) {
    emulator.store.parameters.putParameter({ Name: name, Value: 'v3', Type: 'String', Overwrite: true });
  }
  await until(others, () => others.every((one) => versionsSeen(one, names).every((n) => n === 3)));
  for (const one of others) t.deepEqual(versionsSeen(one, names), Array(M).fill(3), one.name);

  for (const subscription of subscriptions) subscription.unsubscribe();
  await Promise.all(others.map((one) => one.secrets.close()));
  // The fleet never closes a client it was given: its owner does.
  t.deepEqual(
    clients.map((one) => one.status),
    ['ready', 'ready', 'ready'],
  );
}

// Serial: both count the emulator's GetParameters.
test.serial('an injected ioredis client coordinates the fleet like node-redis', async (t) => {
  await coordinates(t, 'io-single', () => new Redis(redis.url));
});

test.serial(
  'a Redis Cluster through ioredis: one slot per namespace, the fleet coordinates across nodes',
  async (t) => {
    const seeds = cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port }));
    await coordinates(t, 'io-cluster', () => new Cluster(seeds));

    // Every key of the namespace lives in the slot of its hash tag, on one node.
    const admin = new Cluster(seeds);
    t.teardown(() => admin.disconnect());
    const slot = Number(await admin.call('CLUSTER', 'KEYSLOT', '{io-cluster}'));
    const holders: string[] = [];
    for (const node of admin.nodes('master')) {
      const keys = await node.keys('rxsecrets:{io-cluster}:*');
      if (keys.length > 0) holders.push(`${node.options.port}`);
      for (const key of keys) t.is(Number(await node.call('CLUSTER', 'KEYSLOT', key)), slot, key);
    }
    t.is(holders.length, 1, 'one node holds the namespace');
  },
);

test('an ioredis client is accepted by the option check; other objects are not', (t) => {
  const client = new Redis(redis.url, { lazyConnect: true });
  t.notThrows(() => redisFleet({ client, namespace: 'x' }));
  t.throws(() => redisFleet({ client: { call: () => undefined }, namespace: 'x' }), { message: /ioredis/ });
  client.disconnect();
});
