/**
 * The public types of the Key Vault provider: its options per operation and its backend-specific API.
 * @module
 */
import type { Observable } from 'rxjs';
import type { Duration } from '../../core/durations.js';
import type { SecretListing } from '../../core/listing.js';
import type { DeleteOptions, ListOptions, SecretProvider, SetOptions } from '../../core/provider.js';
import type { SecretRef } from '../../core/ref.js';
import type { SecretInfo } from '../../core/secret.js';
import type { KeyVaultOperationState } from './lro/secret-operations.js';

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
export interface KeyVaultPollOptions {
  /** Delay between polls. Default: the provider's `pollInterval` (2 s). */
  readonly pollInterval?: Duration;
}

/**
 * Options of a delete: `force` purges the secret once the deletion is done (the last state is `'purged'`).
 * `recoveryWindow` is not supported by Key Vault (the vault's retention applies) and is ignored.
 */
export interface KeyVaultDeleteOptions extends DeleteOptions, KeyVaultPollOptions {}

/** Options of the Key Vault listings. */
export interface KeyVaultListOptions extends ListOptions {
  /** Skip disabled secrets (useful with `withValues`, whose reads would fail on them). Default false. */
  readonly enabledOnly?: boolean;
  /** Ends the listing (the provider-specific ones) with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * A Key Vault provider: the common provider interface plus what only Key Vault offers. Single results are cold
 * Observables (retried with the provider's `retry` options, aborted on unsubscribe); listings are pulled page by
 * page; delete and recover stream their poller's states.
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
  beginDelete(ref: SecretRef, options?: KeyVaultDeleteOptions): Observable<KeyVaultOperationState>;
  /** Recovers a deleted secret: `'recovering'` … `'recovered'`. Unsubscribing stops polling. */
  beginRecover(ref: SecretRef, options?: KeyVaultPollOptions): Observable<KeyVaultOperationState>;
  /** Resumes a delete from a state's `resumeFrom` (from this or another process). */
  resumeDelete(resumeFrom: string, options?: KeyVaultDeleteOptions): Observable<KeyVaultOperationState>;
  /** Resumes a recovery from a state's `resumeFrom`. */
  resumeRecover(resumeFrom: string, options?: KeyVaultPollOptions): Observable<KeyVaultOperationState>;
  /** Updates the properties of a version (the ref's, or the current one), not its value. */
  updateProperties(ref: SecretRef, update: KeyVaultPropertiesUpdate): Observable<SecretInfo>;
  /** Every version of a secret (refs pinned to each version), lazily, page by page. */
  versions(name: string, options?: KeyVaultListOptions): SecretListing<SecretInfo>;
  /** The deleted (recoverable) secrets, lazily; `metadata` has `deletedOn`, `scheduledPurgeDate`, `recoveryId`. */
  deleted(options?: KeyVaultListOptions): SecretListing<SecretInfo>;
  /** One deleted secret. Not deleted (or not yet settled) → SecretNotFoundError. */
  getDeleted(ref: SecretRef): Observable<SecretInfo>;
  /** Purges a deleted secret for good. */
  purge(ref: SecretRef): Observable<void>;
  /** A backup of every version of a secret: an opaque blob for `restore`, in this or another vault. */
  backup(ref: SecretRef): Observable<Uint8Array>;
  /** Restores a secret from a backup; the name must be free (not active, not deleted). */
  restore(backup: Uint8Array): Observable<SecretInfo>;
}
