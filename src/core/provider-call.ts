import { Observable } from 'rxjs';
import { UnsubscribedAbort } from './abortable.js';
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

/** Builds the {@link ProviderCall} of one provider. `closed` aborts every call in flight when the client closes. */
export function createProviderCall(
  provider: SecretProvider,
  retry: ResolvedRetryOptions,
  closed: AbortSignal,
  onRetry?: (operation: string, ref: SecretRef | undefined, info: Parameters<RetryListener>[0]) => void,
): ProviderCall {
  // Calls in flight, aborted together on close: cheaper than linking every call's signal to `closed`.
  const active = new Set<AbortController>();
  closed.addEventListener(
    'abort',
    () => {
      for (const controller of active) controller.abort(closed.reason);
      active.clear();
    },
    { once: true },
  );
  return <T>(operation: string, run: (ctx: CallContext) => Promise<T>, ref?: SecretRef) =>
    new Observable<T>((subscriber) => {
      if (closed.aborted) {
        subscriber.error(closed.reason);
        return;
      }
      const controller = new AbortController();
      active.add(controller);
      let settled = false;
      const label = { provider: provider.scheme, operation, ...(ref ? { ref: ref.text } : {}) };
      withRetry(
        run,
        controller.signal,
        retry,
        label,
        onRetry ? (info) => onRetry(operation, ref, info) : undefined,
      ).then(
        (value) => {
          settled = true;
          active.delete(controller);
          subscriber.next(value);
          subscriber.complete();
        },
        (error: unknown) => {
          settled = true;
          active.delete(controller);
          subscriber.error(error);
        },
      );
      return () => {
        active.delete(controller);
        if (!settled) controller.abort(new UnsubscribedAbort());
      };
    });
}
