/**
 * Options of {@link keyVault}.
 * @module
 */
import type { SecretClient, SecretClientOptions } from '@azure/keyvault-secrets';
import type { Duration } from '../../core/durations.js';
import type { RetryOptions } from '../../core/retry.js';
import type { TokenCredential } from './sdk.js';

/**
 * How to reach one vault. One provider serves one vault under one scheme: to use several vaults, register one
 * provider per vault with its own scheme, e.g. `keyVault({ vaultUrl: prod, scheme: 'azure-kv-prod' })` and
 * `keyVault({ vaultUrl: dev, scheme: 'azure-kv-dev' })`, then read `azure-kv-prod:db-password`.
 */
export interface KeyVaultOptions {
  /** The vault, e.g. `https://my-vault.vault.azure.net`. Required unless `client` is given. */
  readonly vaultUrl?: string;
  /** The ref scheme this provider serves. Default `'azure-kv'`. */
  readonly scheme?: string;
  /**
   * Who calls the vault. Default: `DefaultAzureCredential` from `@azure/identity`, loaded on first use (then that
   * package must be installed).
   */
  readonly credential?: TokenCredential;
  /**
   * Options of the SecretClient the provider builds. Unless `retryOptions.maxRetries` is set here, the SDK's own
   * retries are turned off (`maxRetries: 0`): the rxsecrets core already retries transient failures (throttling
   * with its Retry-After hint, 5xx, network), and two layers would multiply attempts (4 × 4 = 16 by default).
   */
  readonly clientOptions?: SecretClientOptions;
  /**
   * A SecretClient to use instead of building one (then `vaultUrl`, `credential` and `clientOptions` are
   * ignored). rxsecrets adds one small per-call policy to its pipeline, which ties every request to the caller's
   * AbortSignal and reads list cursors; the client's own retry settings are kept.
   */
  readonly client?: SecretClient;
  /**
   * Retries, per-attempt timeout and deadline of what the core facade does not run for the provider: the
   * provider-specific methods (versions, deleted secrets, purge, backup, restore, property updates) and each poll
   * of the delete and recover pollers. Default: the core's defaults.
   */
  readonly retry?: RetryOptions;
  /** Delay between polls of delete and recover operations. Default `'2s'` (the SDK's). */
  readonly pollInterval?: Duration;
  /**
   * Refuse to return a version that has expired or is not valid yet (SecretDisabledError with reason
   * `'expired'` / `'not-yet-valid'`), as Key Vault itself does not for secrets. Default true.
   */
  readonly enforceValidity?: boolean;
  /** Poll interval of watches that name none. Default `'30s'`. */
  readonly watchInterval?: Duration;
}
