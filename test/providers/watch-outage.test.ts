// Watches of 100 secrets per provider through an outage, with the real SDK clients over the emulators: the calls
// each round costs as the emulator counts them before, during and after, and cached reads marked stale meanwhile.
import test, { type ExecutionContext } from 'ava';
import { filter, firstValueFrom, type Subscription, take, toArray } from 'rxjs';
import { startAwsEmulator } from '../../src/emulators/aws/index.js';
import { startKeyVaultEmulator } from '../../src/emulators/key-vault/index.js';
import { createSecrets, type Secret, type Secrets } from '../../src/index.js';
import { parameterStore, secretsManager } from '../../src/providers/aws/index.js';
import { keyVault } from '../../src/providers/azure/index.js';
import { nextRounds, type WatchRoundCalls } from '../support/watch-rounds.js';

/**
 * Short intervals keep the test fast (long enough that a round's calls end before the next round on a busy machine);
 * every figure below is per round, counted by the emulator.
 */
const WATCH = { interval: 400, minBackoff: 400 } as const;

interface Backend {
  readonly secrets: Secrets;
  readonly scheme: string;
  readonly names: readonly string[];
  /** Backend calls of the watched service so far, as the emulator counts them. */
  calls(): number;
  down(): void;
  up(): void;
}

async function watchThroughOutage(t: ExecutionContext, backend: Backend, healthy: number): Promise<void> {
  const { secrets, scheme, names } = backend;
  const firstValues = firstValueFrom(
    secrets.events.pipe(
      filter((e) => e.type === 'watch-changed'),
      take(names.length),
      toArray(),
    ),
  );
  const errors: unknown[] = [];
  const subscriptions: Subscription[] = names.map((name) =>
    secrets.watch(`${scheme}:${name}`).subscribe({ error: (error: unknown) => errors.push(error) }),
  );
  t.teardown(() => {
    for (const s of subscriptions) s.unsubscribe();
  });
  await firstValues;
  const rounds = (count: number | ((list: readonly WatchRoundCalls[]) => boolean)) =>
    nextRounds(secrets.events, scheme, count, () => backend.calls());
  const whole = (r: WatchRoundCalls) => r.refs === names.length && r.calls === healthy;
  // On a busy machine a round can take longer than the interval: the refs of its late calls then skip one round and
  // rejoin the batch at the next. So the claim is: within a few rounds, three whole rounds in a row.
  const threeWhole = (list: readonly WatchRoundCalls[]) =>
    list.length >= 12 || list.slice(-3).filter(whole).length === 3;

  const before = await rounds(threeWhole);
  t.true(before.slice(-3).every(whole), `healthy: ${JSON.stringify(before)}`);

  backend.down();
  const during = await rounds(5);
  t.true(
    during.every((r) => r.calls <= healthy),
    `a down backend gets no more calls per round than a healthy one: ${JSON.stringify(during)}`,
  );
  t.true(
    during.slice(1).every((r) => r.calls === 1),
    `once backing off, one call per round: ${JSON.stringify(during)}`,
  );
  const cached = (await firstValueFrom(secrets.get(`${scheme}:${names[7]}`))) as Secret;
  t.true(cached.stale, 'a cached read during the outage is marked stale');

  backend.up();
  const after = await rounds(threeWhole);
  t.true(after.slice(-3).every(whole), `back to one batched probe per round: ${JSON.stringify(after)}`);
  t.false(((await firstValueFrom(secrets.get(`${scheme}:${names[7]}`))) as Secret).stale);
  t.deepEqual(errors, [], 'no watch ended');
  await secrets.close();
}

const names = (prefix: string) => Array.from({ length: 100 }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

test.serial('Parameter Store: 10 GetParameters a round before and after an outage, 1 during it', async (t) => {
  const emulator = await startAwsEmulator();
  t.teardown(() => emulator.stop());
  const watched = names('/outage/p');
  for (const name of watched) emulator.store.parameters.putParameter({ Name: name, Value: 'v', Type: 'String' });
  const secrets = createSecrets({ providers: [parameterStore(emulator.clientConfig())], watch: WATCH });
  let fault: { remove(): void } | undefined;
  await watchThroughOutage(
    t,
    {
      secrets,
      scheme: 'aws-ssm',
      names: watched,
      calls: () => emulator.stats.count('ssm.GetParameters') + emulator.stats.count('ssm.GetParameter'),
      down: () => {
        fault = emulator.faults.add({ kind: 'unavailable', service: 'ssm' });
      },
      up: () => fault?.remove(),
    },
    10,
  );
});

test.serial('Secrets Manager: 1 ListSecrets a round before, during and after an outage', async (t) => {
  const emulator = await startAwsEmulator();
  t.teardown(() => emulator.stop());
  const watched = names('outage/s');
  for (const name of watched) emulator.store.secrets.createSecret({ Name: name, SecretString: 'v' });
  const secrets = createSecrets({ providers: [secretsManager(emulator.clientConfig())], watch: WATCH });
  let fault: { remove(): void } | undefined;
  await watchThroughOutage(
    t,
    {
      secrets,
      scheme: 'aws-sm',
      names: watched,
      calls: () => emulator.stats.total,
      down: () => {
        fault = emulator.faults.add({ kind: 'unavailable', service: 'secretsmanager' });
      },
      up: () => fault?.remove(),
    },
    1,
  );
});

test.serial('Key Vault: a 4-page sweep a round before and after an outage, 1 page during it', async (t) => {
  // The secrets were written a minute before the watch starts (not rotated during it): their listing's updatedOn
  // identifies the version read.
  let vaultClock = Date.now() - 60_000;
  const kv = await startKeyVaultEmulator({ now: () => vaultClock });
  t.teardown(() => kv.stop());
  const watched = names('outage-');
  for (const name of watched) kv.store.setSecret(name, 'v');
  vaultClock = Date.now();
  kv.stats.reset();
  const provider = keyVault({ vaultUrl: kv.vaultUrl, credential: kv.credential, clientOptions: kv.clientOptions() });
  const secrets = createSecrets({ providers: [provider], watch: WATCH });
  const calls = () => Object.values(kv.stats.calls).reduce((sum, n) => sum + n, 0);
  await watchThroughOutage(
    t,
    {
      secrets,
      scheme: 'azure-kv',
      names: watched,
      calls,
      down: () => kv.faults.atRate({ kind: 'server-error', status: 503, code: 'ServiceUnavailable' }, { rate: 1 }),
      up: () => kv.faults.clear(),
    },
    4,
  );
});
