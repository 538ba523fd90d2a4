/**
 * Azure Key Vault secrets for rxsecrets (`rxsecrets/azure`). Importing this module loads no Azure package: the
 * SDK (`@azure/keyvault-secrets`, and `@azure/identity` when no credential is given) is loaded on first use.
 *
 * A ref names a secret of the provider's vault: `azure-kv:name[@version][#json.key]`. One provider serves one
 * vault; register several under their own schemes (`keyVault({ vaultUrl, scheme: 'azure-kv-prod' })`).
 * @module
 */

export { BYTES_CONTENT_TYPE } from './convert.js';
export type {
  KeyVaultConnection,
  KeyVaultInjectedClient,
  KeyVaultOptions,
  KeyVaultSettings,
} from './key-vault-options.js';
export { keyVault } from './key-vault-provider.js';
export type {
  KeyVaultAttributes,
  KeyVaultDeleteOptions,
  KeyVaultListFilter,
  KeyVaultListOptions,
  KeyVaultProgressOptions,
  KeyVaultPropertiesUpdate,
  KeyVaultProvider,
  KeyVaultSetOptions,
} from './key-vault-types.js';
export type { KeyVaultOperationState, SecretOperationKind } from './lro/secret-operations.js';
