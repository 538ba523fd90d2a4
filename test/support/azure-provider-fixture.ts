// A Key Vault emulator with the rxsecrets facade over the real SecretClient: what the azure-* provider tests share.
import type { ExecutionContext } from 'ava';
import { firstValueFrom, type Observable, toArray } from 'rxjs';
import {
  type KeyVaultEmulator,
  type KeyVaultEmulatorOptions,
  startKeyVaultEmulator,
} from '../../src/emulators/key-vault/index.js';
import { createSecrets, type RetryOptions, type Secrets, type SecretsOptions } from '../../src/index.js';
import { type KeyVaultProvider, type KeyVaultSettings, keyVault } from '../../src/providers/azure/index.js';

/** An emulator, a provider over it and a facade over the provider. */
export interface AzureFixture {
  readonly kv: KeyVaultEmulator;
  readonly provider: KeyVaultProvider;
  readonly secrets: Secrets;
}

/** Fast, jitter-free retries, so that retried tests stay quick and deterministic. */
export const FAST_RETRY: RetryOptions = { minDelay: 5, maxDelay: 50, jitter: false };

/** Starts an emulator and a facade over a keyVault provider for it (no cache unless asked for). */
export async function startAzureFixture(
  options: { emulator?: KeyVaultEmulatorOptions; provider?: KeyVaultSettings; secrets?: Partial<SecretsOptions> } = {},
): Promise<AzureFixture> {
  const kv = await startKeyVaultEmulator(options.emulator);
  const provider = keyVault({
    vaultUrl: kv.vaultUrl,
    credential: kv.credential,
    clientOptions: kv.clientOptions(),
    progressInterval: kv.pollerOptions().intervalInMs,
    ...options.provider,
  });
  const secrets = createSecrets({ providers: [provider], cache: false, retry: FAST_RETRY, ...options.secrets });
  return { kv, provider, secrets };
}

/** Closes the facade and stops the emulator. */
export async function stopAzureFixture(fixture: AzureFixture | undefined): Promise<void> {
  await fixture?.secrets.close();
  await fixture?.kv.stop();
}

/** Every value of a finite stream. */
export function all<T>(source: Observable<T>): Promise<T[]> {
  return firstValueFrom(source.pipe(toArray()));
}

let counter = 0;
/** A Key Vault name unique within the test process. */
export function freshName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** Asserts that no error text (message, stack, cause chain, JSON) contains `value`. */
export function assertNoValue(t: ExecutionContext, error: unknown, value: string): void {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    t.false(current.message.includes(value), `message at depth ${depth} leaks the value`);
    t.false((current.stack ?? '').includes(value), `stack at depth ${depth} leaks the value`);
    current = current.cause;
  }
  t.false(JSON.stringify(error).includes(value), 'toJSON leaks the value');
}
