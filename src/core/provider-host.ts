import type { Observable } from 'rxjs';
import { createListing, type SecretListing } from './listing.js';
import type { OperationOptions } from './operation-options.js';
import { failOnAbort } from './operators/fail-on-abort.js';
import type { CallContext, Page } from './provider.js';
import type { ProviderCall } from './provider-call.js';
import type { SecretRef } from './ref.js';
import type { Secret, SecretInfo } from './secret.js';

/** Options of one {@link ProviderHost.call}: the caller's {@link OperationOptions} and the ref it is about. */
export interface HostCallOptions extends OperationOptions {
  /** The ref the call is about (for messages and retry events). */
  readonly ref?: SecretRef | undefined;
}

/**
 * What a client lends each provider registered with it, so that the provider's own operations (versions, recover,
 * purge, backup…) keep the same contract as the common ones: the client's retries, attempt timeout and deadline,
 * `retry` events on `secrets.events`, abort on unsubscribe or on the caller's signal, and an end at `close()`.
 */
export interface ProviderHost {
  /** Aborts (with a ClosedError) when the client or the provider closes: long operations stop on it. */
  readonly closed: AbortSignal;
  /**
   * One logical operation as a cold Observable: `run` is one attempt, given a CallContext whose signal aborts on
   * timeout, unsubscribe, the caller's signal or close. Transient failures are retried.
   */
  call<T>(operation: string, run: (ctx: CallContext) => Promise<T>, options?: HostCallOptions): Observable<T>;
  /** A lazy listing whose every page is one such operation. */
  listing<T extends SecretInfo | Secret>(
    operation: string,
    prefix: SecretRef,
    fetchPage: (cursor: string | undefined, ctx: CallContext) => Promise<Page<T>>,
    options?: OperationOptions,
  ): SecretListing<T>;
}

/** The host over one provider's call pipeline. */
export function hostOf(call: ProviderCall, closed: AbortSignal): ProviderHost {
  const host: ProviderHost = {
    closed,
    call<T>(operation: string, run: (ctx: CallContext) => Promise<T>, options: HostCallOptions = {}) {
      return call.with(options.retry)(operation, run, options.ref).pipe(failOnAbort<T>(options.signal));
    },
    listing<T extends SecretInfo | Secret>(
      operation: string,
      prefix: SecretRef,
      fetchPage: (cursor: string | undefined, ctx: CallContext) => Promise<Page<T>>,
      options: OperationOptions = {},
    ) {
      const paged = call.with(options.retry);
      return createListing<T>(
        prefix,
        (cursor) => paged(operation, (ctx) => fetchPage(cursor, ctx), prefix),
        options.signal,
      );
    },
  };
  return host;
}
