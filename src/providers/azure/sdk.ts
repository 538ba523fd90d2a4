/**
 * Lazy loading of the Azure SDK packages. Nothing here imports `@azure/*` at module load: the types below are
 * erased, and the packages are `import()`ed on the provider's first call, so that importing rxsecrets (or this
 * provider) costs nothing until a Key Vault is used.
 * @module
 */
import type * as KeyVaultSecrets from '@azure/keyvault-secrets';
import type { SecretClient, SecretClientOptions } from '@azure/keyvault-secrets';
import { ProviderUnavailableError } from '../../provider-kit/index.js';

/** The `@azure/keyvault-secrets` module. */
export type KeyVaultSecretsModule = typeof KeyVaultSecrets;

/** A `TokenCredential` (`@azure/core-auth`), as `SecretClient` takes it. */
export type TokenCredential = ConstructorParameters<typeof SecretClient>[1];

/** A pipeline policy (`@azure/core-rest-pipeline`), as `SecretClientOptions.additionalPolicies` takes it. */
export type PipelinePolicy = NonNullable<SecretClientOptions['additionalPolicies']>[number]['policy'];

/** What the provider needs of `@azure/identity`. */
interface IdentityModule {
  DefaultAzureCredential: new () => TokenCredential;
}

/**
 * Imports an optional peer dependency; a missing package becomes a permanent ProviderUnavailableError that says
 * what to install.
 */
async function importPeer<T>(specifier: string, scheme: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new ProviderUnavailableError(
        `the ${scheme} provider needs the package ${specifier}: npm install ${specifier}`,
        { cause: error, provider: scheme, transient: false },
      );
    }
    throw error;
  }
}

/** Loads `@azure/keyvault-secrets`. */
export function loadKeyVaultSecrets(scheme: string): Promise<KeyVaultSecretsModule> {
  return importPeer('@azure/keyvault-secrets', scheme, () => import('@azure/keyvault-secrets'));
}

/** Loads `@azure/identity` (only when no credential was given). */
export function loadIdentity(scheme: string): Promise<IdentityModule> {
  return importPeer('@azure/identity', scheme, () => import('@azure/identity') as Promise<IdentityModule>);
}
