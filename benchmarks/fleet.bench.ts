/**
 * Fleet coordination over a real redis-server: K instances (each its own client, SDK clients and Redis connections,
 * in this process) watching the same M = 100 refs of Parameter Store, Secrets Manager (AWS emulator) and Key Vault
 * (Key Vault emulator). Counts, per interval: the backend's probe calls, then reads after a rotation, as the emulators
 * see them, and the Redis
 * commands per follower (`INFO stats`); times the hand-over after a leader in a child process is killed, and the
 * fall-back to local polling after Redis stops.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { filter, firstValueFrom, type Subscription, take, toArray } from 'rxjs';
import { type AwsEmulator, startAwsEmulator } from '../src/emulators/aws/index.js';
import { type KeyVaultEmulator, startKeyVaultEmulator } from '../src/emulators/key-vault/index.js';
import { redisFleet } from '../src/fleet/redis/index.js';
import { createSecrets, type SecretProvider, type Secrets, type SecretsEvent } from '../src/index.js';
import { parameterStore, secretsManager } from '../src/providers/aws/index.js';
import { keyVault } from '../src/providers/azure/index.js';
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

/** One backend the fleet is measured on: how to store, rotate and watch M refs, and how it counts calls. */
interface FleetBackend {
  /** For the row: "SSM refs". */
  readonly label: string;
  /** The call that probes (what per-instance polling multiplies), and the calls that read values. */
  readonly probeCall: string;
  readonly readCalls: readonly string[];
  provider(): SecretProvider;
  ref(name: string): string;
  /** Creates the refs (value 'v1'); `rotate` writes a new value to each; `remove` deletes them. */
  create(names: readonly string[]): void;
  remove(names: readonly string[]): void;
  rotate(names: readonly string[], value: string): void;
  /** Calls of `call` the backend has served so far. */
  count(call: string): number;
  /** How long after a rotation the provider may still read (Key Vault's confirmation read), in ms. */
  readonly settleMs: number;
}

function ssmBackend(emulator: AwsEmulator): FleetBackend {
  const { endpoint, region, credentials } = emulator.clientConfig();
  const put = (name: string, value: string) =>
    emulator.store.parameters.putParameter({ Name: name, Value: value, Type: 'String', Overwrite: true });
  return {
    label: 'SSM refs',
    probeCall: 'ssm.GetParameters',
    readCalls: ['ssm.GetParameters'],
    provider: () => parameterStore({ endpoint, region, credentials }),
    ref: (name) => `aws-ssm:${name}`,
    create: (names) => {
      for (const name of names) put(name, 'v1');
    },
    rotate: (names, value) => {
      for (const name of names) put(name, value);
    },
    remove: (names) => {
      for (const name of names) emulator.store.parameters.deleteParameter(name);
    },
    count: (call) => emulator.stats.count(call),
    settleMs: 0,
  };
}

function secretsManagerBackend(emulator: AwsEmulator): FleetBackend {
  const { endpoint, region, credentials } = emulator.clientConfig();
  return {
    label: 'Secrets Manager refs',
    probeCall: 'secretsmanager.ListSecrets',
    readCalls: ['secretsmanager.GetSecretValue', 'secretsmanager.BatchGetSecretValue'],
    provider: () => secretsManager({ endpoint, region, credentials }),
    ref: (name) => `aws-sm:${name}`,
    create: (names) => {
      for (const name of names) emulator.store.secrets.createSecret({ Name: name, SecretString: 'v1' });
    },
    rotate: (names, value) => {
      for (const name of names) emulator.store.secrets.putSecretValue({ SecretId: name, SecretString: value });
    },
    remove: (names) => {
      for (const name of names) emulator.store.secrets.deleteSecret(name, undefined, true);
    },
    count: (call) => emulator.stats.count(call),
    settleMs: 0,
  };
}

function keyVaultBackend(kv: KeyVaultEmulator): FleetBackend {
  return {
    label: 'Key Vault refs',
    probeCall: 'GET /secrets',
    readCalls: ['GET /secrets/{name}/{version}'],
    provider: () => keyVault({ vaultUrl: kv.vaultUrl, credential: kv.credential, clientOptions: kv.clientOptions() }),
    ref: (name) => `azure-kv:${name}`,
    create: (names) => {
      for (const name of names) kv.store.setSecret(name, 'v1');
    },
    rotate: (names, value) => {
      for (const name of names) kv.store.setSecret(name, value);
    },
    // Forgets the whole vault (and its stats): the next run's sweep lists only its own secrets.
    remove: () => kv.reset(),
    count: (call) => kv.stats.calls[call as keyof typeof kv.stats.calls] ?? 0,
    // A secret updated less than 5 s before a read is confirmed by one more read (the vault's clock is in seconds).
    settleMs: 6_500,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** K instances watching the same M refs of `backend`: probes per interval, reads per rotation, Redis commands. */
async function fleetCost(
  backend: FleetBackend,
  redis: RedisServer,
  k: number,
  alone: number | undefined,
): Promise<{ row: BenchRow; probesPerInterval: number }> {
  const namespace = `bench-${backend.label.split(' ')[0]}-${k}`.toLowerCase();
  const names = Array.from({ length: M }, (_, i) => `${namespace}-p${i}`);
  backend.create(names);
  const instances: Secrets[] = [];
  const subscriptions: Subscription[] = [];
  const leaders = new Set<Secrets>();
  const clients: Array<{ destroy(): void }> = [];
  let changes = 0;
  for (let i = 0; i < k; i += 1) {
    const secrets = createSecrets({
      providers: [backend.provider()],
      watch: { interval: INTERVAL },
      fleet: redisFleet({ client: await countingClient(redis.url, clients), namespace, leaseTtl: '3s', spread: 200 }),
    });
    secrets.events.subscribe((event) => {
      if (event.type === 'lease-acquired') leaders.add(secrets);
      if (event.type === 'lease-lost') leaders.delete(secrets);
      if (event.type === 'watch-changed') changes += 1;
    });
    instances.push(secrets);
    for (const name of names) subscriptions.push(secrets.watch(backend.ref(name)).subscribe());
  }
  while (leaders.size === 0 || changes < k * M) await sleep(50);
  await sleep(backend.settleMs);
  const leader = [...leaders][0] as Secrets;
  await next(leader, 'watch-probe', 3); // followers have seen a heartbeat
  let probes = backend.count(backend.probeCall);
  let commands = sent;
  await next(leader, 'watch-probe', ROUNDS);
  probes = backend.count(backend.probeCall) - probes;
  commands = sent - commands;

  const readCalls = () => backend.readCalls.reduce((sum, call) => sum + backend.count(call), 0);
  const readsBefore = readCalls();
  const changesBefore = changes;
  backend.rotate(names, 'v2');
  while (changes < changesBefore + k * M) await sleep(20);
  await sleep(backend.settleMs);
  const reads = readCalls() - readsBefore;

  // Redis stops: how long until the backend sees every instance's own probes (each polls alone again).
  const perInstance = alone ?? probes / ROUNDS;
  const lost = instances.map((secrets) => next(secrets, 'fleet-lost'));
  const probesAtStop = backend.count(backend.probeCall);
  const stoppedAt = performance.now();
  await redis.stop();
  await Promise.all(lost);
  const allLost = performance.now() - stoppedAt;
  while (backend.count(backend.probeCall) - probesAtStop < k * perInstance) await sleep(5);
  const toLocal = performance.now() - stoppedAt;
  await redis.start();

  for (const subscription of subscriptions) subscription.unsubscribe();
  await Promise.all(instances.map((secrets) => secrets.close()));
  for (const client of clients) client.destroy();
  backend.remove(names);
  const perInterval = probes / ROUNDS;
  const naive = k * perInstance;
  return {
    probesPerInterval: perInterval,
    row: {
      suite: 'fleet',
      case: `K = ${k} instances × ${M} ${backend.label}, 1 s interval: ${backend.probeCall} probes per interval`,
      rxsecrets: fmt(perInterval, 1),
      alternative: `per-instance polling: ${fmt(naive, 0)}`,
      ratio: `${fmt(naive / perInterval, 1)}× fewer calls`,
      note:
        `Redis commands per instance per interval: ${fmt(commands / ROUNDS / k, 1)} (lease attempts included; ` +
        `${fmt(commands / ROUNDS, 0)} in all, a script counted once); one rotation of all ${M}: ` +
        `${reads} ${backend.readCalls.join(' + ')} (${fmt(reads / k, 1)} per instance: each reads with its own credentials` +
        `${backend.readCalls.includes(backend.probeCall) ? '; the leader’s probe batches included' : ''}), ` +
        `each value emitted once per instance; Redis stopped: every instance degraded after ${fmt(allLost, 0)} ms, ` +
        `the backend saw every instance's own probes ${fmt(toLocal, 0)} ms after the stop`,
    },
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
      // the same loader hooks as this process (the library as built, when run by `npm run bench`)
      [...process.execArgv, 'test/support/fleet-child.ts', endpoint, region, redis.url, namespace, ...names],
      { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] },
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
  const [emulator, kv, redis] = await Promise.all([startAwsEmulator(), startKeyVaultEmulator(), startRedisServer()]);
  try {
    const rows: BenchRow[] = [];
    for (const backend of [ssmBackend(emulator), secretsManagerBackend(emulator), keyVaultBackend(kv)]) {
      let alone: number | undefined;
      for (const k of [1, 10, 50]) {
        const { row, probesPerInterval } = await fleetCost(backend, redis, k, alone);
        alone ??= probesPerInterval;
        rows.push(row);
      }
    }
    rows.push(await failover(emulator, redis, 5));
    return rows;
  } finally {
    await Promise.all([emulator.stop(), kv.stop(), redis.dispose()]);
  }
}
