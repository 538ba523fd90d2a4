// Runs a get through the Key Vault provider in a process where @azure/keyvault-secrets cannot be resolved, as if it
// were not installed, and prints the error as JSON.
import { registerHooks } from 'node:module';
import { firstValueFrom } from 'rxjs';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === '@azure/keyvault-secrets') {
      throw Object.assign(new Error(`Cannot find package '${specifier}'`), { code: 'ERR_MODULE_NOT_FOUND' });
    }
    return nextResolve(specifier, context);
  },
});

const { createSecrets, isProviderUnavailableError } = await import('../../src/index.js');
const { keyVault } = await import('../../src/providers/azure/index.js');
const secrets = createSecrets({
  providers: [keyVault({ vaultUrl: 'https://127.0.0.1:9', credential: { getToken: async () => null } })],
  retry: { retries: 0 },
});
try {
  await firstValueFrom(secrets.get('azure-kv:anything'));
  process.stdout.write(JSON.stringify({ ok: true }));
} catch (error) {
  const e = error as { code?: string; transient?: boolean; message?: string };
  process.stdout.write(
    JSON.stringify({
      unavailable: isProviderUnavailableError(error),
      code: e.code,
      transient: e.transient,
      message: e.message,
    }),
  );
}
await secrets.close();
