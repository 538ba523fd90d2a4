/**
 * Options of {@link keyVault}.
 * @module
 */

import type { SecretClient, SecretClientOptions } from '@azure/keyvault-secrets';
import {
  anyObject,
  bool,
  checkOptions,
  type Duration,
  duration,
  nested,
  num,
  RETRY_SPEC,
  type RetryOptions,
  str,
  ValidationError,
} from '../../provider-kit/index.js';
import type { TokenCredential } from './sdk.js';

/** Key Vault settings beside how the vault is reached (see {@link KeyVaultOptions}). */
export interface KeyVaultSettings {
  /** The ref scheme this provider serves. Default `'azure-kv'`. */
  readonly scheme?: string;
  /** Narrows the client's retry policy (retries, attempt timeout, deadline) for this provider's calls. */
  readonly retry?: RetryOptions;
  /** Delay between checks of a delete or recovery in progress (its poller). Default `'2s'` (the SDK's). */
  readonly progressInterval?: Duration;
  /**
   * Refuse to return a version that has expired or is not valid yet (SecretDisabledError with reason
   * `'expired'` / `'not-yet-valid'`), as Key Vault itself does not for secrets. Default true.
   */
  readonly enforceValidity?: boolean;
  /** Poll interval of watches that name none. Default `'30s'`. */
  readonly pollInterval?: Duration;
  /**
   * Most reads in flight at once (a `getMany`, the values of a listing, a watch's re-reads): the next starts as
   * soon as one ends. Default 128: a `getMany` of up to 128 refs goes out at once, as a `Promise.all` of
   * `getSecret` would, while a larger one reuses that many keep-alive connections instead of opening one per ref.
   * At most 256, the idle connections a Node agent keeps by default (beyond, connections would be reopened).
   */
  readonly maxConcurrency?: number;
}

/** The default of {@link KeyVaultSettings.maxConcurrency}. */
export const DEFAULT_MAX_CONCURRENCY = 128;

/** The vault reached through a SecretClient the provider builds. */
export interface KeyVaultConnection {
  /** The vault, e.g. `https://my-vault.vault.azure.net`. */
  readonly vaultUrl: string;
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
  /** Not with these options: see {@link KeyVaultInjectedClient}. */
  readonly client?: undefined;
}

/**
 * A SecretClient to use instead of building one. rxsecrets adds one small per-call policy to its pipeline, which
 * ties every request to the caller's AbortSignal and reads list cursors; the client's own retry settings are kept.
 */
export interface KeyVaultInjectedClient {
  /** The client; `vaultUrl`, `credential` and `clientOptions` cannot be given with it. */
  readonly client: SecretClient;
  readonly vaultUrl?: undefined;
  readonly credential?: undefined;
  readonly clientOptions?: undefined;
}

/**
 * How to reach one vault. One provider serves one vault under one scheme: to use several vaults, register one
 * provider per vault with its own scheme, e.g. `keyVault({ vaultUrl: prod, scheme: 'azure-kv-prod' })` and
 * `keyVault({ vaultUrl: dev, scheme: 'azure-kv-dev' })`, then read `azure-kv-prod:db-password`.
 */
export type KeyVaultOptions = KeyVaultSettings & (KeyVaultConnection | KeyVaultInjectedClient);

/** Checks `keyVault` options; throws a ValidationError naming the bad one. */
export function checkKeyVaultOptions(options: unknown): void {
  if (options === undefined || options === null) {
    throw new ValidationError(
      'keyVault needs options with a vaultUrl (or a client), e.g. https://my-vault.vault.azure.net',
    );
  }
  checkOptions('keyVault', options, {
    rules: {
      vaultUrl: str(),
      scheme: str({ nonEmpty: true }),
      credential: anyObject,
      clientOptions: anyObject,
      client: anyObject,
      retry: nested(RETRY_SPEC, 'retry'),
      progressInterval: duration,
      enforceValidity: bool,
      pollInterval: duration,
      maxConcurrency: num({ integer: true, min: 1, max: 256 }),
    },
    aliases: {
      url: 'vaultUrl',
      vaultURL: 'vaultUrl',
      watchInterval: 'pollInterval',
      interval: 'pollInterval',
      concurrency: 'maxConcurrency',
    },
  });
  const given = options as Record<string, unknown>;
  if (given.client !== undefined) {
    const clash = ['vaultUrl', 'credential', 'clientOptions'].find((key) => given[key] !== undefined);
    if (clash !== undefined) {
      throw new ValidationError(`keyVault: '${clash}' cannot be given with 'client' (the client has its own)`);
    }
  }
}
