// The Key Vault provider loads the Azure SDK only when used, and says which package is missing.
import test from 'ava';
import { modulesLoadedBy, runJsonScript } from '../support/child-process.js';

test('importing rxsecrets/azure loads no Azure package', async (t) => {
  const urls = await modulesLoadedBy('src/providers/azure/index.ts');
  t.true(
    urls.some((url) => url.includes('/providers/azure/')),
    'the probe sees the provider load',
  );
  t.deepEqual(
    urls.filter((url) => url.includes('@azure')),
    [],
  );
});

test('a missing @azure/keyvault-secrets is a permanent ProviderUnavailableError naming the package', async (t) => {
  const result = await runJsonScript<{ unavailable: boolean; transient: boolean; message: string }>(
    'test/support/azure-provider-without-sdk.ts',
  );
  t.true(result.unavailable);
  t.false(result.transient);
  t.regex(result.message, /npm install @azure\/keyvault-secrets/);
});
