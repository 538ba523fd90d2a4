// The Key Vault provider loads the Azure SDK only when used, and says which package is missing.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

test('importing rxsecrets/azure loads no Azure package', async (t) => {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'test/support/list-module-loads.mjs', 'src/providers/azure/index.ts'],
    { cwd: root },
  );
  const urls = JSON.parse(stdout) as string[];
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
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/support/azure-provider-without-sdk.ts'], {
    cwd: root,
  });
  const result = JSON.parse(stdout) as { unavailable: boolean; transient: boolean; message: string };
  t.true(result.unavailable);
  t.false(result.transient);
  t.regex(result.message, /npm install @azure\/keyvault-secrets/);
});
