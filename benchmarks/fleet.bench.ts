/**
 * Fleet coordination over a real redis-server: K instances (each its own client, SDK clients and Redis connections,
 * in this process) watching the same M = 100 Parameter Store refs on the AWS emulator. Counts, per interval: the
 * backend's GetParameters calls (probes, then reads after a rotation) as the emulator sees them, and the Redis
 * commands per follower (`INFO stats`); times the hand-over after a leader in a child process is killed, and the
 * fall-back to local polling after Redis stops.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { filter, firstValueFrom, type Subscription, take, toArray } from 'rxjs';
import { type AwsEmulator, startAwsEmulator } from '../src/emulators/aws/index.js';
import { redisFleet } from '../src/fleet/redis/index.js';
import { createSecrets, type Secrets, type SecretsEvent } from '../src/index.js';
import { parameterStore } from '../src/providers/aws/index.js';
import { repoRoot } from '../test/support/child-process.js';
import { FLEET_TIMING } from '../test/support/fleet-fixture.js';
import { type RedisServer, startRedisServer } from '../test/support/redis-server.js';
import { type BenchRow, fmt, median } from './report.js';

const M = 100;
const INTERVAL = 1000;
const ROUNDS = 5;

function next(secrets: Secrets, type: SecretsEvent['type'], count = 1): Promise<unknown> {
  return firstValueFrom(
    secrets.events.pipe(
      filter((event) => event.type === type),
      take(count),
      toArray(),
    ),
  );
}

/** Commands the fleet's clients sent (as the clients count them: a script is one command). */
let sent = 0;

/** A node-redis client (injected through `client`) that counts the commands it sends. */
async function countingClient(url: string, owned: Array<{ destroy(): void }>): Promise<unknown> {
  const { createClient } = await import('redis');
  const client = createClient({ url, disableOfflineQueue: true });
  client.on('error', () => undefined);
  await client.connect();
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((...args: Parameters<typeof send>) => {
    sent += 1;
    return send(...args);
  }) as typeof send;
  owned.push(client);
  return client;
}

async function fleetCost(emulator: AwsEmulator, redis: RedisServer, k: number): Promise<BenchRow> {
  const namespace = `bench-${k}`;
  const names = Array.from({ length: M }, (_, i) => `/${namespace}/p${i}`);
  for (const name of names) emulator.store.parameters.putParameter({ Name: name, Value: 'v1', Type: 'String' });
  const { endpoint, region, credentials } = emulator.clientConfig();
  const instances: Secrets[] = [];
  const subscriptions: Subscription[] = [];
  const leaders = new Set<Secrets>();
  const clients: Array<{ destroy(): void }> = [];
  let changes = 0;
  for (let i = 0; i < k; i += 1) {
    const secrets = createSecrets({
      providers: [parameterStore({ endpoint, region, credentials })],
      watch: { interval: INTERVAL },
      fleet: redisFleet({ client: await countingClient(redis.url, clients), namespace, leaseTtl: '3s', spread: 200 }),
    });
    secrets.events.subscribe((event) => {
      if (event.type === 'lease-acquired') leaders.add(secrets);
      if (event.type === 'lease-lost') leaders.delete(secrets);
      if (event.type === 'watch-changed') changes += 1;
    });
    instances.push(secrets);
    for (const name of names) subscriptions.push(secrets.watch(`aws-ssm:${name}`).subscribe());
  }
  while (leaders.size === 0 || changes < k * M) await new Promise((resolve) => setTimeout(resolve, 50));
  const leader = [...leaders][0] as Secrets;
  await next(leader, 'watch-probe', 3); // followers have seen a heartbeat
  let probes = emulator.stats.count('ssm.GetParameters');
  let commands = sent;
  await next(leader, 'watch-probe', ROUNDS);
  probes = emulator.stats.count('ssm.GetParameters') - probes;
  commands = sent - commands;

  const beforeRotation = emulator.stats.count('ssm.GetParameters');
  const changesBefore = changes;
  for (const name of names) {
    emulator.store.parameters.putParameter({ Name: name, Value: 'v2', Type: 'String', Overwrite: true });
  }
  while (changes < changesBefore + k * M) await new Promise((resolve) => setTimeout(resolve, 20));
  const rotationCalls = emulator.stats.count('ssm.GetParameters') - beforeRotation;

  // Redis stops: how long until every instance polls on its own.
  const lost = instances.map((secrets) => next(secrets, 'fleet-lost'));
  const stoppedAt = performance.now();
  await redis.stop();
  await Promise.all(lost);
  const toLocal = performance.now() - stoppedAt;
  await redis.start();

  for (const subscription of subscriptions) subscription.unsubscribe();
  await Promise.all(instances.map((secrets) => secrets.close()));
  for (const client of clients) client.destroy();
  const perInterval = probes / ROUNDS;
  return {
    suite: 'fleet',
    case: `K = ${k} instances × ${M} SSM refs, 1 s interval: GetParameters probes per interval`,
    rxsecrets: fmt(perInterval, 1),
    alternative: `per-instance polling: ${k * 10}`,
    ratio: `${fmt((k * 10) / perInterval, 1)}× fewer calls`,
    note:
      `Redis commands per instance per interval: ${fmt(commands / ROUNDS / k, 1)} (lease attempts included; ` +
      `${fmt(commands / ROUNDS, 0)} in all, a script counted once); one rotation of all ${M}: ` +
      `${rotationCalls} GetParameters (1 probe batch per 10 refs + each instance's own reads), each value emitted ` +
      `once per instance; all instances polling locally ${fmt(toLocal, 0)} ms after Redis stopped`,
  };
}

/** A leader in a child process is killed (SIGKILL): time until an instance here takes the lease. */
async function failover(emulator: AwsEmulator, redis: RedisServer, runs: number): Promise<BenchRow> {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const namespace = `failover-${run}`;
    const names = Array.from({ length: 10 }, (_, i) => `/${namespace}/p${i}`);
    for (const name of names) emulator.store.parameters.putParameter({ Name: name, Value: 'v1', Type: 'String' });
    const { endpoint, region, credentials } = emulator.clientConfig();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/support/fleet-child.ts', endpoint, region, redis.url, namespace, ...names],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) =>
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.includes('lease-acquired')) resolve();
      }),
    );
    const follower = createSecrets({
      providers: [parameterStore({ endpoint, region, credentials })],
      watch: { interval: FLEET_TIMING.interval },
      fleet: redisFleet({ url: redis.url, namespace, leaseTtl: FLEET_TIMING.leaseTtl }),
    });
    const subscriptions = names.map((name) => follower.watch(`aws-ssm:${name}`).subscribe());
    await next(follower, 'watch-changed', names.length);
    const taken = next(follower, 'lease-acquired');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const killedAt = performance.now();
    child.kill('SIGKILL');
    await taken;
    times.push(performance.now() - killedAt);
    await exited;
    for (const subscription of subscriptions) subscription.unsubscribe();
    await follower.close();
  }
  return {
    suite: 'fleet',
    case: `failover: leader killed (SIGKILL), lease TTL ${FLEET_TIMING.leaseTtl} ms (median of ${runs})`,
    rxsecrets: `${fmt(median(times), 0)} ms`,
    alternative: `goal ≤ TTL + one retry (${FLEET_TIMING.leaseTtl + FLEET_TIMING.leaseTtl / 3} ms)`,
    ratio: '',
    note: `runs: ${times.map((ms) => fmt(ms, 0)).join(' / ')} ms; the new leader probes every ref at once`,
  };
}

/** The fleet rows: K ∈ {1, 10, 50}, then failover. */
export async function runFleetBenchmarks(): Promise<BenchRow[]> {
  const [emulator, redis] = await Promise.all([startAwsEmulator(), startRedisServer()]);
  try {
    const rows: BenchRow[] = [];
    for (const k of [1, 10, 50]) rows.push(await fleetCost(emulator, redis, k));
    rows.push(await failover(emulator, redis, 5));
    return rows;
  } finally {
    await Promise.all([emulator.stop(), redis.dispose()]);
  }
}
