// A Key Vault rotation seen by a watch on the vault's real clock: the new version is read once, and confirmed by one
// more read once its listing timestamp (one-second resolution) can be trusted, however short the interval.
import test from 'ava';
import { filter, firstValueFrom, type Subscription } from 'rxjs';
import { startKeyVaultEmulator } from '../../src/emulators/key-vault/index.js';
import { createSecrets } from '../../src/index.js';
import { keyVault } from '../../src/providers/azure/index.js';
import { SETTLE_MS } from '../../src/providers/azure/version-memo.js';
import { nextRounds } from '../support/watch-rounds.js';

const GET = 'GET /secrets/{name}/{version}';
const LIST = 'GET /secrets';
const INTERVAL = 250;

test('a rotation costs two value reads at a 250 ms interval, not one per interval', async (t) => {
  // The watched secrets were written a minute before the watch (the vault's clock is moved back for the set-up only);
  // the rotation happens now.
  let vaultClock = Date.now() - 60_000;
  const kv = await startKeyVaultEmulator({ now: () => vaultClock });
  t.teardown(() => kv.stop());
  const names = Array.from({ length: 20 }, (_, i) => `rotating-${i}`);
  for (const name of names) kv.store.setSecret(name, 'v1');
  vaultClock = Date.now();
  const provider = keyVault({ vaultUrl: kv.vaultUrl, credential: kv.credential, clientOptions: kv.clientOptions() });
  const secrets = createSecrets({ providers: [provider], cache: false });
  const versions: string[] = [];
  const firstValues = firstValueFrom(secrets.events.pipe(filter((e) => e.type === 'watch-changed')));
  const subscriptions: Subscription[] = names.map((name) =>
    secrets.watch(`azure-kv:${name}`, { interval: INTERVAL }).subscribe((secret) => {
      if (secret.name === 'rotating-7') versions.push(secret.value as string);
    }),
  );
  t.teardown(() => {
    for (const s of subscriptions) s.unsubscribe();
  });
  await firstValues;
  await nextRounds(secrets.events, 'azure-kv', 2, () => 0);
  kv.stats.reset();
  vaultClock = Date.now();
  kv.store.setSecret('rotating-7', 'v2');
  // Enough rounds for the confirmation to come due (the margin after the update, plus the timestamp's truncation).
  const rounds = await nextRounds(secrets.events, 'azure-kv', Math.ceil((SETTLE_MS + 1500) / INTERVAL), () => 0);
  t.deepEqual(versions, ['v1', 'v2'], 'the rotation is emitted once');
  t.is(kv.stats.calls[GET], 2, 'a read, and one confirmation');
  t.is(kv.stats.calls[LIST], rounds.length + 1, 'one page a round (20 secrets), no extra round');
  await secrets.close();
});
