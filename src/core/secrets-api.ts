import type { Observable } from 'rxjs';
import type { ListingOptions, SecretListing } from './listing.js';
import type { OperationOptions } from './operation-options.js';
import type { DeleteOptions, OperationState, SecretProvider, SetOptions } from './provider.js';
import type { SecretRef } from './ref.js';
import type { Secret, SecretInfo, SecretValue } from './secret.js';
import type { GetOptions, SecretResult, SecretsEvent, WatchSecretOptions } from './secrets-options.js';
import type { WatchStatus } from './watch/watch-event.js';

/**
 * The client: one streaming API over every registered provider. Single results are cold Observables (nothing is
 * sent before subscribe; unsubscribing aborts the work), listings are pulled AsyncIterables, watches are shared
 * and hot.
 */
export interface Secrets extends AsyncDisposable {
  /**
   * Reads one secret (cached; concurrent reads of one secret make one backend call). The secret is marked `stale`
   * when it is a last value served because the backend could not be reached: a refresh failed, or the ref is watched
   * and its watch's checks are failing (so a newer version may exist).
   */
  get<T extends SecretValue = SecretValue>(ref: string | SecretRef, options?: GetOptions): Observable<Secret<T>>;
  /** Reads many secrets in as few backend calls as the providers allow; failures are reported per ref. */
  getMany(refs: ReadonlyArray<string | SecretRef>, options?: GetOptions): Observable<readonly SecretResult[]>;
  /** Lists the secrets under a prefix (`'scheme:'` or `'scheme:prefix'`), lazily, page by page. */
  list(prefix: string, options?: ListingOptions & { readonly withValues?: false }): SecretListing<SecretInfo>;
  /** Lists secrets with their values, fetched per page in batches. */
  list(prefix: string, options: ListingOptions & { readonly withValues: true }): SecretListing<Secret>;
  /** Writes a value (a new version or a new secret). JSON values are stored as JSON text. */
  set(ref: string | SecretRef, value: SecretValue, options?: SetOptions & OperationOptions): Observable<SecretInfo>;
  /** Deletes a secret, streaming the operation's states; the last one has `done: true`. */
  delete(ref: string | SecretRef, options?: DeleteOptions & OperationOptions): Observable<OperationState>;
  /** Whether a secret exists (and, with a `#key.path`, whether its JSON value has that key). */
  exists(ref: string | SecretRef, options?: OperationOptions): Observable<boolean>;
  /** The current value, then each new version once. Shared per ref; transient failures never end it. */
  watch<T extends SecretValue = SecretValue>(
    ref: string | SecretRef,
    options?: WatchSecretOptions,
  ): Observable<Secret<T>>;
  /** The health of the watch of a ref (degraded while its backend fails, with the last error). */
  watchStatus(ref: string | SecretRef): Observable<WatchStatus>;
  /** Cache, watch and retry activity. Never carries a value. */
  readonly events: Observable<SecretsEvent>;
  /** The provider registered for a scheme, for its backend-specific API. */
  provider<P extends SecretProvider = SecretProvider>(scheme: string): P;
  /**
   * Ends watches (every watch stream completes, even one whose check is in flight), aborts work in flight, flushes
   * the cache and closes every provider (and their connections).
   */
  close(): Promise<void>;
}
