/**
 * What every operation of one provider shares: the client, the scheme, the retry policy of provider-specific
 * calls, and the two wrappers that put an SDK call in its call scope and map its errors.
 * @module
 */

import type { SecretClient } from '@azure/keyvault-secrets';
import type { Observable } from 'rxjs';
import {
  type CallContext,
  type OperationOptions,
  ProviderBinding,
  type SecretProvider,
  type SecretRef,
  toMilliseconds,
} from '../../provider-kit/index.js';
import { ClientHolder } from './client-holder.js';
import type { KeyVaultOptions } from './key-vault-options.js';
import { VersionMemo } from './version-memo.js';
import { inCallScope } from './wire/call-scope.js';
import { mapKeyVaultError } from './wire/map-error.js';

/** Options of one SDK call: the caller's signal and retry overrides, the ref, and what to keep out of messages. */
export interface SdkCallOptions extends OperationOptions {
  /** The ref the call is about (for messages). */
  readonly ref?: SecretRef | undefined;
}

/** The shared state of one Key Vault provider. */
export class KeyVaultContext {
  readonly scheme: string;
  readonly holder: ClientHolder;
  readonly memo = new VersionMemo();
  /** The client's pipeline (or the provider's own): every provider-specific call runs through it. */
  readonly binding: ProviderBinding;
  readonly progressIntervalMs: number;
  readonly enforceValidity: boolean;

  constructor(options: KeyVaultOptions, provider: Pick<SecretProvider, 'scheme' | 'capabilities' | 'retry'>) {
    this.scheme = provider.scheme;
    this.holder = new ClientHolder(options, this.scheme);
    this.binding = new ProviderBinding(provider);
    this.progressIntervalMs = toMilliseconds(options.progressInterval ?? '2s', 'progressInterval');
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
    this.binding.assertOpen();
    const client = await this.holder.get();
    try {
      return await inCallScope(ctx.signal, () => run(client, ctx.signal));
    } catch (error) {
      throw this.mapError(error, operation, options);
    }
  }

  /**
   * A cold Observable of one SDK call of the provider-specific API, through the client's pipeline: its retries,
   * timeouts and events, the caller's signal and retry overrides, aborted when the subscriber leaves or on close.
   */
  observe<T>(
    operation: string,
    run: (client: SecretClient, signal: AbortSignal) => Promise<T>,
    options: SdkCallOptions = {},
  ): Observable<T> {
    return this.binding.call(operation, (ctx) => this.call(operation, ctx, run, options), options);
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
