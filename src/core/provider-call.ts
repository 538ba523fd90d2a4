import type { Observable } from 'rxjs';
import { fromAbortable, linkedAbortController } from './abortable.js';
import type { CallContext, SecretProvider } from './provider.js';
import type { SecretRef } from './ref.js';
import { type ResolvedRetryOptions, type RetryListener, withRetry } from './retry.js';

/**
 * Runs one logical provider operation as a cold Observable: retries, per-attempt timeout, overall deadline, and an
 * AbortSignal that fires when the subscriber leaves or the client closes.
 */
export type ProviderCall = <T>(
  operation: string,
  run: (ctx: CallContext) => Promise<T>,
  ref?: SecretRef,
) => Observable<T>;

/** Builds the {@link ProviderCall} of one provider. `closed` aborts every call when the client closes. */
export function createProviderCall(
  provider: SecretProvider,
  retry: ResolvedRetryOptions,
  closed: AbortSignal,
  onRetry?: (operation: string, ref: SecretRef | undefined, info: Parameters<RetryListener>[0]) => void,
): ProviderCall {
  return <T>(operation: string, run: (ctx: CallContext) => Promise<T>, ref?: SecretRef) =>
    fromAbortable<T>(async (signal) => {
      const controller = linkedAbortController(signal, closed);
      try {
        return await withRetry(
          run,
          controller.signal,
          retry,
          { provider: provider.scheme, operation, ...(ref ? { ref: ref.text } : {}) },
          onRetry ? (info) => onRetry(operation, ref, info) : undefined,
        );
      } finally {
        controller.dispose();
      }
    });
}
