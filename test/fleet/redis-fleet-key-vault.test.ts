// A fleet watching Key Vault: the provider's probe versions depend on what each instance read (its memo maps a
// listing's `updatedOn` to the version read), so the leader publishes listing stamps and followers compare them with
// the stamps of what they read. Real redis-server, real SecretClient over HTTPS against the Key Vault emulator.
import test from 'ava';
import type { Subscription } from 'rxjs';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { type KeyVaultEmulator, startKeyVaultEmulator } from '../../src/emulators/key-vault/index.js';
import { keyVault } from '../../src/providers/azure/index.js';
import { nextEvents } from '../support/aws-provider-fixture.js';
import { type Instance, instance, leaderOf, rounds, until } from '../support/fleet-fixture.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';

const READ = 'GET /secrets/{name}/{version}';
const LIST = 'GET /secrets';

let kv: KeyVaultEmulator;
let aws: AwsEmulator; // the fixture's default provider needs one; unused here
let redis: RedisServer;

test.before(async () => {
  // The vault's clock runs a minute behind ours: every read is past Key Vault's one-second `updatedOn` ambiguity, so
  // a rotation costs each instance exactly one read (the confirmation read is the version memo's own tests' subject).
  [kv, aws, redis] = await Promise.all([
    startKeyVaultEmulator({ now: () => Date.now() - 60_000 }),
    startAwsEmulator(),
    startRedisServer(),
  ]);
});
test.after.always(async () => {
  await Promise.all([kv?.stop(), aws?.stop(), redis?.dispose()]);
});

function kvInstance(name: string): Instance {
  const provider = keyVault({ vaultUrl: kv.vaultUrl, credential: kv.credential, clientOptions: kv.clientOptions() });
  return instance(name, aws, redis.url, 'kv-fleet', { provider });
}

function versionsSeen(one: Instance, names: readonly string[]): number[] {
  return names.map((name) => one.changes.get(`azure-kv:${name}`)?.length ?? 0);
}

test('followers of secrets the leader does not read itself: no reads between rotations, one read per rotation', async (t) => {
  const names = Array.from({ length: 10 }, (_, i) => `fleet-kv-${i}`);
  for (const name of names) kv.store.setSecret(name, 'v1');
  const own = names.slice(0, 5);
  const followed = names.slice(5);
  const subscriptions: Subscription[] = [];
  // The leader watches the first five only: the other five it probes for the fleet without ever reading them.
  const leader = kvInstance('leader');
  const acquired = nextEvents(leader.secrets.events, 'lease-acquired');
  for (const name of own) subscriptions.push(leader.secrets.watch(`azure-kv:${name}`).subscribe());
  await acquired;
  const followers = [kvInstance('f1'), kvInstance('f2')];
  for (const one of followers) {
    for (const name of followed) subscriptions.push(one.secrets.watch(`azure-kv:${name}`).subscribe());
  }
  const all = [leader, ...followers];
  await until(all, () => followers.every((one) => one.changes.size === followed.length));
  t.is(leaderOf(all), leader);

  // Steady state: the leader's sweeps only; nobody reads a value.
  await rounds(leader.secrets, 2);
  const reads = kv.stats.calls[READ];
  const lists = kv.stats.calls[LIST];
  await rounds(leader.secrets, 4);
  t.is(kv.stats.calls[READ] - reads, 0, 'no value read between rotations');
  t.true(kv.stats.calls[LIST] - lists <= 5, 'one sweep per round, the leader only');

  for (const name of followed) kv.store.setSecret(name, 'v2');
  await until(all, () => followers.every((one) => versionsSeen(one, followed).every((n) => n === 2)));
  await rounds(leader.secrets, 3);
  t.is(kv.stats.calls[READ] - reads, followers.length * followed.length, 'one read per rotated secret per follower');
  for (const one of followers) t.deepEqual(versionsSeen(one, followed), [2, 2, 2, 2, 2], one.name);
  t.deepEqual(versionsSeen(leader, own), [1, 1, 1, 1, 1]);

  for (const subscription of subscriptions) subscription.unsubscribe();
  await Promise.all(all.map((one) => one.secrets.close()));
});
