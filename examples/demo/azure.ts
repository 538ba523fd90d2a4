/**
 * The demo on Azure Key Vault, served by the bundled https emulator (the real SecretClient talks to it): set and
 * rotate a secret, watch it, stream a delete poller's progress, and recover the secret.
 */
import { firstValueFrom, lastValueFrom, take, tap, toArray } from 'rxjs';
import { startKeyVaultEmulator } from '../../src/emulators/index.js';
import { createSecrets } from '../../src/index.js';
import { type KeyVaultProvider, keyVault } from '../../src/providers/azure/index.js';
import { log } from './log.js';

/** Runs the Key Vault section of the demo. */
export async function azureDemo(): Promise<void> {
  const kv = await startKeyVaultEmulator({ deletionDelayMs: 300 });
  try {
    log(`== azure: Key Vault emulator at ${kv.vaultUrl}`);
    const provider = keyVault({
      vaultUrl: kv.vaultUrl,
      credential: kv.credential,
      clientOptions: kv.clientOptions(),
      pollInterval: '100ms',
    });
    await using secrets = createSecrets({ providers: [provider], watch: { interval: '200ms' } });

    const first = await firstValueFrom(secrets.set('azure-kv:db-password', 'initial-password'));
    log(`set azure-kv:db-password -> version ${first.version?.slice(0, 8)}…`);
    const watch = secrets.watch('azure-kv:db-password');
    const watched = firstValueFrom(watch.pipe(take(2), toArray()));
    await firstValueFrom(watch); // the current value is in: now rotate
    const second = await firstValueFrom(secrets.set('azure-kv:db-password', 'rotated-password'));
    log(`rotated -> version ${second.version?.slice(0, 8)}…`);
    const seen = await watched;
    log(`watch saw ${seen.map((s) => `${s.version?.slice(0, 8)}…`).join(' then ')}`);

    log('delete poller:');
    const deleted = await lastValueFrom(
      secrets.delete('azure-kv:db-password').pipe(tap((state) => log(`  state ${state.status} (done: ${state.done})`))),
    );
    log(`deleted: ${deleted.done}; exists now: ${await firstValueFrom(secrets.exists('azure-kv:db-password'))}`);

    log('recover poller:');
    const kvProvider = secrets.provider<KeyVaultProvider>('azure-kv');
    await lastValueFrom(
      kvProvider
        .recover('azure-kv:db-password')
        .pipe(tap((state) => log(`  state ${state.status} (done: ${state.done})`))),
    );
    const back = await firstValueFrom(secrets.get('azure-kv:db-password', { fresh: true }));
    log(`recovered ${back} (${String(back.value).length} characters)`);
  } finally {
    await kv.stop();
  }
}
