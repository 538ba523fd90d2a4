/**
 * The public types of the Key Vault provider: its options per operation and its backend-specific API.
 * @module
 */

import type { Observable } from 'rxjs';
import {
  bool,
  type DeleteOptions,
  type Duration,
  date,
  duration,
  type ListOptions,
  type OperationOptions,
  type OptionRule,
  type ProviderOptionRules,
  type SecretInfo,
  type SecretListing,
  type SecretProvider,
  type SecretRef,
  type SetOptions,
  str,
  stringMap,
  ValidationError,
} from '../../provider-kit/index.js';
import type { KeyVaultOperationState } from './lro/secret-operations.js';
import { LAST_WIRE_DATE_MS } from './wire/wire-dates.js';

/** Key Vault attributes a write can set besides the value. */
export interface KeyVaultAttributes {
  /** Whether the version can be read. Default true. */
  readonly enabled?: boolean;
  /** Before this instant the version is not valid (reads fail with SecretDisabledError `'not-yet-valid'`). */
  readonly notBefore?: Date;
  /** From this instant the version has expired (reads fail with SecretDisabledError `'expired'`). */
  readonly expiresOn?: Date;
}

/**
 * Options of `set` for Key Vault: `contentType`, `tags`, the attributes, and `ifNotExists` (checked with a read
 * first: Key Vault has no conditional write, so two writers racing can both succeed). `clientToken` is ignored.
 */
export interface KeyVaultSetOptions extends SetOptions, KeyVaultAttributes {}

/** A property update of one version (the ref's, or the current one). Omitted fields are left as they are. */
export interface KeyVaultPropertiesUpdate extends KeyVaultAttributes {
  readonly contentType?: string;
  readonly tags?: Record<string, string>;
}

/** Options of the delete and recover streams. */
export interface KeyVaultProgressOptions extends OperationOptions {
  /** Delay between checks of the operation in progress. Default: the provider's `progressInterval` (2 s). */
  readonly progressInterval?: Duration;
}

/**
 * Options of a delete: `force` purges the secret once the deletion is done (the last state is `'purged'`).
 * `recoveryWindow` is not supported by Key Vault (the vault's retention applies) and is refused.
 */
export interface KeyVaultDeleteOptions extends DeleteOptions, KeyVaultProgressOptions {}

/** Key Vault options of a listing. */
export interface KeyVaultListFilter {
  /** Skip disabled secrets (useful with `withValues`, whose reads would fail on them). Default false. */
  readonly enabledOnly?: boolean;
}

/** Options of the Key Vault listings (the common one, `versions` and `deleted`). */
export interface KeyVaultListOptions extends ListOptions, KeyVaultListFilter, OperationOptions {}

declare module '../../provider-kit/index.js' {
  // Key Vault's own `set` options (checked at run time only on its refs).
  interface ProviderSetOptions extends KeyVaultAttributes {}
  // Key Vault's own delete options.
  interface ProviderDeleteOptions {
    // Key Vault: delay between checks of the delete in progress.
    readonly progressInterval?: Duration;
  }
  // Key Vault's own listing options.
  interface ProviderListOptions extends KeyVaultListFilter {}
}

/** A validity date the wire can carry: the SDK writes 32-bit seconds, repaired up to {@link LAST_WIRE_DATE_MS}. */
const wireDate: OptionRule = (value, name) => {
  date(value, name);
  const ms = (value as Date).getTime();
  if (ms < 0 || ms >= LAST_WIRE_DATE_MS) {
    throw new ValidationError(
      `option '${name}' must be a Date from 1970 to 2106-02-07 (what Key Vault's SDK can send)`,
    );
  }
};

const ATTRIBUTE_RULES = { enabled: bool, notBefore: wireDate, expiresOn: wireDate };

/** The run-time rules of Key Vault's own operation options. */
export const KEY_VAULT_OPTION_RULES: ProviderOptionRules = {
  set: { rules: ATTRIBUTE_RULES, aliases: { expires: 'expiresOn', expiry: 'expiresOn', nbf: 'notBefore' } },
  delete: { rules: { progressInterval: duration }, aliases: { pollInterval: 'progressInterval' } },
  list: { rules: { enabledOnly: bool } },
};

/** The run-time rules of a property update. */
export const PROPERTIES_UPDATE_RULES = { ...ATTRIBUTE_RULES, contentType: str({ nonEmpty: true }), tags: stringMap };

/**
 * A Key Vault provider: the common provider interface plus what only Key Vault offers. Every operation takes a
 * ref as text (`'azure-kv:db'`) or parsed, and {@link OperationOptions} (`signal`, `retry`); it runs through the
 * client's pipeline (retries, timeouts, `retry` events, abort on unsubscribe, ended by `close()`). Single results
 * are cold Observables; listings are pulled page by page; delete and recover stream their poller's states.
 *
 * Get it back from a client with `secrets.provider<KeyVaultProvider>('azure-kv')`.
 */
export interface KeyVaultProvider extends SecretProvider {
  /** The vault this provider serves. */
  readonly vaultUrl: string;
  /**
   * Deletes a secret (soft delete): the delete poller's states, `'deleting'` … `'deleted'`, each with the
   * serialized `resumeFrom`. Unsubscribing stops polling.
   */
  beginDelete(ref: string | SecretRef, options?: KeyVaultDeleteOptions): Observable<KeyVaultOperationState>;
  /**
   * Undoes a delete (recovers the soft-deleted secret): `'recovering'` … `'recovered'`. A secret that is not
   * deleted fails with SecretNotFoundError, as the vault answers. Unsubscribing stops polling.
   */
  recover(ref: string | SecretRef, options?: KeyVaultProgressOptions): Observable<KeyVaultOperationState>;
  /** Resumes a delete from a state's `resumeFrom` (from this or another process). */
  resumeDelete(resumeFrom: string, options?: KeyVaultDeleteOptions): Observable<KeyVaultOperationState>;
  /** Resumes a recovery from a state's `resumeFrom`. */
  resumeRecover(resumeFrom: string, options?: KeyVaultProgressOptions): Observable<KeyVaultOperationState>;
  /** Updates the properties of a version (the ref's `@version`, or the current one), not its value. */
  updateProperties(
    ref: string | SecretRef,
    update: KeyVaultPropertiesUpdate,
    options?: OperationOptions,
  ): Observable<SecretInfo>;
  /** Every version of a secret (refs pinned to each version), lazily, page by page. */
  versions(ref: string | SecretRef, options?: KeyVaultListOptions): SecretListing<SecretInfo>;
  /** The deleted (recoverable) secrets, lazily; `metadata` has `deletedOn`, `scheduledPurgeDate`, `recoveryId`. */
  deleted(options?: KeyVaultListOptions): SecretListing<SecretInfo>;
  /** One deleted secret. Not deleted (or not yet settled) → SecretNotFoundError. */
  getDeleted(ref: string | SecretRef, options?: OperationOptions): Observable<SecretInfo>;
  /** Purges a deleted secret for good. */
  purge(ref: string | SecretRef, options?: OperationOptions): Observable<void>;
  /** A backup of every version of a secret: an opaque blob for `restoreBackup`, in this or another vault. */
  backup(ref: string | SecretRef, options?: OperationOptions): Observable<Uint8Array>;
  /** Restores a secret from a `backup` blob; the name must be free (not active, not deleted). */
  restoreBackup(backup: Uint8Array, options?: OperationOptions): Observable<SecretInfo>;
}
