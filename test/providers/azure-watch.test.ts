// Watching Key Vault secrets: one listPropertiesOfSecrets sweep per check for every watched secret of the vault,
// values fetched only for the secrets whose version changed.
import test from 'ava';
import { filter, firstValueFrom, Subject, skip } from 'rxjs';
import { isSecretNotFoundError, type Secret } from '../../src/index.js';
import { type AzureFixture, all, startAzureFixture, stopAzureFixture } from '../support/azure-provider-fixture.js';

const LIST = 'GET /secrets';
const GET = 'GET /secrets/{name}/{version}';
// The vault's clock, set by each test for itself (no test depends on where another left it).
let vaultClock = Date.now();
let f: AzureFixture;
test.before(async () => {
  f = await startAzureFixture({ emulator: { now: () => vaultClock } });
});
test.after.always(() => stopAzureFixture(f));

test.serial('100 watched secrets cost one 4-page sweep per check, plus one get per changed secret', async (t) => {
  // a minute behind, moved by hand: versions are written in distinct seconds, and long enough ago that a listing's
  // updatedOn (one-second resolution) identifies them
  vaultClock = Date.now() - 60_000;
  const names = Array.from({ length: 100 }, (_, i) => `watched-${String(i).padStart(3, '0')}`);
  for (const name of names) f.kv.store.setSecret(name, `${name}-v1`);
  const trigger = new Subject<void>();
  const latest = new Map<string, Secret>();
  const subscriptions = names.map((name) =>
    f.secrets.watch(`azure-kv:${name}`, { interval: Number.POSITIVE_INFINITY, trigger }).subscribe((secret) => {
      latest.set(secret.name, secret);
    }),
  );
  t.teardown(() => {
    for (const s of subscriptions) s.unsubscribe();
  });
  while (latest.size < names.length)
    await firstValueFrom(f.secrets.events.pipe(filter((e) => e.type === 'watch-changed')));
  const checked = () =>
    firstValueFrom(
      f.secrets.watchStatus('azure-kv:watched-099').pipe(
        skip(1),
        filter((s) => s.state === 'ok'),
      ),
    );

  f.kv.stats.reset();
  const sweep = checked();
  trigger.next();
  await sweep;
  t.is(f.kv.stats.calls[LIST], 4, 'one sweep of 4 pages of 25');
  t.is(f.kv.stats.calls[GET], 0, 'nothing changed: no value fetched');

  vaultClock += 1000;
  const rotated = f.kv.store.setSecret('watched-042', 'watched-042-v2');
  const seen = firstValueFrom(
    f.secrets.watch('azure-kv:watched-042').pipe(filter((s) => s.version === rotated.version)),
  );
  trigger.next();
  t.is((await seen).value, 'watched-042-v2');
  t.is(latest.get('watched-042')?.version, rotated.version);
  t.is(f.kv.stats.calls[LIST], 8, 'one more sweep');
  t.is(f.kv.stats.calls[GET], 1, 'only the changed secret’s value');
});

test.serial('a watch on its own interval sees a new version written in the same second', async (t) => {
  vaultClock = Date.now(); // in step with ours, and frozen: both versions get the same updatedOn
  f.kv.store.setSecret('rotating', 'old');
  const values: string[] = [];
  const done = new Promise<void>((resolve) => {
    const subscription = f.secrets.watch<string>('azure-kv:rotating', { interval: 20 }).subscribe((secret) => {
      values.push(secret.value);
      if (values.length === 1) f.kv.store.setSecret('rotating', 'new');
      if (values.length === 2) {
        subscription.unsubscribe();
        resolve();
      }
    });
  });
  await done;
  t.deepEqual(values, ['old', 'new']);
});

test.serial('a watched secret that is deleted ends its watch with SecretNotFoundError', async (t) => {
  vaultClock = Date.now();
  f.kv.store.setSecret('doomed', 'v');
  const trigger = new Subject<void>();
  const watch = f.secrets.watch('azure-kv:doomed', { interval: Number.POSITIVE_INFINITY, trigger });
  const ended = firstValueFrom(watch.pipe(skip(1)));
  await firstValueFrom(watch);
  await all(f.secrets.delete('azure-kv:doomed'));
  trigger.next();
  t.true(isSecretNotFoundError(await t.throwsAsync(ended)));
});
