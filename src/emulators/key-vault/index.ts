/**
 * Local Azure Key Vault (secrets) emulator: an https server on 127.0.0.1 that the real
 * `@azure/keyvault-secrets` `SecretClient` talks to as if it were Azure, with fault injection and request stats
 * for tests.
 * @module
 */
export type { EmulatorAccessToken, StaticTokenCredential } from './credential.js';
export { staticTokenCredential } from './credential.js';
export type {
  KeyVaultEmulator,
  KeyVaultEmulatorClientOptions,
  KeyVaultEmulatorPollerOptions,
  KeyVaultEmulatorStore,
  WrittenSecretVersion,
} from './emulator.js';
export { startKeyVaultEmulator } from './emulator.js';
export type {
  FaultFilter,
  KeyVaultFault,
  KeyVaultFaults,
  RateFaultOptions,
  RetryAfterHint,
  ScheduledFault,
  ScheduledFaultOptions,
} from './faults.js';
export type { KeyVaultEmulatorOptions } from './options.js';
export { DEFAULT_TENANT_ID } from './options.js';
export type { KeyVaultRoute } from './routes.js';
export { KEY_VAULT_ROUTES } from './routes.js';
export type { SecretVersionProperties } from './secret-records.js';
export type { KeyVaultEmulatorStats } from './stats.js';
