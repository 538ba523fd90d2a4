/**
 * What every operation of one provider shares: the client, the scheme, the retry policy of provider-specific
 * calls, and the two wrappers that put an SDK call in its call scope and map its errors.
 * @module
 */
import type { SecretClient } from '@azure/keyvault-secrets';
import type { Observable } from 'rxjs';
import { fromAbortable } from '../../core/abortable.js';
import { toMilliseconds } from '../../core/durations.js';
import type { CallContext } from '../../core/provider.js';
import type { SecretRef } from '../../core/ref.js';
import { type ResolvedRetryOptions, resolveRetryOptions, withRetry } from '../../core/retry.js';
import { ClientHolder } from './client-holder.js';
import type { KeyVaultOptions } from './key-vault-options.js';
import { VersionMemo } from './version-memo.js';
import { inCallScope } from './wire/call-scope.js';
import { mapKeyVaultError } from './wire/map-error.js';

/** Options of one SDK call. */
export interface SdkCallOptions {
  /** The ref the call is about (for messages). */
  readonly ref?: SecretRef | undefined;
}

/** The shared state of one Key Vault provider. */
export class KeyVaultContext {
  readonly scheme: string;
  readonly holder: ClientHolder;
  readonly memo = new VersionMemo();
  readonly retry: ResolvedRetryOptions;
  readonly pollIntervalMs: number;
  readonly enforceValidity: boolean;

  constructor(options: KeyVaultOptions) {
    this.scheme = options.scheme ?? 'azure-kv';
    this.holder = new ClientHolder(options, this.scheme);
    this.retry = resolveRetryOptions(options.retry);
    this.pollIntervalMs = toMilliseconds(options.pollInterval ?? '2s', 'pollInterval');
    this.enforceValidity = options.enforceValidity ?? true;
  }

  /** The vault URL. */
  get vaultUrl(): string {
    return this.holder.vaultUrl;
  }

  /** Runs one SDK call with `ctx.signal` on every request it sends; SDK errors come back mapped. */
  async call<T>(
    operation: string,
    ctx: CallContext,
    run: (client: SecretClient, signal: AbortSignal) => Promise<T>,
    options: SdkCallOptions = {},
  ): Promise<T> {
    const client = await this.holder.get();
    try {
      return await inCallScope(ctx.signal, () => run(client, ctx.signal));
    } catch (error) {
      throw this.mapError(error, operation, options);
    }
  }

  /**
   * A cold Observable of one SDK call for the provider-specific API (which the core facade does not run): with
   * the provider's retries and timeouts, aborted when the subscriber leaves.
   */
  observe<T>(
    operation: string,
    run: (client: SecretClient, signal: AbortSignal) => Promise<T>,
    options: SdkCallOptions = {},
  ): Observable<T> {
    return fromAbortable((signal) =>
      withRetry((ctx) => this.call(operation, ctx, run, options), signal, this.retry, {
        provider: this.scheme,
        operation,
        ...(options.ref === undefined ? {} : { ref: options.ref.text }),
      }),
    );
  }

  /** Maps an SDK error for `operation`. */
  mapError(error: unknown, operation: string, options: SdkCallOptions = {}): unknown {
    return mapKeyVaultError(error, {
      provider: this.scheme,
      operation,
      ref: options.ref?.text,
      version: options.ref?.version,
    });
  }
}
