/**
 * Watch cost through an outage, per provider, counted by the emulators: 100 watched secrets at a 1 s interval, the
 * backend calls per second before, during and after a 15 s outage (every call answered 503), and how many cached
 * reads made during the outage were marked stale. Real SDK clients over the emulators, real time.
 *
 * `npm run bench -- outage` (about 2 minutes).
 */
import { filter, firstValueFrom, type Subscription, take, toArray } from 'rxjs';
import { startAwsEmulator } from '../src/emulators/aws/index.js';
import { startKeyVaultEmulator } from '../src/emulators/key-vault/index.js';
import { createSecrets, type Secrets } from '../src/index.js';
import { parameterStore, secretsManager } from '../src/providers/aws/index.js';
import { keyVault } from '../src/providers/azure/index.js';
import { type BenchRow, fmt } from './report.js';

const WATCHED = 100;
const BEFORE_S = 5;
const OUTAGE_S = 15;
const AFTER_S = 15;
/** The first seconds after the outage, reported apart from the rest (the recovery). */
const RECOVERY_S = 5;
/** Cached reads per second of the watched secrets, during the outage. */
const READS_PER_S = 10;

interface Target {
  readonly label: string;
  readonly scheme: string;
  readonly names: readonly string[];
  readonly secrets: Secrets;
  /**
   * How long after the secrets were written the figures start: Key Vault re-reads a secret once when it was read
   * within 5 s of its update (see version-memo.ts); a watch of secrets written long ago does not pay that.
   */
  readonly settledAt: number;
  /** Backend calls of the watched service so far, as the emulator counts them. */
  calls(): number;
  down(): void;
  up(): void;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const names = (prefix: string) => Array.from({ length: WATCHED }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

/** Calls per second over `seconds` one-second windows; `each` runs at the start of every window. */
async function perSecond(target: Target, seconds: number, each?: () => Promise<void>): Promise<number[]> {
  const counts: number[] = [];
  for (let i = 0; i < seconds; i++) {
    const before = target.calls();
    await Promise.all([sleep(1000), each?.()]);
    counts.push(target.calls() - before);
  }
  return counts;
}

async function outage(target: Target): Promise<BenchRow> {
  const { secrets, scheme } = target;
  const first = firstValueFrom(
    secrets.events.pipe(
      filter((e) => e.type === 'watch-changed'),
      take(target.names.length),
      toArray(),
    ),
  );
  const subscriptions: Subscription[] = target.names.map((name) =>
    secrets.watch(`${scheme}:${name}`, { interval: '1s' }).subscribe(),
  );
  await first;
  // The SDK's first calls (and Key Vault's confirmation reads of fresh secrets) out of the figures.
  await sleep(Math.max(2000, target.settledAt - Date.now()));
  const before = await perSecond(target, BEFORE_S);
  target.down();
  let reads = 0;
  let stale = 0;
  const read = async () => {
    for (let i = 0; i < READS_PER_S; i++) {
      const secret = await firstValueFrom(secrets.get(`${scheme}:${target.names[(reads * 7) % WATCHED]}`));
      reads += 1;
      if (secret.stale) stale += 1;
    }
  };
  const during = await perSecond(target, OUTAGE_S, read);
  target.up();
  const after = await perSecond(target, AFTER_S);
  for (const s of subscriptions) s.unsubscribe();
  await secrets.close();
  await target.stop();
  const recovery = after.slice(0, RECOVERY_S);
  const settled = after.slice(RECOVERY_S);
  return {
    suite: 'outage',
    case: `watch ${WATCHED} ${target.label}, 1 s interval, ${OUTAGE_S} s outage (503): backend calls per second`,
    rxsecrets: `before ${fmt(mean(before), 1)}; during ${fmt(mean(during), 1)} (max ${Math.max(...during)}); after: first ${RECOVERY_S} s ${fmt(mean(recovery), 1)} (max ${Math.max(...recovery)}), then ${fmt(mean(settled), 1)}`,
    alternative: `healthy: ${fmt(mean(before), 1)}`,
    ratio: `during ${fmt(mean(during) / mean(before), 2)}×, after ${fmt(mean(settled) / mean(before), 2)}× healthy`,
    note: `cached reads during the outage marked stale: ${stale} of ${reads}; per second before: ${before.join(' ')}; during: ${during.join(' ')}; after: ${after.join(' ')}`,
  };
}

async function parameterStoreTarget(): Promise<Target> {
  const emulator = await startAwsEmulator();
  const watched = names('/bench/outage/p');
  for (const name of watched) emulator.store.parameters.putParameter({ Name: name, Value: 'v', Type: 'String' });
  let fault: { remove(): void } | undefined;
  return {
    label: 'parameters',
    scheme: 'aws-ssm',
    names: watched,
    secrets: createSecrets({ providers: [parameterStore(emulator.clientConfig())] }),
    settledAt: 0,
    calls: () => Object.entries(emulator.stats.calls).reduce((n, [k, v]) => (k.startsWith('ssm.') ? n + v : n), 0),
    down: () => {
      fault = emulator.faults.add({ kind: 'unavailable', service: 'ssm' });
    },
    up: () => fault?.remove(),
    stop: () => emulator.stop(),
  };
}

async function secretsManagerTarget(): Promise<Target> {
  const emulator = await startAwsEmulator();
  const watched = names('bench/outage/s');
  for (const name of watched) emulator.store.secrets.createSecret({ Name: name, SecretString: 'v' });
  let fault: { remove(): void } | undefined;
  return {
    label: 'Secrets Manager secrets',
    scheme: 'aws-sm',
    names: watched,
    secrets: createSecrets({ providers: [secretsManager(emulator.clientConfig())] }),
    settledAt: 0,
    calls: () => emulator.stats.total,
    down: () => {
      fault = emulator.faults.add({ kind: 'unavailable', service: 'secretsmanager' });
    },
    up: () => fault?.remove(),
    stop: () => emulator.stop(),
  };
}

async function keyVaultTarget(): Promise<Target> {
  const kv = await startKeyVaultEmulator();
  const watched = names('bench-outage-');
  for (const name of watched) kv.store.setSecret(name, 'v');
  const provider = keyVault({ vaultUrl: kv.vaultUrl, credential: kv.credential, clientOptions: kv.clientOptions() });
  return {
    label: 'Key Vault secrets',
    scheme: 'azure-kv',
    names: watched,
    secrets: createSecrets({ providers: [provider] }),
    settledAt: Date.now() + 8000,
    calls: () => Object.values(kv.stats.calls).reduce((sum, n) => sum + n, 0),
    down: () => kv.faults.atRate({ kind: 'server-error', status: 503, code: 'ServiceUnavailable' }, { rate: 1 }),
    up: () => kv.faults.clear(),
    stop: () => kv.stop(),
  };
}

/** Runs the outage benchmarks, one provider after the other. */
export async function runOutageBenchmarks(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const target of [parameterStoreTarget, secretsManagerTarget, keyVaultTarget]) {
    rows.push(await outage(await target()));
  }
  return rows;
}
