// K instances of one service coordinated through a real redis-server, with real node-redis and AWS SDK clients
// against the AWS emulator: backend calls per interval as the emulator counts them, exactly-once rotations, late
// joiners, Redis outages and lease hand-over.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import test, { type ExecutionContext } from 'ava';
import { firstValueFrom, type Subscription } from 'rxjs';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { redisFleet } from '../../src/fleet/redis/index.js';
import { createSecrets, ValidationError } from '../../src/index.js';
import * as awsProviders from '../../src/providers/aws/index.js';
import { nextEvents } from '../support/aws-provider-fixture.js';
import { repoRoot } from '../support/child-process.js';
import {
  FLEET_TIMING,
  type Instance,
  instance,
  leaderOf,
  onlyLeaderProbes,
  rounds,
  until,
} from '../support/fleet-fixture.js';
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
async function fleet(count: number, namespace: string, names: readonly string[], leaderElsewhere = false) {
  const instances: Instance[] = [];
  const subscriptions: Subscription[] = [];
  for (let i = 0; i < count; i += 1) {
    const one = instance(`i${i}`, emulator, redis.url, namespace);
    instances.push(one);
    for (const name of names) {
      // Errors end a watch (a deleted ref): the tests read them from the events.
      subscriptions.push(one.secrets.watch(`aws-ssm:${name}`).subscribe({ error: () => undefined }));
    }
  }
  await until(
    instances,
    () => (leaderElsewhere || leaderOf(instances) !== undefined) && instances.every((one) => one.changes.size === M),
  );
  return {
    instances,
    close: async () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      await Promise.all(instances.map((one) => one.secrets.close()));
    },
  };
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
    await onlyLeaderProbes(t, emulator, leader, 3, BATCHES);

    rotate(names, 'v2');
    await until(instances, () => instances.every((one) => versionsSeen(one, names).every((n) => n === 2)));
    // A few more rounds: nothing is emitted twice, and the probes are back to the leader's batches.
    await onlyLeaderProbes(t, emulator, leader, 3, BATCHES);
    for (const one of instances) t.deepEqual(versionsSeen(one, names), Array(M).fill(2), one.name);
    t.is(instances.filter((one) => one.events.some((e) => e.type === 'lease-acquired')).length, 1);
    await close();
  },
);

test.serial('a follower that misses change messages catches up from the table at its next reconcile', async (t) => {
  const { namespace, names } = service();
  const { instances, close } = await fleet(2, namespace, names);
  const leader = leaderOf(instances) as Instance;
  // A late joiner whose message-driven re-checks never fire in time (a spread of an hour): only reconciling reads.
  const late = instance('late', emulator, redis.url, namespace, { spread: 3_600_000 });
  const subscriptions = names.map((name) => late.secrets.watch(`aws-ssm:${name}`).subscribe());
  await until([late], () => late.changes.size === M);
  await rounds(leader.secrets, 2);
  await onlyLeaderProbes(t, emulator, leader, 2, BATCHES, 'the late joiner probes through the table too');

  rotate(names, 'v3');
  await until([late, ...instances], () => versionsSeen(late, names).every((n) => n === 2));
  t.deepEqual(versionsSeen(late, names), Array(M).fill(2));
  t.false(late.events.some((e) => e.type === 'lease-acquired'));
  for (const subscription of subscriptions) subscription.unsubscribe();
  await late.secrets.close();
  await close();
});

test.serial('Redis down: every instance polls on its own (degraded), then coordination resumes', async (t) => {
  const { namespace, names } = service();
  const { instances, close } = await fleet(3, namespace, names);
  const ref = `aws-ssm:${names[0]}`;
  const lost = instances.map((one) => nextEvents(one.secrets.events, 'fleet-lost'));
  await redis.stop();
  await Promise.all(lost);
  const status = await firstValueFrom(instances[1]!.secrets.watchStatus(ref));
  t.is(status.state, 'degraded');
  t.truthy(status.fleetIssue);

  // A rotation during the outage is still seen, by local polling, once per instance.
  rotate(names, 'v4');
  await until(instances, () => instances.every((one) => versionsSeen(one, names).every((n) => n === 2)));
  // Local polling: every instance pays its own batches now.
  const one = instances[0] as Instance;
  await rounds(one.secrets, 1);
  const before = emulator.stats.count('ssm.GetParameters');
  await rounds(one.secrets, 2);
  t.true(emulator.stats.count('ssm.GetParameters') - before >= 2 * BATCHES * 2, 'more than one instance polls');

  const restored = instances.map((i) => nextEvents(i.secrets.events, 'fleet-restored'));
  await redis.start(); // empty: the lease, interest and table are gone
  await Promise.all(restored);
  await until(instances, () => leaderOf(instances) !== undefined);
  const leader = leaderOf(instances) as Instance;
  t.is((await firstValueFrom(leader.secrets.watchStatus(ref))).state, 'ok');
  await rounds(leader.secrets, 3);
  await onlyLeaderProbes(t, emulator, leader, 3, BATCHES);
  for (const i of instances) t.deepEqual(versionsSeen(i, names), Array(M).fill(2), i.name);
  await close();
});

test.serial(
  'Redis emptied under a running fleet (FLUSHALL): the lease is retaken, nothing is emitted twice',
  async (t) => {
    const { namespace, names } = service();
    const { instances, close } = await fleet(3, namespace, names);
    const leader = leaderOf(instances) as Instance;
    const lostLease = nextEvents(leader.secrets.events, 'lease-lost');
    const { createClient } = await import('redis');
    const admin = createClient({ url: redis.url });
    admin.on('error', () => undefined); // the server is stopped at the end of the file
    await admin.connect();
    await admin.flushAll();
    await lostLease;
    await until(instances, () => leaderOf(instances) !== undefined);
    const next = leaderOf(instances) as Instance;
    await rounds(next.secrets, 3);
    await onlyLeaderProbes(t, emulator, next, 3, BATCHES);
    rotate(names, 'v5');
    await until(instances, () => instances.every((one) => versionsSeen(one, names).every((n) => n === 2)));
    await rounds(next.secrets, 2);
    for (const one of instances) t.deepEqual(versionsSeen(one, names), Array(M).fill(2), one.name);
    await admin.close();
    await close();
  },
);

test.serial('a leader that closes releases the lease: another instance leads at once', async (t) => {
  const { namespace, names } = service();
  const { instances, close } = await fleet(3, namespace, names);
  const leader = leaderOf(instances) as Instance;
  const others = instances.filter((one) => one !== leader);
  const taken = Promise.race(others.map((one) => nextEvents(one.secrets.events, 'lease-acquired')));
  await leader.secrets.close();
  await taken;
  const next = leaderOf(others) as Instance;
  t.truthy(next);
  await rounds(next.secrets, 2);
  await onlyLeaderProbes(t, emulator, next, 3, BATCHES);
  rotate(names, 'v6');
  await until(others, () => others.every((one) => versionsSeen(one, names).every((n) => n === 2)));
  await close();
});

test.serial(
  'a follower watching faster than the leader: the leader probes that ref at the follower’s pace',
  async (t) => {
    const { namespace, names } = service();
    // The leader watches its own refs at a slow default; a follower watches one other ref every 100 ms.
    const leader = instance('slow-leader', emulator, redis.url, namespace, { interval: 5_000 });
    const acquired = nextEvents(leader.secrets.events, 'lease-acquired');
    const own = names.slice(0, 5).map((name) => leader.secrets.watch(`aws-ssm:${name}`).subscribe());
    await acquired;
    const fast = `aws-ssm:${names[10]}`;
    const follower = instance('fast-follower', emulator, redis.url, namespace);
    const watching = follower.secrets.watch(fast, { interval: 100 }).subscribe();
    await until([follower], () => follower.changes.size === 1);
    // Rounds of the paced ref alone, between the leader's own 5 s rounds: it is probed at the follower's interval.
    await until([leader], () => leader.events.some((e) => e.type === 'watch-probe' && e.refs === 1));
    const alone = () => leader.events.filter((e) => e.type === 'watch-probe' && e.refs === 1).length;
    const before = alone();
    await until([leader], () => alone() >= before + 3);
    rotate([names[10] as string], 'v2');
    await until([follower], () => (follower.changes.get(fast)?.length ?? 0) === 2);
    t.is(leaderOf([leader, follower]), leader);
    t.false(follower.events.some((e) => e.type === 'lease-acquired'));
    watching.unsubscribe();
    for (const subscription of own) subscription.unsubscribe();
    await Promise.all([leader.secrets.close(), follower.secrets.close()]);
  },
);

test('fleet options are checked', (t) => {
  t.throws(() => redisFleet({ namespace: 'x' }), { instanceOf: ValidationError, message: /url|client/ });
  t.throws(() => redisFleet({ url: 'redis://h', namespace: '' }), { instanceOf: ValidationError });
  t.throws(() => redisFleet({ url: 'redis://h', namespace: 'a{b}' }), { instanceOf: ValidationError });
  t.throws(() => redisFleet({ url: 'redis://h', namespace: 'a', leaseTtl: 'soon' as never }), {
    instanceOf: ValidationError,
  });
  t.throws(() => redisFleet({ url: 'redis://h', namespace: 'a', ttl: '1s' } as never), { message: /leaseTtl/ });
  t.throws(() => createSecrets({ providers: [], fleet: {} as never }), { instanceOf: ValidationError });
  const { endpoint, region, credentials } = emulator.clientConfig();
  const { parameterStore } = awsProviders;
  t.throws(
    () =>
      createSecrets({ providers: [parameterStore({ endpoint, region, credentials })], fleet: { kind: 'x' } as never }),
    { instanceOf: ValidationError, message: /Fleet/ },
  );
  t.notRegex(JSON.stringify(redisFleet({ url: 'redis://user:hunter2@h', namespace: 'a' })), /hunter2/);
});

/**
 * A fleet instance in a child process; `next` resolves at its next line of a given event type. Killed when the test
 * ends, pass or fail (a frozen leader left behind would keep the run from exiting).
 */
function childInstance(t: ExecutionContext, namespace: string, names: readonly string[]) {
  const { endpoint, region } = emulator.clientConfig();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/fleet-child.ts', endpoint, region, redis.url, namespace, ...names],
    // stdin is a pipe the child watches: it exits when this process goes, however that happens.
    { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const seen: string[] = [];
  const waiters: Array<{ type: string; resolve: () => void }> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const { type } = JSON.parse(line) as { type: string };
    seen.push(type);
    for (const waiter of waiters.filter((w) => w.type === type)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  t.teardown(() => kill('SIGKILL'));
  return {
    child,
    seen,
    next: (type: string) => new Promise<void>((resolve) => waiters.push({ type, resolve })),
    kill,
  };
}

test.serial('a killed leader (SIGKILL) is replaced within the lease TTL; the new leader probes at once', async (t) => {
  const { namespace, names } = service();
  const leader = childInstance(t, namespace, names);
  await leader.next('lease-acquired');
  const { instances, close } = await fleet(2, namespace, names, true);
  t.is(leaderOf(instances), undefined);
  const taken = Promise.race(instances.map((one) => nextEvents(one.secrets.events, 'lease-acquired')));
  const killedAt = performance.now();
  await leader.kill('SIGKILL');
  await taken;
  t.log(
    `failover after a kill: ${Math.round(performance.now() - killedAt)} ms (lease TTL ${FLEET_TIMING.leaseTtl} ms)`,
  );
  const next = leaderOf(instances) as Instance;
  await rounds(next.secrets, 2);
  await onlyLeaderProbes(t, emulator, next, 3, BATCHES);
  rotate(names, 'v7');
  await until(instances, () => instances.every((one) => versionsSeen(one, names).every((n) => n === 2)));
  await close();
});

test.serial('a frozen leader (SIGSTOP) loses the lease and steps down when it wakes: one leader again', async (t) => {
  const { namespace, names } = service();
  const frozen = childInstance(t, namespace, names);
  await frozen.next('lease-acquired');
  const { instances, close } = await fleet(2, namespace, names, true);
  const taken = Promise.race(instances.map((one) => nextEvents(one.secrets.events, 'lease-acquired')));
  frozen.child.kill('SIGSTOP');
  await taken;
  const next = leaderOf(instances) as Instance;
  const steppedDown = frozen.next('lease-lost');
  frozen.child.kill('SIGCONT');
  await steppedDown;
  // Only the new leader's batches reach the backend once the old one stepped down.
  await rounds(next.secrets, 2);
  await onlyLeaderProbes(t, emulator, next, 3, BATCHES);
  t.deepEqual(
    frozen.seen.filter((type) => type.startsWith('lease')),
    ['lease-acquired', 'lease-lost'],
  );
  await frozen.kill('SIGKILL');
  await close();
});

test.serial(
  'Redis holds ref names and (HMAC-sealed) tokens, never a value; a rotation is still seen once',
  async (t) => {
    const { namespace, names } = service();
    const instances = [0, 1].map((i) =>
      instance(`h${i}`, emulator, redis.url, namespace, { tokenKey: 'shared-key-of-the-service' }),
    );
    const subscriptions = instances.flatMap((one) =>
      names.map((name) => one.secrets.watch(`aws-ssm:${name}`).subscribe()),
    );
    await until(instances, () => leaderOf(instances) !== undefined && instances.every((one) => one.changes.size === M));
    const leader = leaderOf(instances) as Instance;
    await rounds(leader.secrets, 2);
    await onlyLeaderProbes(t, emulator, leader, 2, BATCHES);
    rotate(names, 'secret-value-v8');
    await until(instances, () => instances.every((one) => versionsSeen(one, names).every((n) => n === 2)));
    await rounds(leader.secrets, 2);
    for (const one of instances) t.deepEqual(versionsSeen(one, names), Array(M).fill(2), one.name);

    const { createClient } = await import('redis');
    const admin = createClient({ url: redis.url });
    admin.on('error', () => undefined); // the server is stopped at the end of the file
    await admin.connect();
    const keys = await admin.keys(`rxsecrets:{${namespace}}:*`);
    t.true(keys.length >= 3);
    const stored: string[] = [];
    for (const key of keys) {
      const type = await admin.type(key);
      if (type === 'hash') stored.push(...Object.entries(await admin.hGetAll(key)).flat());
      else if (type === 'zset') stored.push(...(await admin.zRange(key, 0, -1)));
      else stored.push(String(await admin.get(key)));
    }
    t.false(
      stored.some((text) => text.includes('secret-value') || text === 'v1'),
      'no value in Redis',
    );
    const tokens = await admin.hGetAll(keys.find((key) => key.includes(':tokens:')) as string);
    t.is(tokens[`aws-ssm:${names[0]}`]?.length, 43, 'a base64url HMAC-SHA256, not the version number');
    await admin.close();
    for (const subscription of subscriptions) subscription.unsubscribe();
    await Promise.all(instances.map((one) => one.secrets.close()));
  },
);

test.serial(
  'a ref the leader finds deleted is published as an error code: followers probe it and end too',
  async (t) => {
    const { namespace, names } = service();
    const { instances, close } = await fleet(3, namespace, names);
    const gone = `aws-ssm:${names[0]}`;
    const endedWith = (one: Instance) =>
      one.events.find((e) => e.type === 'watch-ended' && e.ref === gone && e.error !== undefined) as
        | { error: { code?: string } }
        | undefined;
    emulator.store.parameters.deleteParameter(names[0] as string);
    await until(instances, () => instances.every((one) => endedWith(one) !== undefined));
    for (const one of instances) t.is(endedWith(one)?.error.code, 'SecretNotFound', one.name);
    await close();
  },
);
