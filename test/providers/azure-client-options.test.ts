// How a Key Vault provider gets its SecretClient: from vaultUrl (validated when the provider is made) or from the
// user's own client, which gets the provider's call policy once and lends it its vault URL.
import type { SecretClient } from '@azure/keyvault-secrets';
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { startKeyVaultEmulator } from '../../src/emulators/key-vault/index.js';
import { createSecrets, isProviderUnavailableError, isValidationError } from '../../src/index.js';
import { keyVault } from '../../src/providers/azure/index.js';
import { CALL_SCOPE_POLICY_NAME } from '../../src/providers/azure/wire/call-scope.js';
import { FAST_RETRY } from '../support/azure-provider-fixture.js';
import { secretClientFor } from '../support/key-vault-client.js';

test('a provider needs a vaultUrl that is a URL, or a client', (t) => {
  const missing = t.throws(() => keyVault({} as never));
  t.true(isValidationError(missing));
  t.regex(String(missing?.message), /vaultUrl \(or a client\)/);
  t.true(isValidationError(t.throws(() => keyVault({ vaultUrl: '' }))));
  const notUrl = t.throws(() => keyVault({ vaultUrl: 'my-vault.vault.azure.net' }));
  t.true(isValidationError(notUrl));
  t.regex(String(notUrl?.message), /not a URL/);
});

test('the user’s own client is used, gets the call policy once, and lends its vault URL', async (t) => {
  const kv = await startKeyVaultEmulator();
  t.teardown(() => kv.stop());
  kv.store.setSecret('own-client', 'value');
  const client = secretClientFor(kv);
  const first = keyVault({ client, retry: FAST_RETRY });
  const second = keyVault({ client, scheme: 'azure-kv-2', retry: FAST_RETRY });
  t.is(first.vaultUrl, kv.vaultUrl.replace(/\/+$/, ''));
  const secrets = createSecrets({ providers: [first, second], cache: false, retry: FAST_RETRY });
  t.teardown(() => secrets.close());
  t.is((await firstValueFrom(secrets.get('azure-kv:own-client'))).value, 'value');
  t.is((await firstValueFrom(secrets.get('azure-kv-2:own-client'))).value, 'value');
  const pipeline = (client as unknown as { client: { pipeline: { getOrderedPolicies(): { name: string }[] } } }).client
    .pipeline;
  const ours = pipeline.getOrderedPolicies().filter((policy) => policy.name === CALL_SCOPE_POLICY_NAME);
  t.is(ours.length, 1, 'two providers on one client add the call policy once');
});

test('a client of an unknown SDK layout is a permanent ProviderUnavailableError on first use', async (t) => {
  const stranger = { vaultUrl: 'https://stranger.vault.azure.net' } as unknown as SecretClient;
  const provider = keyVault({ client: stranger, retry: FAST_RETRY });
  const secrets = createSecrets({ providers: [provider], cache: false, retry: FAST_RETRY });
  t.teardown(() => secrets.close());
  const error = await t.throwsAsync(firstValueFrom(secrets.get('azure-kv:any')));
  t.true(isProviderUnavailableError(error), String(error));
  t.false((error as { transient?: boolean }).transient);
  t.regex(String(error?.message), /pass clientOptions instead of client/);
});
