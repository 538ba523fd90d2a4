import { defer, type Observable, throwError } from 'rxjs';
import { ClosedError, ValidationError } from './errors/index.js';
import type { SecretListing } from './listing.js';
import type { OperationOptions } from './operation-options.js';
import type { CallContext, Page, SecretProvider } from './provider.js';
import { createProviderCall } from './provider-call.js';
import { type HostCallOptions, hostOf, type ProviderHost } from './provider-host.js';
import type { SecretRef } from './ref.js';
import { narrowRetry, resolveRetryOptions } from './retry.js';
import type { Secret, SecretInfo } from './secret.js';

/**
 * A provider's link to the client it is registered with: the provider's own operations run through
 * {@link ProviderBinding.call} and {@link ProviderBinding.listing}, which use the client's {@link ProviderHost}
 * once `attach` was called, or a host of the provider's own (default retries, narrowed by the provider's `retry`)
 * when it is used without a client. After {@link ProviderBinding.close} every call fails with a ClosedError.
 */
export class ProviderBinding {
  readonly #provider: Pick<SecretProvider, 'scheme' | 'capabilities' | 'retry'>;
  readonly #closed = new AbortController();
  #host: ProviderHost | undefined;
  #signal: AbortSignal | undefined;

  constructor(provider: Pick<SecretProvider, 'scheme' | 'capabilities' | 'retry'>) {
    this.#provider = provider;
  }

  /** Takes the client's host (`SecretProvider.attach`); a provider serves one client at a time. */
  attach(host: ProviderHost): void {
    if (this.#host !== undefined && this.#host !== host && !this.#host.closed.aborted) {
      throw new ValidationError(
        `the ${this.#provider.scheme} provider is already registered with another secrets client; create one per client`,
      );
    }
    this.#host = host;
    this.#signal = undefined;
  }

  /** Aborts when the provider or the client it is registered with closes. */
  get closed(): AbortSignal {
    this.#signal ??= AbortSignal.any([this.#closed.signal, this.#hostNow().closed]);
    return this.#signal;
  }

  /** Fails with a ClosedError once closed. */
  assertOpen(): void {
    if (this.#closed.signal.aborted) throw this.#closed.signal.reason;
    if (this.#host?.closed.aborted) throw this.#host.closed.reason;
  }

  /** One operation through the host's pipeline (see {@link ProviderHost.call}). */
  call<T>(operation: string, run: (ctx: CallContext) => Promise<T>, options?: HostCallOptions): Observable<T> {
    return defer(() =>
      this.#closed.signal.aborted
        ? throwError(() => this.#closed.signal.reason)
        : this.#hostNow().call(operation, run, options),
    );
  }

  /** A lazy listing through the host's pipeline (see {@link ProviderHost.listing}). */
  listing<T extends SecretInfo | Secret>(
    operation: string,
    prefix: SecretRef,
    fetchPage: (cursor: string | undefined, ctx: CallContext) => Promise<Page<T>>,
    options?: OperationOptions,
  ): SecretListing<T> {
    const guarded = (cursor: string | undefined, ctx: CallContext) => {
      this.assertOpen();
      return fetchPage(cursor, ctx);
    };
    return {
      pages: () => {
        this.assertOpen();
        return this.#hostNow().listing(operation, prefix, guarded, options).pages();
      },
      [Symbol.asyncIterator]: () => {
        this.assertOpen();
        return this.#hostNow().listing(operation, prefix, guarded, options)[Symbol.asyncIterator]();
      },
    };
  }

  /** Ends every operation in flight (with a ClosedError) and refuses new ones. */
  close(): void {
    if (!this.#closed.signal.aborted) {
      this.#closed.abort(new ClosedError(`the ${this.#provider.scheme} provider was closed`));
    }
  }

  #hostNow(): ProviderHost {
    if (this.#host === undefined) {
      // Used without a client: a pipeline of its own, ended by the provider's close().
      const retry = narrowRetry(resolveRetryOptions(), this.#provider.retry);
      this.#host = hostOf(createProviderCall(this.#provider, retry, this.#closed.signal), this.#closed.signal);
    }
    return this.#host;
  }
}
